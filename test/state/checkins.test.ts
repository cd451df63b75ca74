import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { CheckIns } from '../../src/state/checkins.js';

describe('CheckIns', () => {
  it('records each member once per session, and lets them take it back', async () => {
    const checkIns = new CheckIns(new Keyv());
    expect(await checkIns.add('1', 2, 'ada')).toEqual({ already: false, count: 1 });
    expect(await checkIns.add('1', 2, 'ada')).toEqual({ already: true, count: 1 });
    expect(await checkIns.add('1', 2, 'bo')).toEqual({ already: false, count: 2 });
    expect(await checkIns.forSession('1', 2)).toEqual(['ada', 'bo']);
    expect(await checkIns.remove('1', 2, 'ada')).toBe(true);
    expect(await checkIns.remove('1', 2, 'ada')).toBe(false);
    expect(await checkIns.forSession('1', 2)).toEqual(['bo']);
  });

  it('keeps every one of 200 simultaneous check-ins', async () => {
    const checkIns = new CheckIns(new Keyv());
    await Promise.all(Array.from({ length: 200 }, (_, i) => checkIns.add('1', 1, `m${i}`)));
    expect(await checkIns.forSession('1', 1)).toHaveLength(200);
  });

  it('lists a member’s sessions, per server', async () => {
    const checkIns = new CheckIns(new Keyv());
    await checkIns.add('1', 1, 'ada');
    await checkIns.add('1', 3, 'ada');
    await checkIns.add('2', 2, 'ada');
    expect(await checkIns.forMember('1', 'ada', 8)).toEqual([1, 3]);
  });
});
