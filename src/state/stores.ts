import { mkdirSync } from 'node:fs';
import path from 'node:path';
import KeyvRedis from '@keyv/redis';
import KeyvSqlite from '@keyv/sqlite';
import Keyv, { type KeyvStoreAdapter } from 'keyv';
import type pg from 'pg';
import { AtomicKeyv, postgresSwap, redisSwap } from './atomic.js';
import { LocalLocks, type Locks, PostgresLocks, RedisLocks } from './locks.js';
import { PostgresStore, postgresPool } from './postgres.js';
import { redisConnection } from './redis.js';
import { PostgresWakeUps, RedisWakeUps } from './shared-wakeups.js';
import { type WakeUpIndex, WakeUps } from './wakeups.js';

/**
 * Opens Keyv stores from a `KEYV_URL`. On Redis each namespace gets its own adapter (a shared one would
 * prefix keys with whichever namespace opened last); on SQLite they share one connection.
 *
 * - `sqlite://path/to/file.sqlite` (the default): one embedded file, held by one process.
 * - `redis://…`, `postgres://…`: for several processes (shards) sharing state.
 * - `memory:`: nothing persists; for tests and trying things out.
 */
export class StoreFactory {
  readonly #url: string;
  readonly #opened: Keyv[] = [];
  readonly #onError: (error: unknown) => void;
  /** While checking at start, a failure is the caller's to report (once, plainly), not the log's. */
  #checking = false;
  /** One PostgreSQL pool for every namespace, made on first use. */
  #pool: pg.Pool | undefined;
  /** One SQLite connection for every namespace. */
  #sqlite: KeyvSqlite | undefined;
  #locks: Locks | undefined;
  /** One Redis connection for leases and the wake-up index (the Keyv stores have their own). */
  #redisConnection: ReturnType<typeof redisConnection> | undefined;

  constructor(url: string, onError: (error: unknown) => void) {
    this.#url = url;
    this.#onError = (error) => {
      if (!this.#checking) onError(error);
    };
  }

  /**
   * A Keyv for `namespace`. Storage errors throw (Keyv's default is to swallow them and lose the write). On
   * a store several processes share, it is an `AtomicKeyv`, so record changes can compare-and-swap.
   */
  open(namespace: string): Keyv {
    const keyv = this.#open({ namespace, throwOnErrors: true });
    keyv.on('error', this.#onError);
    this.#opened.push(keyv);
    return keyv;
  }

  /** Whether several processes may share this store. */
  get shared(): boolean {
    return this.#url.startsWith('postgres') || this.#url.startsWith('redis');
  }

  /** Locks every process on this store sees: Redis's or PostgreSQL's; this process's own otherwise. */
  locks(): Locks {
    this.#locks ??= this.#url.startsWith('postgres')
      ? new PostgresLocks(this.#postgresPool())
      : this.#url.startsWith('redis')
        ? new RedisLocks(this.#redis().connect)
        : new LocalLocks();
    return this.#locks;
  }

  /** The wake-up index: the store's own ordered structure where processes share it, Keyv otherwise. */
  wakeUps(): WakeUpIndex {
    if (this.#url.startsWith('postgres')) return new PostgresWakeUps(this.#postgresPool());
    if (this.#url.startsWith('redis')) return new RedisWakeUps(this.#redis().connect);
    return new WakeUps(this.open('wakeups'));
  }

  #redis(): ReturnType<typeof redisConnection> {
    this.#redisConnection ??= redisConnection(this.#url, this.#onError);
    return this.#redisConnection;
  }

  #open(options: { readonly namespace: string; readonly throwOnErrors: true }): Keyv {
    if (this.#url.startsWith('postgres')) {
      const store = new PostgresStore(this.#postgresPool());
      return new AtomicKeyv({ ...options, store: store as unknown as KeyvStoreAdapter }, postgresSwap(store));
    }
    if (this.#url.startsWith('redis')) {
      const store = redisStore(this.#url);
      return new AtomicKeyv({ ...options, store: store as unknown as KeyvStoreAdapter }, redisSwap(store));
    }
    if (this.#url.startsWith('sqlite')) {
      // Every namespace on one connection: keys are `namespace:key` in one table, and one connection is what
      // lets the file be held exclusively (see `check`).
      this.#sqlite ??= sqliteStore(this.#url);
      return new Keyv({ ...options, store: this.#sqlite as unknown as KeyvStoreAdapter });
    }
    return new Keyv(options);
  }

  #postgresPool(): pg.Pool {
    this.#pool ??= postgresPool(this.#url, this.#onError);
    return this.#pool;
  }

  /**
   * Writes, reads back and deletes a key in every store opened so far, one at a time. This connects each (a
   * Redis client refuses commands sent while it is still connecting) and reports at start a store that
   * cannot be reached, or cannot be written (a read-only or full SQLite file), instead of on first use.
   */
  async check(): Promise<void> {
    this.#checking = true;
    try {
      if (this.#sqlite) await holdExclusively(this.#sqlite, this.#url);
      for (const keyv of this.#opened) {
        await keyv.set('crux-check', 1);
        await keyv.delete('crux-check');
      }
    } finally {
      this.#checking = false;
    }
  }

  /** Closes every store this factory opened. */
  async close(): Promise<void> {
    await Promise.allSettled(this.#opened.map((keyv) => keyv.disconnect()));
    this.#opened.length = 0;
    await this.#locks?.close();
    this.#locks = undefined;
    await this.#redisConnection?.close();
    this.#redisConnection = undefined;
    this.#sqlite = undefined;
    await this.#pool?.end().catch(() => undefined);
    this.#pool = undefined;
  }
}

function sqliteStore(url: string): KeyvSqlite {
  const file = url.slice('sqlite://'.length);
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // The one-argument form: `new KeyvSqlite(uri, options)` ignores its options.
  return new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 2000 });
}

/**
 * Takes the SQLite file for this process alone, and makes writes cheap.
 *
 * - WAL lets reads run during a write. `synchronous=NORMAL` under WAL syncs at checkpoints rather than on
 *   every commit: a power cut or an OS crash (not a crash of the bot) can lose the last commits, never
 *   corrupt the file.
 * - `locking_mode=EXCLUSIVE` keeps the file's lock once taken: a second Crux on the same file (which would
 *   double-post, as the in-process queues are not shared) fails here with a clear message instead.
 */
async function holdExclusively(store: KeyvSqlite, url: string): Promise<void> {
  try {
    await store.query('PRAGMA locking_mode=EXCLUSIVE');
    await store.query('PRAGMA journal_mode=WAL');
    await store.query('PRAGMA synchronous=NORMAL');
    // A write takes the lock now, rather than at the first change.
    await store.query('BEGIN IMMEDIATE');
    await store.query('COMMIT');
  } catch (error) {
    if (/SQLITE_BUSY|locked/iu.test(String(error))) {
      throw new Error(
        `another process is using ${url.slice('sqlite://'.length)}: the embedded SQLite file serves one Crux process. Stop the other one, or to run several use Redis or PostgreSQL (see "Scaling out" in the README)`,
      );
    }
    throw error;
  }
}

function redisStore(url: string): KeyvRedis<unknown> {
  // Fail fast when Redis is down instead of queueing commands until it returns.
  return new KeyvRedis(
    { url, disableOfflineQueue: true, socket: { connectTimeout: 5000 } },
    { throwOnConnectError: true, throwOnErrors: true, connectionTimeout: 5000 },
  );
}

/** URL schemes `KEYV_URL` accepts. */
export const SUPPORTED_STORE_SCHEMES = [
  'sqlite',
  'redis',
  'rediss',
  'postgres',
  'postgresql',
  'memory',
] as const;

/**
 * What is wrong with a `KEYV_URL`, in words, or `undefined` when it can be used: the scheme is supported,
 * a SQLite URL names a file, and a server URL parses with a host.
 */
export function storeUrlProblem(url: string): string | undefined {
  const scheme = url.slice(0, Math.max(0, url.indexOf(':')));
  if (!(SUPPORTED_STORE_SCHEMES as readonly string[]).includes(scheme)) {
    return `must start with one of ${SUPPORTED_STORE_SCHEMES.map((s) => `${s}:`).join(', ')}`;
  }
  if (scheme === 'memory')
    return url === 'memory:' ? undefined : 'must be exactly memory: for in-memory state';
  if (scheme === 'sqlite') {
    const file = url.startsWith('sqlite://') ? url.slice('sqlite://'.length) : '';
    return file && file !== ':memory:' ? undefined : 'must name a file, like sqlite://.crux/state.sqlite';
  }
  try {
    return new URL(url).hostname ? undefined : 'must name a host, like redis://127.0.0.1:6379';
  } catch {
    return 'is not a valid URL';
  }
}
