import { describe, expect, it } from 'vitest';
import { commands } from '../commands/index.js';
import { componentRoutes, readComponent } from '../src/command.js';
import { pollVote } from '../src/core/replies/poll.js';

describe('reading a custom id', () => {
  const routes = componentRoutes(commands);

  it.each([
    ['poll:constructor:type=update', 'an action named after an Object.prototype key'],
    ['poll:__proto__:', 'the prototype itself'],
    ['excerpt:hasOwnProperty:', 'an inherited method'],
    ['poll:vote:p=../../x&c=a', 'parameters that are not ids'],
    ['poll:vote:p=abcdefgh', 'a missing parameter'],
    ['nosuch:vote:p=abcdefgh&c=a', 'a command that does not exist'],
    [`excerpt:another:s=1&u=2&q=${'x'.repeat(200)}`, 'a search longer than any id Crux makes'],
  ])('refuses %s (%s), which dispatch answers as “from an older version”', (customId) => {
    expect(readComponent(routes, customId, [])).toBeUndefined();
  });

  it('reads an id Crux made into its typed parameters', () => {
    const read = readComponent(routes, pollVote.id({ p: 'abcdefgh', c: 'holds' }), []);
    expect(read?.route.spec).toMatchObject({ command: 'poll', action: 'vote' });
    expect(read?.params).toEqual({ p: 'abcdefgh', c: 'holds' });
  });
});
