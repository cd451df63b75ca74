import { describe, expect, it } from 'vitest';
import { nextSentences, reversalAfter } from '../../../src/core/corpus/reversal.js';

describe('nextSentences', () => {
  it.each([
    ['One. Two! Three?', 2, ['One.', 'Two!']],
    ['  First line\nSecond. Third.', 2, ['First line', 'Second.']],
    ['He said “so.” Then left.', 2, ['He said “so.”', 'Then left.']],
    ['Only one', 3, ['Only one']],
    ['', 2, []],
  ])('splits %j into its first %i sentences', (text, count, expected) => {
    expect(nextSentences(text, count)).toEqual(expected);
  });
});

describe('reversalAfter', () => {
  const body =
    'Persona theory works today. I think this is probably a risky move. More follows.\nA reply. But no.';
  const quoteEnd = body.indexOf(' I think');
  const writerEnd = body.indexOf('\n');

  it('finds the writer taking the quote back within two sentences', () => {
    expect(reversalAfter(body, quoteEnd, writerEnd)).toBe('I think this is probably a risky move.');
  });

  it.each([
    ['but', 'It works. But not at scale.'],
    ['however', 'It works. Yes. However, it fails later.'],
    ['on the other hand', 'People cannot tell. On the other hand: people do learn.'],
  ])('flags “%s”', (_word, text) => {
    expect(reversalAfter(text, text.indexOf('.') + 1, text.length)).toBeDefined();
  });

  it('reads no further than two sentences', () => {
    const text = 'Claim. One. Two. But three.';
    expect(reversalAfter(text, text.indexOf('.') + 1, text.length)).toBeUndefined();
  });

  it('ignores another writer’s reply, which is the other side, not a retraction', () => {
    const end = body.indexOf('More follows.') + 'More follows.'.length;
    expect(reversalAfter(body, end, writerEnd)).toBeUndefined();
  });

  it('does not match words that only contain a reversal word', () => {
    const text = 'Claim. The butter is thoughtfully made. Attributes matter.';
    expect(reversalAfter(text, text.indexOf('.') + 1, text.length)).toBeUndefined();
  });
});
