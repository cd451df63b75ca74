import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Keyv from 'keyv';
import { afterAll, describe, expect, it } from 'vitest';
import { castVote, createPoll, recordOpened } from '../../src/core/polls/model.js';
import { createSchedule } from '../../src/core/schedule/plan.js';
import { GUILD_FORMAT, GuildStore } from '../../src/state/guilds.js';
import { openState, type State, StateUnavailableError } from '../../src/state/index.js';
import { StoreFactory } from '../../src/state/stores.js';
import { StorageTimeoutError } from '../../src/state/timeout.js';
import { StoredRecordError } from '../../src/state/versioned.js';
import { WakeUps } from '../../src/state/wakeups.js';
import { first, shippedCorpus } from '../helpers/context.js';
import { available, newGuildId, POSTGRES_URL, REDIS_URL } from '../helpers/services.js';

const tempDir = mkdtempSync(path.join(tmpdir(), 'crux-state-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

let nextFile = 0;

const backends: Array<[string, () => string, boolean]> = [
  ['memory', () => 'memory:', true],
  ['sqlite', () => `sqlite://${path.join(tempDir, `state-${nextFile++}.sqlite`)}`, true],
  ['redis', () => REDIS_URL, available.redis],
  ['postgres', () => POSTGRES_URL, available.postgres],
];

describe.each(backends)('GuildStore on %s', (_name, url, runs) => {
  if (!runs) {
    it.skip('needs the service running on 127.0.0.1', () => undefined);
    return;
  }
  const open = (at: string): Promise<State> =>
    openState(at, (error) => {
      throw error;
    });

  it('reads the declared defaults for a server it has not seen', async () => {
    const state = await open(url());
    try {
      expect(await state.guilds.read(newGuildId())).toEqual({
        progress: { session: 1, covered: [] },
        excerpts: { shown: [] },
        cruxes: { shown: [] },
        schedule: null,
        facilitatorRoleId: null,
        polls: [],
        exportSecret: null,
        leftAt: null,
      });
    } finally {
      await state.close();
    }
  });

  it('keeps every one of 100 concurrent changes to one server', async () => {
    const state = await open(url());
    const guildId = newGuildId();
    try {
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          state.guilds.change(guildId, (record) => ({
            record: { ...record, excerpts: { shown: [...record.excerpts.shown, `e${i}`] } },
            result: undefined,
          })),
        ),
      );
      expect((await state.guilds.read(guildId)).excerpts.shown).toHaveLength(100);
    } finally {
      await state.close();
    }
  });

  it('writes nothing when a change throws', async () => {
    const state = await open(url());
    const guildId = newGuildId();
    try {
      await state.guilds.change(guildId, (record) => ({
        record: { ...record, cruxes: { shown: ['kept'] } },
        result: 1,
      }));
      await expect(
        state.guilds.change(guildId, () => {
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect((await state.guilds.read(guildId)).cruxes.shown).toEqual(['kept']);
    } finally {
      await state.close();
    }
  });

  it('keeps a wake-up index: hints in several slots and hours, read back in order, cleared once handled', async () => {
    const stores = await StoreFactory.connect(url(), (error) => {
      throw error;
    });
    // Its own owner, so runs against the shared Redis and PostgreSQL never see each other's hints.
    const wakeUps = new WakeUps(stores.open('wakeups'), `test-${newGuildId()}`);
    try {
      await stores.check();
      const base = Date.parse('2027-01-05T18:00:00Z');
      const guilds = Array.from({ length: 40 }, () => newGuildId());
      await Promise.all(guilds.map((g, i) => wakeUps.add(g, new Date(base + i * 300_000))));
      const now = new Date(base + 2 * 3_600_000);
      const due = await wakeUps.due(now);
      expect(due.map((d) => d.guildId)).toEqual(guilds.slice(0, 25));
      await wakeUps.done(due, now);
      expect((await wakeUps.due(new Date(base + 4 * 3_600_000))).map((d) => d.guildId)).toEqual(
        guilds.slice(25),
      );
    } finally {
      await stores.close();
    }
  });

  it('records the wake-up of every schedule change, and writes no change whose wake-up it cannot record', async () => {
    const wakeAt = new Date('2027-01-05T18:00:00Z');
    let failing = false;
    const state = await openState(
      url(),
      (error) => {
        throw error;
      },
      {
        wakeAt: () => {
          if (failing) throw new Error('index unavailable');
          return wakeAt;
        },
      },
    );
    const guildId = newGuildId();
    const schedule = createSchedule(
      { channelId: '1', weekday: 2, time: '19:00', zone: 'UTC' },
      8,
      new Date('2027-01-01T00:00:00Z'),
    );
    try {
      await state.guilds.change(guildId, (record) => ({
        record: { ...record, schedule },
        result: undefined,
      }));
      expect((await state.wakeUps.due(wakeAt)).filter((d) => d.guildId === guildId)).toHaveLength(1);
      failing = true;
      const paused = { ...schedule, status: 'paused' as const };
      await expect(
        state.guilds.change(guildId, (record) => ({
          record: { ...record, schedule: paused },
          result: undefined,
        })),
      ).rejects.toThrow('index unavailable');
      expect((await state.guilds.read(guildId)).schedule?.status).toBe('active');
    } finally {
      await state.close();
    }
  });

  it('keeps every one of 500 concurrent votes on one poll, and finds a poll by its message', async () => {
    const state = await open(url());
    const guildId = newGuildId();
    // Fresh ids: the message index is shared by every server on the store.
    const messageId = newGuildId();
    try {
      const { corpus } = await shippedCorpus();
      const crux = first(corpus.cruxes, 'crux');
      const now = new Date('2027-01-05T19:00:00Z');
      const poll = recordOpened(
        createPoll(
          {
            id: 'p1',
            guildId,
            channelId: '1',
            crux,
            phase: 'before',
            style: 'native',
            hideResults: false,
            openedBy: null,
            closesAt: new Date(now.getTime() + 3_600_000),
          },
          now,
        ),
        messageId,
      );
      expect(await state.polls.create(poll)).toBe(true);
      expect(await state.polls.create(poll)).toBe(false);
      await Promise.all(
        Array.from({ length: 500 }, (_, i) =>
          state.polls.change(guildId, 'p1', (current) => ({
            record: castVote(current, crux, `u${i}`, 'unsure', now).poll,
            result: undefined,
          })),
        ),
      );
      expect(Object.keys((await state.polls.get(guildId, 'p1'))?.ballots ?? {})).toHaveLength(500);
      await state.polls.indexMessage(messageId, { guildId, pollId: 'p1' });
      expect(await state.polls.byMessage(messageId)).toEqual({ guildId, pollId: 'p1' });
      await state.polls.delete(guildId, 'p1');
      expect(await state.polls.get(guildId, 'p1')).toBeUndefined();
      expect(await state.polls.byMessage(messageId)).toBeUndefined();
    } finally {
      await state.close();
    }
  });

  it('keeps servers apart and forgets one on request', async () => {
    const state = await open(url());
    const [a, b] = [newGuildId(), newGuildId()];
    try {
      await state.guilds.change(a, (record) => ({
        record: { ...record, cruxes: { shown: ['x'] } },
        result: undefined,
      }));
      expect((await state.guilds.read(b)).cruxes.shown).toEqual([]);
      await state.guilds.delete(a);
      expect((await state.guilds.read(a)).cruxes.shown).toEqual([]);
    } finally {
      await state.close();
    }
  });
});

describe('records from an earlier version', () => {
  it('read as the current version, keeping what they had and filling the rest', async () => {
    const keyv = new Keyv();
    await keyv.set('123', {
      version: 1,
      progress: { session: 3 },
      excerpts: { shown: ['a'] },
      cruxes: { shown: [] },
    });
    const record = await new GuildStore(keyv).read('123');
    expect(record).toMatchObject({
      progress: { session: 3, covered: [] },
      excerpts: { shown: ['a'] },
      schedule: null,
      polls: [],
      leftAt: null,
    });
  });

  it('fill in, in one place, what a version-3 schedule lacks, and are written back as the current version', async () => {
    const keyv = new Keyv();
    const settings = {
      channelId: '1',
      weekday: 2,
      time: '19:00',
      zone: 'Europe/Berlin',
      reminderMinutes: null,
      graceMinutes: 360,
    };
    await keyv.set('123', {
      version: 3,
      schedule: { settings, status: 'active', next: 2, dates: {}, sessions: {}, reminded: [], wrapUp: null },
    });
    const store = new GuildStore(keyv);
    const { schedule } = await store.read('123');
    expect(schedule).toMatchObject({ settings: { polls: 'before' }, notices: [], resets: 0, next: 2 });
    await store.change('123', (record) => ({ record: { ...record, leftAt: 1 }, result: undefined }));
    expect(await keyv.get('123')).toMatchObject({
      version: GUILD_FORMAT.version,
      leftAt: 1,
      schedule: { resets: 0 },
    });
  });

  it('that do not read are reported, never cast', async () => {
    const keyv = new Keyv();
    await keyv.set('123', { version: GUILD_FORMAT.version, progress: { session: 'three' } });
    await expect(new GuildStore(keyv).read('123')).rejects.toThrow(
      /server state does not read as version \d+: progress\.session/u,
    );
    await expect(
      new GuildStore(keyv).change('123', (record) => ({ record, result: undefined })),
    ).rejects.toBeInstanceOf(StoredRecordError);
  });

  it('from a newer Crux are refused rather than misread', async () => {
    const keyv = new Keyv();
    await keyv.set('123', { version: 99 });
    await expect(new GuildStore(keyv).read('123')).rejects.toThrow('server state has version 99');
  });
});

describe('GuildStore on the embedded SQLite file', () => {
  it('survives a restart', async () => {
    const url = `sqlite://${path.join(tempDir, 'restart.sqlite')}`;
    const guildId = newGuildId();
    const first = await openState(url, () => undefined);
    await first.guilds.change(guildId, (record) => ({
      record: { ...record, excerpts: { shown: ['a', 'b'] } },
      result: undefined,
    }));
    await first.close();
    const second = await openState(url, () => undefined);
    try {
      expect((await second.guilds.read(guildId)).excerpts.shown).toEqual(['a', 'b']);
    } finally {
      await second.close();
    }
  });

  it('refuses a key that is not a Discord id', async () => {
    const state = await openState('memory:', () => undefined);
    await expect(state.guilds.read('../other')).rejects.toThrow(RangeError);
    await state.close();
  });
});

describe('a store that stops answering', () => {
  /** A storage backend that accepts calls and never answers, like a server that has hung. */
  const hung = () =>
    new Keyv({
      store: {
        get: () => new Promise(() => undefined),
        set: () => new Promise(() => undefined),
        delete: () => new Promise(() => undefined),
        clear: async () => undefined,
      } as never,
    });

  it('fails a read or a change with a timeout instead of hanging', async () => {
    const store = new GuildStore(hung(), { timeoutMs: 50 });
    await expect(store.read('123')).rejects.toThrow(StorageTimeoutError);
    await expect(store.change('123', (record) => ({ record, result: 1 }))).rejects.toThrow(
      StorageTimeoutError,
    );
  });

  it('is reported at start, in words, when KEYV_URL points at nothing', async () => {
    const state = await openState('redis://127.0.0.1:6390', () => undefined);
    try {
      await expect(state.check()).rejects.toThrow(StateUnavailableError);
      await expect(state.check()).rejects.toThrow(
        /Crux cannot use its state store \(KEYV_URL redis:\/\/127\.0\.0\.1:6390\)/u,
      );
    } finally {
      await state.close();
    }
  });
});

describe('a version-4 record with a notice being posted', () => {
  it('reads the notice’s last attempt as its claim', async () => {
    const keyv = new Keyv();
    const settings = {
      channelId: '1',
      weekday: 2,
      time: '19:00',
      zone: 'Europe/Berlin',
      reminderMinutes: null,
      graceMinutes: 360,
    };
    await keyv.set('123', {
      version: 4,
      schedule: {
        settings,
        status: 'active',
        next: 2,
        dates: {},
        sessions: {},
        reminded: [],
        wrapUp: null,
        notices: [{ kind: 'wrap-up', id: 'wrap-up-1', attemptedAt: 1_700_000_000_000 }],
      },
    });
    const { schedule } = await new GuildStore(keyv).read('123');
    expect(schedule?.notices).toEqual([
      { kind: 'wrap-up', id: 'wrap-up-1', claim: { firstAt: 1_700_000_000_000, at: 1_700_000_000_000 } },
    ]);
  });
});
