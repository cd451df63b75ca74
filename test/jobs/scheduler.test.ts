import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { createSchedule } from '../../src/core/schedule/plan.js';
import { Polls } from '../../src/jobs/polls.js';
import { Scheduler } from '../../src/jobs/scheduler.js';
import { wakeAtFor } from '../../src/jobs/sessions.js';
import { silentLogger } from '../../src/logger.js';
import { CheckIns, GuildStore, PollStore, type State, WakeUps } from '../../src/state/index.js';
import { RETENTION_MS, seededRandom, shippedCorpus } from '../helpers/context.js';
import { FakePoster } from '../helpers/fake-poster.js';

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
    const { corpus, search } = await shippedCorpus();
    let now = new Date('2027-01-04T12:00:00Z');
    const clock = () => now;
    // The server records and adding wake-ups fail together, as one storage server would; reading and
    // clearing the wake-up list keep working, so the tick itself runs.
    const guildsKeyv = flakyKeyv();
    const wakeUps = new FlakyWakeUps(new Keyv());
    const state: State = {
      guilds: new GuildStore(guildsKeyv.keyv, {
        onTimingChange: async (guildId, record) => {
          const at = wakeAtFor(corpus, clock, RETENTION_MS)(record);
          if (at) await wakeUps.add(guildId, at);
        },
      }),
      wakeUps,
      checkIns: new CheckIns(new Keyv()),
      polls: new PollStore({ polls: new Keyv(), messages: new Keyv() }),
      check: async () => undefined,
      close: async () => undefined,
    };
    const poster = new FakePoster(clock);
    const base = {
      corpus,
      search,
      state,
      poster,
      clock,
      random: seededRandom(1),
      logger: silentLogger(),
      retentionMs: RETENTION_MS,
    };
    const scheduler = new Scheduler({ ...base, polls: new Polls(base) });
    const guildId = '700000000000000001';
    const schedule = createSchedule(
      { channelId: '1', weekday: 2, time: '19:00', zone: 'UTC', reminderMinutes: null },
      corpus.sessions.length,
      now,
    );
    await state.guilds.change(guildId, (record) => ({ record: { ...record, schedule }, result: undefined }));

    now = new Date('2027-01-05T19:00:00Z');
    guildsKeyv.setDown(true);
    wakeUps.failAdds = true;
    expect(await scheduler.tick()).toEqual({ servers: 1, failed: 1 });
    expect(poster.posts).toHaveLength(0);

    guildsKeyv.setDown(false);
    wakeUps.failAdds = false;
    now = new Date('2027-01-05T19:01:00Z');
    expect(await scheduler.tick()).toEqual({ servers: 1, failed: 0 });
    expect(poster.posts.filter((p) => p.reply.content?.includes('Session 1 starts now'))).toHaveLength(1);
  });
});
