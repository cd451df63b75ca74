import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { WakeUps } from '../../src/state/wakeups.js';

/** A Keyv over a Map that counts reads, to see how much work a tick does. */
function countingKeyv(): { keyv: Keyv; reads: () => number } {
  let reads = 0;
  const map = new Map<string, unknown>();
  const store = {
    get: async (key: string) => {
      reads++;
      return map.get(key);
    },
    set: async (key: string, value: unknown) => {
      map.set(key, value);
      return true;
    },
    delete: async (key: string) => map.delete(key),
    clear: async () => map.clear(),
  };
  return { keyv: new Keyv({ store: store as never }), reads: () => reads };
}

const at = (iso: string) => new Date(iso);

describe('WakeUps', () => {
  it('returns hints once due, and forgets them when handled', async () => {
    const wakeUps = new WakeUps(new Keyv());
    await wakeUps.add('1', at('2027-01-05T18:00:00Z'));
    await wakeUps.add('2', at('2027-01-05T18:00:30Z'));
    await wakeUps.add('3', at('2027-01-05T19:00:00Z'));
    expect(await wakeUps.due(at('2027-01-05T17:59:59Z'))).toEqual([]);
    const due = await wakeUps.due(at('2027-01-05T18:00:40Z'));
    expect(due.map((d) => d.guildId)).toEqual(['1', '2']);
    await wakeUps.done(due, at('2027-01-05T18:00:40Z'));
    expect(await wakeUps.due(at('2027-01-05T18:30:00Z'))).toEqual([]);
    expect((await wakeUps.due(at('2027-01-05T19:00:00Z'))).map((d) => d.guildId)).toEqual(['3']);
  });

  it('keeps a hint that was not handled, so a crash mid-tick loses nothing', async () => {
    const wakeUps = new WakeUps(new Keyv());
    await wakeUps.add('1', at('2027-01-05T18:00:00Z'));
    await wakeUps.due(at('2027-01-05T18:01:00Z'));
    expect((await wakeUps.due(at('2027-01-05T18:02:00Z'))).map((d) => d.guildId)).toEqual(['1']);
  });

  it('does work per tick that grows with what is due, not with how many servers are scheduled', async () => {
    const { keyv, reads } = countingKeyv();
    const wakeUps = new WakeUps(keyv);
    // 1,000 servers scheduled over the coming week, one every ten minutes.
    const start = at('2027-01-04T00:00:00Z').getTime();
    for (let i = 0; i < 1000; i++) await wakeUps.add(String(1000 + i), new Date(start + i * 600_000));
    const now = new Date(start + 30_000);
    await wakeUps.done(await wakeUps.due(now), now);
    const before = reads();
    const tick = new Date(start + 60_000);
    await wakeUps.done(await wakeUps.due(tick), tick);
    // A tick a minute later reads the cursor and at most a couple of minute buckets, whatever the index holds.
    expect(reads() - before).toBeLessThanOrEqual(6);
  });

  it('catches up once after downtime, reading each missed minute', async () => {
    const wakeUps = new WakeUps(new Keyv());
    await wakeUps.add('1', at('2027-01-05T18:00:00Z'));
    await wakeUps.add('2', at('2027-01-05T21:00:00Z'));
    const later = at('2027-01-06T09:00:00Z');
    const due = await wakeUps.due(later);
    expect(due.map((d) => d.guildId)).toEqual(['1', '2']);
    await wakeUps.done(due, later);
    expect(await wakeUps.due(later)).toEqual([]);
  });
});
