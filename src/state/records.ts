import { setTimeout as sleep } from 'node:timers/promises';
import type Keyv from 'keyv';
import { AtomicKeyv } from './atomic.js';
import { StorageError, storeCall } from './timeout.js';

/**
 * The one way state is changed: read-modify-write of a record under its key, serialized per key, because
 * Keyv has no transactions (two concurrent read-modify-writes would lose one update).
 *
 * Changes to one key are applied in the order they arrive. While a write is in flight, the changes that
 * arrive queue up and are then applied together, one after another on the same in-memory record, and
 * written once (group commit): 500 members voting at once cost a handful of writes, not 500, and none is
 * lost. Each change's caller hears back only after the write that contains it succeeded; if that write
 * fails, every change in it fails and nothing of it is stored.
 *
 * The queue serializes changes within this process. Across processes (on Redis or PostgreSQL, whose store
 * is an `AtomicKeyv`) a batch is written only if the record is still what the batch read: when another
 * process wrote it meanwhile, the batch is applied again to the new record. So a change function may run
 * more than once and must not act outside the record it returns (its result is the last run's).
 */

/** What a change function returns: the record to store (the same object for no change) and a result. */
export interface RecordChange<T, R> {
  readonly record: T;
  readonly result: R;
}

export interface RecordStoreOptions<T> {
  /** Turns what is stored (undefined for nothing) into a record, filling defaults; throws for what it cannot read. */
  readonly parse: (stored: unknown) => T;
  /** What is written for a record; the record itself by default. */
  readonly serialize?: (record: T) => unknown;
  /** For messages: "server state", "a poll". */
  readonly what: string;
  /** How long one storage call may take. */
  readonly timeoutMs?: number;
  /** Runs before a changed record is written; if it throws, nothing is written. */
  readonly beforeWrite?: (key: string, before: T, after: T) => Promise<void>;
  /** How many changes may wait for one key before new ones are refused. */
  readonly maxPending?: number;
}

interface Pending<T> {
  /** A change, or null to delete the record. */
  readonly fn: ((current: T) => RecordChange<T, unknown>) | null;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** Too many changes are waiting for one record: something is stuck, so new ones fail fast. */
export class RecordBusyError extends Error {
  override name = 'RecordBusyError';
}

const READ_BATCH = 256;
const DEFAULT_TIMEOUT_MS = 5000;
const DELETED = Symbol('deleted');
/** How often a batch is reapplied when other processes keep writing the record first. */
const MAX_ATTEMPTS = 50;

type Outcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown };

export class RecordStore<T> {
  readonly #keyv: Keyv;
  readonly #options: RecordStoreOptions<T>;
  readonly #timeoutMs: number;
  readonly #queues = new Map<string, Pending<T>[]>();

  constructor(keyv: Keyv, options: RecordStoreOptions<T>) {
    this.#keyv = keyv;
    this.#options = options;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** A snapshot of the record (the defaults when there is none). */
  async read(key: string): Promise<T> {
    return this.#options.parse(await this.#get(key));
  }

  /** Snapshots of many records, a bounded number of keys per storage call. */
  async readMany(keys: readonly string[]): Promise<T[]> {
    const records: T[] = [];
    for (let i = 0; i < keys.length; i += READ_BATCH) {
      const batch = await storeCall(
        this.#keyv.getMany(keys.slice(i, i + READ_BATCH)),
        this.#timeoutMs,
        `reading ${this.#options.what}`,
      );
      records.push(...batch.map((stored) => this.#options.parse(stored)));
    }
    return records;
  }

  /** Applies `fn` to the current record and stores the result; resolves with `fn`'s result once written. */
  change<R>(key: string, fn: (current: T) => RecordChange<T, R>): Promise<R> {
    return this.#enqueue(key, fn) as Promise<R>;
  }

  /** Deletes the record, in order with the changes around it. */
  async delete(key: string): Promise<void> {
    await this.#enqueue(key, null);
  }

  #enqueue(key: string, fn: Pending<T>['fn']): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let queue = this.#queues.get(key);
      if (queue && queue.length >= (this.#options.maxPending ?? 10_000)) {
        reject(new RecordBusyError(`too many changes waiting for ${this.#options.what}`));
        return;
      }
      const idle = !queue;
      if (!queue) {
        queue = [];
        this.#queues.set(key, queue);
      }
      queue.push({ fn, resolve, reject });
      if (idle) void this.#drain(key, queue);
    });
  }

  /** Writes batches for one key until nothing is waiting. */
  async #drain(key: string, queue: Pending<T>[]): Promise<void> {
    // Let the changes that arrive in the same moment join the first batch.
    await Promise.resolve();
    while (queue.length > 0) {
      const batch = queue.splice(0, queue.length);
      await this.#commit(key, batch);
    }
    this.#queues.delete(key);
  }

  async #commit(key: string, batch: readonly Pending<T>[]): Promise<void> {
    let outcomes: Outcome[] = [];
    try {
      for (let attempt = 1; ; attempt++) {
        const written = await this.#attempt(key, batch);
        outcomes = written.outcomes;
        if (written.stored) break;
        if (attempt === MAX_ATTEMPTS) {
          throw new StorageError(`${this.#options.what} kept changing under another process's writes`);
        }
        // Apart at random, so two processes that collided do not collide again in step.
        await sleep(Math.random() * Math.min(attempt, 10));
      }
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) pending.resolve(outcome.value);
      else pending.reject(outcome?.error);
    });
  }

  /** Reads, applies the batch and writes; `stored` is false when another process wrote the record first. */
  async #attempt(
    key: string,
    batch: readonly Pending<T>[],
  ): Promise<{ readonly stored: boolean; readonly outcomes: Outcome[] }> {
    const { parse, serialize, beforeWrite, what } = this.#options;
    const atomic = this.#keyv instanceof AtomicKeyv ? this.#keyv : undefined;
    const stored = atomic
      ? await storeCall(atomic.read(key), this.#timeoutMs, `reading ${what}`)
      : { text: undefined, value: await this.#get(key) };
    const before = parse(stored?.value);
    const outcomes: Outcome[] = [];
    let current: T | typeof DELETED = before;
    for (const pending of batch) {
      if (pending.fn === null) {
        current = DELETED;
        outcomes.push({ ok: true, value: undefined });
        continue;
      }
      try {
        const base: T = current === DELETED ? parse(undefined) : current;
        const { record, result } = pending.fn(base);
        current = record === base && current === DELETED ? DELETED : record;
        outcomes.push({ ok: true, value: result });
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
    }
    if (current !== DELETED && current === before) return { stored: true, outcomes };
    if (current !== DELETED) await beforeWrite?.(key, before, current);
    const value = current === DELETED ? undefined : serialize ? serialize(current) : current;
    if (atomic) {
      const swapped = await storeCall(
        atomic.swap(key, stored?.text, value),
        this.#timeoutMs,
        `writing ${what}`,
      );
      return { stored: swapped, outcomes };
    }
    await storeCall(
      value === undefined ? this.#keyv.delete(key) : this.#keyv.set(key, value),
      this.#timeoutMs,
      `${value === undefined ? 'deleting' : 'writing'} ${what}`,
    );
    return { stored: true, outcomes };
  }

  #get(key: string): Promise<unknown> {
    return storeCall(this.#keyv.get(key), this.#timeoutMs, `reading ${this.#options.what}`);
  }
}
