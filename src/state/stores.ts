import { mkdirSync } from 'node:fs';
import path from 'node:path';
import KeyvRedis from '@keyv/redis';
import KeyvSqlite from '@keyv/sqlite';
import Keyv, { type KeyvStoreAdapter } from 'keyv';
import type pg from 'pg';
import { PostgresStore, postgresPool } from './postgres.js';

/**
 * Opens Keyv stores from a `KEYV_URL`. Each namespace gets its own store instance: Keyv's adapters mix up
 * namespaces that share one instance (clear() and iteration match across them).
 *
 * - `sqlite://path/to/file.sqlite` (the default): one embedded file, WAL mode, a busy timeout.
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

  constructor(url: string, onError: (error: unknown) => void) {
    this.#url = url;
    this.#onError = (error) => {
      if (!this.#checking) onError(error);
    };
  }

  /** A Keyv for `namespace`. Storage errors throw (Keyv's default is to swallow them and lose the write). */
  open(namespace: string): Keyv {
    const keyv = new Keyv({ namespace, throwOnErrors: true, ...this.#storeFor(this.#url) });
    keyv.on('error', this.#onError);
    this.#opened.push(keyv);
    return keyv;
  }

  /**
   * Writes, reads back and deletes a key in every store opened so far, one at a time. This connects each (a
   * Redis client refuses commands sent while it is still connecting) and reports at start a store that
   * cannot be reached, or cannot be written (a read-only or full SQLite file), instead of on first use.
   */
  async check(): Promise<void> {
    this.#checking = true;
    try {
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
    await this.#pool?.end().catch(() => undefined);
    this.#pool = undefined;
  }

  /** The adapter options for a URL; an empty object means Keyv's in-memory Map. */
  #storeFor(url: string): { store?: KeyvStoreAdapter } {
    if (url.startsWith('postgres')) {
      this.#pool ??= postgresPool(url, this.#onError);
      return { store: new PostgresStore(this.#pool) as unknown as KeyvStoreAdapter };
    }
    return storeFor(url);
  }
}

/** The adapter options for a URL other than PostgreSQL's; an empty object means Keyv's in-memory Map. */
function storeFor(url: string): { store?: KeyvStoreAdapter } {
  const scheme = url.slice(0, url.indexOf(':'));
  switch (scheme) {
    case 'memory':
      return {};
    case 'sqlite': {
      const file = url.slice('sqlite://'.length);
      if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      // The one-argument form: `new KeyvSqlite(uri, options)` ignores its options.
      const store = new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 10_000 });
      // WAL lets readers run during a write and made writes about 5× faster here.
      void store.query('PRAGMA journal_mode=WAL').catch(() => undefined);
      return { store: store as unknown as KeyvStoreAdapter };
    }
    case 'redis':
    case 'rediss':
      // Fail fast when Redis is down instead of queueing commands until it returns.
      return {
        store: new KeyvRedis(
          { url, disableOfflineQueue: true, socket: { connectTimeout: 5000 } },
          { throwOnConnectError: true, throwOnErrors: true, connectionTimeout: 5000 },
        ) as unknown as KeyvStoreAdapter,
      };
    default:
      throw new Error(`unsupported KEYV_URL scheme "${scheme}"`);
  }
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
