import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { createOnce } from './postgres.js';
import type { RedisConnection } from './redis.js';
import { storeCall } from './timeout.js';

/**
 * Leases: locks with an expiry, shared by every process on one store. A shard's lease is held for as long
 * as a process runs it (renewed); a holder that dies loses it when it expires, and another process takes it.
 *
 * - Redis: `SET key token NX PX ttl`, renewed and released only by the holder's token (a Lua script compares
 *   it), as Redis's own documentation describes a single-instance lock.
 * - PostgreSQL: a row per lock in `crux_locks`, taken by an INSERT that only overwrites an expired row.
 * - SQLite and memory: one process holds the store (SQLite's exclusive locking mode refuses a second one), so
 *   the locks are this process's own.
 *
 * An expiry is what makes a dead holder harmless, and also the limit of the guarantee: a holder paused longer
 * than the expiry (a frozen VM) can find its lease taken, and must stop when its renewal fails. Records do
 * not rely on this: their writes compare-and-swap (see `RecordStore`).
 */
export interface Locks {
  /** Takes `key` for `ttlMs` if it is free or expired; the token to renew and release it, or undefined. */
  tryAcquire(key: string, ttlMs: number): Promise<string | undefined>;
  /** Extends a lock still held with `token`; false when it was lost (expired and taken). */
  renew(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Releases a lock held with `token` (nothing if it was lost meanwhile). */
  release(key: string, token: string): Promise<void>;
  close(): Promise<void>;
}

const TIMEOUT_MS = 5000;

/** This process's own locks: for stores only one process may use. */
export class LocalLocks implements Locks {
  readonly #held = new Map<string, { token: string; until: number }>();

  async tryAcquire(key: string, ttlMs: number): Promise<string | undefined> {
    const now = Date.now();
    const held = this.#held.get(key);
    if (held && held.until > now) return undefined;
    const token = randomUUID();
    this.#held.set(key, { token, until: now + ttlMs });
    return token;
  }

  async renew(key: string, token: string, ttlMs: number): Promise<boolean> {
    const held = this.#held.get(key);
    if (held?.token !== token || held.until <= Date.now()) return false;
    held.until = Date.now() + ttlMs;
    return true;
  }

  async release(key: string, token: string): Promise<void> {
    if (this.#held.get(key)?.token === token) this.#held.delete(key);
  }

  async close(): Promise<void> {
    this.#held.clear();
  }
}

/** Compares the holder's token before extending or deleting (redis.io, "Distributed Locks with Redis"). */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/** Locks in Redis. */
export class RedisLocks implements Locks {
  readonly #redis: RedisConnection;

  constructor(redis: RedisConnection) {
    this.#redis = redis;
  }

  async tryAcquire(key: string, ttlMs: number): Promise<string | undefined> {
    const token = randomUUID();
    const client = await storeCall(this.#redis(), TIMEOUT_MS, 'connecting for a lock');
    const set = await storeCall(
      client.set(`crux:lock:${key}`, token, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } }),
      TIMEOUT_MS,
      'taking a lock',
    );
    return set === 'OK' ? token : undefined;
  }

  async renew(key: string, token: string, ttlMs: number): Promise<boolean> {
    const client = await storeCall(this.#redis(), TIMEOUT_MS, 'connecting for a lock');
    const renewed = await storeCall(
      client.eval(RENEW, { keys: [`crux:lock:${key}`], arguments: [token, String(ttlMs)] }),
      TIMEOUT_MS,
      'renewing a lock',
    );
    return renewed === 1;
  }

  async release(key: string, token: string): Promise<void> {
    const client = await storeCall(this.#redis(), TIMEOUT_MS, 'connecting for a lock');
    await storeCall(
      client.eval(RELEASE, { keys: [`crux:lock:${key}`], arguments: [token] }),
      TIMEOUT_MS,
      'releasing a lock',
    );
  }

  async close(): Promise<void> {
    // The connection belongs to the store factory, which closes it.
  }
}

/** Locks as rows of `crux_locks` in PostgreSQL, on the pool the stores use. */
export class PostgresLocks implements Locks {
  readonly #pool: pg.Pool;
  readonly #ensureTable: () => Promise<void>;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
    this.#ensureTable = createOnce(
      pool,
      'CREATE TABLE IF NOT EXISTS crux_locks (key TEXT PRIMARY KEY, token TEXT NOT NULL, expires_at TIMESTAMPTZ NOT NULL)',
    );
  }

  async #query(sql: string, values: unknown[], what: string): Promise<pg.QueryResult> {
    await storeCall(this.#ensureTable(), TIMEOUT_MS, 'preparing the lock table');
    return storeCall(this.#pool.query(sql, values), TIMEOUT_MS, what);
  }

  async tryAcquire(key: string, ttlMs: number): Promise<string | undefined> {
    const token = randomUUID();
    // The database's clock decides expiry for every process, so clocks that disagree cannot overlap holders.
    const result = await this.#query(
      `INSERT INTO crux_locks (key, token, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
       ON CONFLICT (key) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at
       WHERE crux_locks.expires_at < now()
       RETURNING token`,
      [key, token, ttlMs],
      'taking a lock',
    );
    return result.rowCount === 1 ? token : undefined;
  }

  async renew(key: string, token: string, ttlMs: number): Promise<boolean> {
    const result = await this.#query(
      `UPDATE crux_locks SET expires_at = now() + $3 * interval '1 millisecond'
       WHERE key = $1 AND token = $2 AND expires_at >= now()`,
      [key, token, ttlMs],
      'renewing a lock',
    );
    return result.rowCount === 1;
  }

  async release(key: string, token: string): Promise<void> {
    await this.#query(
      'DELETE FROM crux_locks WHERE key = $1 AND token = $2',
      [key, token],
      'releasing a lock',
    );
  }

  async close(): Promise<void> {
    // The pool belongs to the store factory, which ends it.
  }
}
