import { describe, expect, it } from 'vitest';
import { decodeCustomId, encodeCustomId } from '../../src/core/custom-id.js';

describe('custom ids', () => {
  it('round-trips command, action and parameters', () => {
    const id = encodeCustomId('excerpt', 'another', {
      s: 3,
      t: 'rlvr',
      q: 'a&b=c “quoted”',
      skip: undefined,
    });
    expect(decodeCustomId(id)).toEqual({
      command: 'excerpt',
      action: 'another',
      params: { s: '3', t: 'rlvr', q: 'a&b=c “quoted”' },
    });
  });

  it('shortens the free-text parameter to fit 100 characters', () => {
    const id = encodeCustomId('excerpt', 'another', { s: 1, q: 'ünïcödé words '.repeat(20) }, 'q');
    expect(id.length).toBeLessThanOrEqual(100);
    expect(decodeCustomId(id)?.params.q).toMatch(/^ünïcödé/u);
  });

  it('refuses ids it cannot shorten', () => {
    expect(() => encodeCustomId('excerpt', 'context', { t: 'x'.repeat(120) })).toThrow(RangeError);
  });

  it('ignores ids that are not ours', () => {
    expect(decodeCustomId('something else')).toBeUndefined();
  });
});
