import { describe, expect, it } from 'vitest';
import { nextInRotation } from '../../src/core/rotation.js';
import { seededRandom } from '../helpers/context.js';

const items = (...ids: string[]) => ids.map((id) => ({ id }));

describe('nextInRotation', () => {
  it('offers every item once before any repeats', () => {
    const random = seededRandom(7);
    const scope = items('a', 'b', 'c', 'd', 'e');
    let shown: readonly string[] = [];
    const seen: string[] = [];
    for (let i = 0; i < scope.length; i++) {
      const next = nextInRotation(scope, shown, 'random', random);
      expect(next?.restarted).toBe(false);
      seen.push(next?.item.id ?? '');
      shown = next?.shown ?? [];
    }
    expect([...seen].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    const sixth = nextInRotation(scope, shown, 'random', random);
    expect(sixth?.restarted).toBe(true);
    // Starting over clears only this scope's history.
    expect(sixth?.shown).toEqual([sixth?.item.id]);
  });

  it('keeps the history of other scopes when one scope starts over', () => {
    const next = nextInRotation(items('a', 'b'), ['x', 'a', 'b', 'y'], 'in-order', Math.random);
    expect(next?.restarted).toBe(true);
    expect(next?.shown).toEqual(['x', 'y', 'a']);
  });

  it('skips items shown through an overlapping scope', () => {
    const next = nextInRotation(items('a', 'b', 'c'), ['a', 'b'], 'random', Math.random);
    expect(next?.item.id).toBe('c');
    expect(next?.restarted).toBe(false);
  });

  it('rotates in order when asked', () => {
    const scope = items('one', 'two', 'three');
    const first = nextInRotation(scope, [], 'in-order', Math.random);
    const second = nextInRotation(scope, first?.shown ?? [], 'in-order', Math.random);
    expect([first?.item.id, second?.item.id]).toEqual(['one', 'two']);
  });

  it('has nothing to offer from an empty scope', () => {
    expect(nextInRotation([], ['a'], 'random', Math.random)).toBeUndefined();
  });
});
