import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { WakeUps } from '../../src/state/wakeups.js';

/** A Keyv over a Map that counts store calls, to see how much work a tick does. */
function countingKeyv(): { keyv: Keyv; calls: () => number } {
  let calls = 0;
  const map = new Map<string, unknown>();
  const store = {
    get: async (key: string) => {
      calls++;
      return map.get(key);
    },
    // Like the SQL and Redis stores: many keys in one call.
    getMany: async (keys: string[]) => {
      calls++;
      return keys.map((key) => map.get(key));
    },
    set: async (key: string, value: unknown) => {
      map.set(key, value);
      return true;
    },
    delete: async (key: string) => map.delete(key),
    clear: async () => map.clear(),
  };
  return { keyv: new Keyv({ store: store as never }), calls: () => calls };
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
    const { keyv, calls } = countingKeyv();
    const wakeUps = new WakeUps(keyv);
    // 1,000 servers scheduled over the coming week, one every ten minutes.
    const start = at('2027-01-04T00:00:00Z').getTime();
    for (let i = 0; i < 1000; i++) await wakeUps.add(String(1000 + i), new Date(start + i * 600_000));
    const now = new Date(start + 30_000);
    await wakeUps.done(await wakeUps.due(now), now);
    const before = calls();
    const tick = new Date(start + 60_000);
    const due = await wakeUps.due(tick);
    await wakeUps.done(due, tick);
    expect(due).toEqual([]);
    // A tick a minute later reads the cursor and the current hour's slots in one call, whatever the index holds.
    expect(calls() - before).toBeLessThanOrEqual(3);
  });

  it('never loses a hint added for the same server and instant while a tick handles an older one', async () => {
    const wakeUps = new WakeUps(new Keyv());
    const when = at('2027-01-05T18:00:00Z');
    await wakeUps.add('1', when);
    const handling = await wakeUps.due(when);
    // Meanwhile a command changes the schedule and asks for the same instant again.
    await wakeUps.add('1', when);
    await wakeUps.done(handling, when);
    expect((await wakeUps.due(when)).map((d) => d.guildId)).toEqual(['1']);
  });

  it('keeps the hours before a hint added in the past readable', async () => {
    const wakeUps = new WakeUps(new Keyv());
    const now = at('2027-01-05T18:00:00Z');
    await wakeUps.add('1', now);
    await wakeUps.done(await wakeUps.due(now), at('2027-01-05T20:00:00Z'));
    // A change made with an older clock reading lands behind the cursor; it is still found.
    await wakeUps.add('2', at('2027-01-05T17:00:00Z'));
    expect((await wakeUps.due(at('2027-01-05T20:00:00Z'))).map((d) => d.guildId)).toEqual(['2']);
  });

  it('catches up once after downtime, reading each missed hour', async () => {
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
