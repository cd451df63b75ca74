import type Keyv from 'keyv';
import type { Backend } from './backends/backend.js';
import type { Locks } from './locks.js';
import { type WakeUpIndex, WakeUps } from './wakeups.js';

/**
 * Opens Keyv stores from a `KEYV_URL`:
 *
 * - `sqlite://path/to/file.sqlite` (the default): one embedded file, held by one process.
 * - `redis://…`, `postgres://…`: for several processes (shards) sharing state.
 * - `memory:`: nothing persists; for tests and trying things out.
 *
 * The backend for the scheme is loaded when the factory is made (`StoreFactory.connect`), so a bot on SQLite
 * never loads the Redis or PostgreSQL clients.
 */
export class StoreFactory {
  readonly #backend: Backend;
  readonly #opened: Keyv[] = [];
  readonly #onError: (error: unknown) => void;
  /** While checking at start, a failure is the caller's to report (once, plainly), not the log's. */
  #checking = false;

  private constructor(backend: Backend, onError: (error: unknown) => void) {
    this.#backend = backend;
    this.#onError = onError;
  }

  /** A factory for `url`; storage errors go to `onError` (and are thrown to callers). */
  static async connect(url: string, onError: (error: unknown) => void): Promise<StoreFactory> {
    let checking = () => false;
    const report = (error: unknown) => {
      if (!checking()) onError(error);
    };
    const factory = new StoreFactory(await loadBackend(url, report), report);
    checking = () => factory.#checking;
    return factory;
  }

  /**
   * A Keyv for `namespace`. Storage errors throw (Keyv's default is to swallow them and lose the write). On
   * a store several processes share, it is an `AtomicKeyv`, so record changes can compare-and-swap.
   */
  open(namespace: string): Keyv {
    const keyv = this.#backend.open({ namespace, throwOnErrors: true });
    keyv.on('error', this.#onError);
    this.#opened.push(keyv);
    return keyv;
  }

  /** Whether several processes may share this store. */
  get shared(): boolean {
    return this.#backend.shared;
  }

  /** Locks every process on this store sees: Redis's or PostgreSQL's; this process's own otherwise. */
  locks(): Locks {
    return this.#backend.locks();
  }

  /** The wake-up index: the store's own ordered structure where processes share it, Keyv otherwise. */
  wakeUps(): WakeUpIndex {
    return this.#backend.wakeUps((namespace) => this.open(namespace));
  }

  /**
   * Moves wake-ups an earlier Crux kept in Keyv hour buckets into `index`, where the store now has its own
   * (see `WakeUps.moveTo`); nothing to do where the buckets are still the index. How many were moved.
   */
  async moveLegacyWakeUps(index: WakeUpIndex): Promise<number> {
    if (index instanceof WakeUps) return 0;
    return new WakeUps(this.open('wakeups')).moveTo(index);
  }

  /**
   * Writes, reads back and deletes a key in every store opened so far, one at a time. This connects each (a
   * Redis client refuses commands sent while it is still connecting) and reports at start a store that
   * cannot be reached, or cannot be written (a read-only or full SQLite file), instead of on first use.
   */
  async check(): Promise<void> {
    this.#checking = true;
    try {
      await this.#backend.check();
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
    await this.#backend.close();
  }
}

/** The backend for a URL's scheme, its module loaded now. */
async function loadBackend(url: string, onError: (error: unknown) => void): Promise<Backend> {
  const scheme = url.slice(0, url.indexOf(':'));
  switch (scheme) {
    case 'memory':
      return (await import('./backends/local.js')).memoryBackend();
    case 'sqlite':
      return (await import('./backends/local.js')).sqliteBackend(url);
    case 'redis':
    case 'rediss':
      return (await import('./backends/redis.js')).redisBackend(url, onError);
    case 'postgres':
    case 'postgresql':
      return (await import('./backends/postgres.js')).postgresBackend(url, onError);
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
