import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Keyv from 'keyv';
import { afterAll, describe, expect, it } from 'vitest';
import { shardOf } from '../../src/core/shards.js';
import { CheckIns } from '../../src/state/checkins.js';
import { openState } from '../../src/state/index.js';
import { postgresPool } from '../../src/state/postgres.js';
import { RecordStore } from '../../src/state/records.js';
import { redisConnection } from '../../src/state/redis.js';
import { PostgresWakeUps, RedisWakeUps } from '../../src/state/shared-wakeups.js';
import { StoreFactory } from '../../src/state/stores.js';
import { type WakeUpIndex, WakeUps } from '../../src/state/wakeups.js';
import {
  available,
  freshPostgres,
  freshRedis,
  newGuildId,
  POSTGRES_URL,
  REDIS_URL,
} from '../helpers/services.js';

/**
 * Two StoreFactory instances on one Redis or PostgreSQL are, to the store, two processes: separate
 * connections, separate in-process queues. What one process writes, the other must never undo.
 */
const failOnError = (error: unknown) => {
  throw error;
};

const tempDir = mkdtempSync(path.join(tmpdir(), 'crux-shared-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

describe.each([
  ['Redis', REDIS_URL, available.redis],
  ['PostgreSQL', POSTGRES_URL, available.postgres],
])('two processes on one %s', (_name, url, runs) => {
  it.skipIf(!runs)('keep every one of 200 simultaneous check-ins split between them', async () => {
    const stores = [
      await StoreFactory.connect(url, failOnError),
      await StoreFactory.connect(url, failOnError),
    ];
    const checkIns = stores.map((factory) => new CheckIns(factory.open('checkins')));
    try {
      const guildId = newGuildId();
      const members = Array.from({ length: 200 }, (_, i) => String(1_000_000_000_000_000n + BigInt(i)));
      const results = await Promise.all(members.map((member, i) => checkIns[i % 2]?.add(guildId, 1, member)));
      expect(results.every((r) => r?.already === false)).toBe(true);
      const kept = await checkIns[0]?.forSession(guildId, 1);
      expect(new Set(kept)).toEqual(new Set(members));
    } finally {
      await Promise.all(stores.map((factory) => factory.close()));
    }
  });

  it.skipIf(!runs)('lose no update when both change one record over and over', async () => {
    const stores = [
      await StoreFactory.connect(url, failOnError),
      await StoreFactory.connect(url, failOnError),
    ];
    const counters = stores.map(
      (factory) =>
        new RecordStore<number>(factory.open('test-counters'), {
          what: 'a counter',
          parse: (stored) => (typeof stored === 'number' ? stored : 0),
        }),
    );
    try {
      const key = newGuildId();
      // Sequential within each process, so every change is its own write racing the other process's.
      await Promise.all(
        counters.map(async (counter) => {
          for (let i = 0; i < 60; i++) await counter.change(key, (n) => ({ record: n + 1, result: n + 1 }));
        }),
      );
      expect(await counters[1]?.read(key)).toBe(120);
    } finally {
      await Promise.all(stores.map((factory) => factory.close()));
    }
  });

  it.skipIf(!runs)('reads what plain Keyv wrote, and plain Keyv reads what it swapped in', async () => {
    const factory = await StoreFactory.connect(url, failOnError);
    try {
      const keyv = factory.open('test-interop');
      const plain = new RecordStore<{ n: number }>(keyv, {
        what: 'a record',
        parse: (stored) => (stored === undefined ? { n: 0 } : (stored as { n: number })),
      });
      const key = newGuildId();
      await keyv.set(key, { n: 41 });
      await plain.change(key, (record) => ({ record: { n: record.n + 1 }, result: undefined }));
      expect(await keyv.get(key)).toEqual({ n: 42 });
      await plain.delete(key);
      expect(await keyv.get(key)).toBeUndefined();
    } finally {
      await factory.close();
    }
  });
});

/** A wake-up index as one process opens it. */
interface OpenIndex {
  readonly index: WakeUpIndex;
  readonly close: () => Promise<void>;
}

describe.each([
  [
    'Redis',
    available.redis,
    (run: string): OpenIndex => {
      const connection = redisConnection(REDIS_URL, failOnError);
      const key = `crux:test-wakeups:${run}`;
      return {
        index: new RedisWakeUps(connection.connect, key),
        close: async () => {
          await (await connection.connect()).del(key);
          await connection.close();
        },
      };
    },
  ],
  [
    'PostgreSQL',
    available.postgres,
    (run: string): OpenIndex => {
      const pool = postgresPool(POSTGRES_URL, failOnError);
      const table = `crux_test_wakeups_${run}`;
      return {
        index: new PostgresWakeUps(pool, table),
        close: async () => {
          await pool.query(`DROP TABLE IF EXISTS ${table}`);
          await pool.end();
        },
      };
    },
  ],
])('the wake-up index on %s', (_name, runs, open) => {
  it.skipIf(!runs)(
    'gives each process only its own shards’ due hints, and clears only what was handled',
    async () => {
      const run = newGuildId();
      const processes = [open(run), open(run)];
      try {
        const base = Date.parse('2027-01-05T18:00:00Z');
        // Servers spread over two shards: ids whose (id >> 22) is even are on shard 0 of 2.
        const guilds = Array.from({ length: 40 }, (_, i) => String((BigInt(base) + BigInt(i)) << 22n));
        await Promise.all(
          guilds.map((guildId, i) => processes[i % 2]?.index.add(guildId, new Date(base + i * 60_000))),
        );
        const now = new Date(base + 30 * 60_000);
        const shard0 = await processes[0]?.index.due(now, { count: 2, ids: [0] });
        const shard1 = await processes[1]?.index.due(now, { count: 2, ids: [1] });
        const dueGuilds = guilds.slice(0, 31);
        expect(shard0?.map((h) => h.guildId)).toEqual(dueGuilds.filter((g) => shardOf(g, 2) === 0));
        expect(shard1?.map((h) => h.guildId)).toEqual(dueGuilds.filter((g) => shardOf(g, 2) === 1));
        // A hint added for a handled server while its tick ran is kept.
        const again = guilds[0] ?? '';
        await processes[1]?.index.add(again, now);
        await processes[0]?.index.done(shard0 ?? [], now);
        const left = await processes[1]?.index.due(now);
        expect(left?.map((h) => h.guildId).sort()).toEqual(
          [again, ...(shard1 ?? []).map((h) => h.guildId)].sort(),
        );
      } finally {
        await Promise.all(processes.map((p) => p.close()));
      }
    },
  );
});

describe('the embedded SQLite file', () => {
  it('serves one process: a second is refused with what to do, and the first keeps working', async () => {
    const url = `sqlite://${path.join(tempDir, 'held.sqlite')}`;
    const first = await openState(url, failOnError);
    const second = await openState(url, () => undefined);
    try {
      await first.check();
      await expect(second.check()).rejects.toThrow(
        /another process is using .*held\.sqlite.*Redis or PostgreSQL/u,
      );
      const guildId = newGuildId();
      await first.checkIns.add(guildId, 1, '123456789012345678');
      expect(await first.checkIns.forSession(guildId, 1)).toEqual(['123456789012345678']);
    } finally {
      await second.close();
      await first.close();
    }
  });

  it('is free again once the process holding it has closed it', async () => {
    const url = `sqlite://${path.join(tempDir, 'reopened.sqlite')}`;
    const first = await openState(url, failOnError);
    await first.check();
    const guildId = newGuildId();
    await first.checkIns.add(guildId, 2, '123456789012345678');
    await first.close();
    const again = await openState(url, failOnError);
    try {
      await again.check();
      expect(await again.checkIns.forSession(guildId, 2)).toEqual(['123456789012345678']);
    } finally {
      await again.close();
    }
  });
});

describe('in memory', () => {
  it('needs no compare-and-swap: the in-process queue is the only writer', async () => {
    const counter = new RecordStore<number>(new Keyv(), {
      what: 'a counter',
      parse: (stored) => (typeof stored === 'number' ? stored : 0),
    });
    await Promise.all(
      Array.from({ length: 50 }, () => counter.change('k', (n) => ({ record: n + 1, result: n }))),
    );
    expect(await counter.read('k')).toBe(50);
  });
});

/** A store of its own: a Redis database flushed for the test, or a PostgreSQL database made for it. */
const freshStores = [
  {
    name: 'SQLite',
    runs: true,
    create: async () => ({
      url: `sqlite://${path.join(tempDir, 'upgraded.sqlite')}`,
      drop: async () => undefined,
    }),
  },
  { name: 'Redis', runs: available.redis, create: () => freshRedis(11) },
  { name: 'PostgreSQL', runs: available.postgres, create: () => freshPostgres('crux_upgrade') },
];

describe.each(freshStores)('upgrading a $name store from the Keyv wake-up buckets', ({ runs, create }) => {
  it.skipIf(!runs)('moves every waiting hint into the store’s own index at start, once', async () => {
    const store = await create();
    try {
      // What an earlier Crux left: hints in Keyv hour buckets, one due next week, one in a month.
      const earlier = await StoreFactory.connect(store.url, failOnError);
      const legacy = new WakeUps(earlier.open('wakeups'));
      const [soon, later] = [newGuildId(), newGuildId()];
      const week = Date.parse('2027-01-12T19:00:00Z');
      const month = Date.parse('2027-02-05T19:00:00Z');
      await legacy.add(soon, new Date(week));
      await legacy.add(later, new Date(month));
      await earlier.close();

      const state = await openState(store.url, failOnError);
      try {
        await state.check();
        const due = await state.wakeUps.due(new Date(month));
        expect(due.map((hint) => [hint.guildId, hint.at])).toEqual([
          [soon, week],
          [later, month],
        ]);
        // Moved, not copied: a second start finds nothing left to move.
        await state.check();
        expect(await state.wakeUps.due(new Date(month))).toHaveLength(2);
      } finally {
        await state.close();
      }
    } finally {
      await store.drop();
    }
  });
});
