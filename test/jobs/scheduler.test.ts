import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { createSchedule } from '../../src/core/schedule/plan.js';
import { wakeAtFor } from '../../src/jobs/sessions.js';
import { CheckIns, GuildStore, PollStore, WakeUps } from '../../src/state/index.js';
import { LocalLocks } from '../../src/state/locks.js';
import { RETENTION_MS } from '../helpers/context.js';
import { jobHarness } from '../helpers/jobs.js';

/** A Keyv whose reads fail while `down` is set, like a storage server that is unreachable for a while. */
function flakyKeyv(): { keyv: Keyv; setDown: (down: boolean) => void } {
  let down = false;
  const map = new Map<string, unknown>();
  const keyv = new Keyv({
    store: {
      get: async (key: string) => {
        if (down) throw new Error('storage unreachable');
        return map.get(key);
      },
      set: async (key: string, value: unknown) => {
        if (down) throw new Error('storage unreachable');
        map.set(key, value);
        return true;
      },
      delete: async (key: string) => map.delete(key),
      clear: async () => map.clear(),
    } as never,
    throwOnErrors: true,
  });
  return { keyv, setDown: (value) => (down = value) };
}

class FlakyWakeUps extends WakeUps {
  failAdds = false;
  override async add(guildId: string, at: Date): Promise<void> {
    if (this.failAdds) throw new Error('storage unreachable');
    await super.add(guildId, at);
  }
}

describe('Scheduler', () => {
  it('keeps the wake-up of a server whose work failed entirely, and does the work on a later tick', async () => {
    // The server records and adding wake-ups fail together, as one storage server would; reading and
    // clearing the wake-up list keep working, so the tick itself runs.
    const guildsKeyv = flakyKeyv();
    const wakeUps = new FlakyWakeUps(new Keyv());
    const harness = await jobHarness({
      state: (clock, corpus) => ({
        guilds: new GuildStore(guildsKeyv.keyv, {
          onTimingChange: async (guildId, record) => {
            const at = wakeAtFor(corpus, clock, RETENTION_MS)(record);
            if (at) await wakeUps.add(guildId, at);
          },
        }),
        wakeUps,
        locks: new LocalLocks(),
        shared: false,
        checkIns: new CheckIns(new Keyv()),
        polls: new PollStore({ polls: new Keyv(), messages: new Keyv() }),
        check: async () => undefined,
        close: async () => undefined,
      }),
    });
    const { corpus, state, poster } = harness;
    const guildId = '700000000000000001';
    const schedule = createSchedule(
      { channelId: '1', weekday: 2, time: '19:00', zone: 'UTC', reminderMinutes: null },
      corpus.sessions.length,
      new Date(harness.now()),
    );
    await state.guilds.change(guildId, (record) => ({ record: { ...record, schedule }, result: undefined }));

    guildsKeyv.setDown(true);
    wakeUps.failAdds = true;
    expect(await harness.at(Date.parse('2027-01-05T19:00:00Z'))).toEqual({ servers: 1, failed: 1 });
    expect(poster.posts).toHaveLength(0);

    guildsKeyv.setDown(false);
    wakeUps.failAdds = false;
    expect(await harness.at(Date.parse('2027-01-05T19:01:00Z'))).toEqual({ servers: 1, failed: 0 });
    expect(poster.posts.filter((p) => p.reply.content?.includes('Session 1 starts now'))).toHaveLength(1);
  });
});
