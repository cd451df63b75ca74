import type KeyvRedis from '@keyv/redis';
import Keyv, { type KeyvOptions } from 'keyv';
import type { PostgresStore } from './postgres.js';

/**
 * A Keyv on a store that several processes share (Redis, PostgreSQL), which can also replace a record only
 * if it is still what the caller read: compare-and-swap on the stored text. `RecordStore` uses it so two
 * processes changing one record never lose an update: the loser of a race reads again and reapplies its
 * changes. The stored text is Keyv's own serialization under Keyv's own key, so records written either way
 * read the same.
 *
 * Comparing the whole stored text, rather than a version number, needs no schema change and cannot be
 * fooled: equal text is equal state.
 */
export class AtomicKeyv extends Keyv {
  readonly #swap: RawSwap;

  constructor(options: KeyvOptions & { readonly namespace: string }, swap: RawSwap) {
    super(options);
    this.#swap = swap;
  }

  /** The record under `key` as stored, with its value, or undefined for none. */
  async read(key: string): Promise<StoredText | undefined> {
    const text = await this.#swap.get(this.#storeKey(key));
    if (text === undefined) return undefined;
    const data = await this.deserialize?.(text);
    return { text, value: data?.value };
  }

  /**
   * Stores `value` (or deletes the record, for undefined) if the stored text is still `expected` (undefined:
   * still absent). False when another writer got there first.
   */
  async swap(key: string, expected: string | undefined, value: unknown): Promise<boolean> {
    const next = value === undefined ? undefined : await this.serialize?.({ value, expires: undefined });
    return this.#swap.swap(this.#storeKey(key), expected, next);
  }

  /** The key Keyv gives its adapter: the namespace, a colon, the key. */
  #storeKey(key: string): string {
    return `${this.namespace}:${key}`;
  }
}

/** A record as stored: its text, to compare against, and its value. */
export interface StoredText {
  readonly text: string;
  readonly value: unknown;
}

/** Reads and conditionally replaces stored text, by the key Keyv hands its adapter. */
export interface RawSwap {
  get(storeKey: string): Promise<string | undefined>;
  swap(storeKey: string, expected: string | undefined, next: string | undefined): Promise<boolean>;
}

/** The swap on PostgreSQL: one conditional statement on the row. */
export function postgresSwap(store: PostgresStore): RawSwap {
  return { get: (key) => store.get(key), swap: (key, expected, next) => store.swap(key, expected, next) };
}

/**
 * The swap on Redis: a Lua script, which Redis runs atomically, compares and writes in one round trip.
 * The key is the adapter's own (`namespace::key`).
 */
const SWAP_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current then return 0 end
elseif current ~= ARGV[2] then
  return 0
end
if ARGV[3] == '1' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[4]) end
return 1`;

export function redisSwap(adapter: KeyvRedis<unknown>): RawSwap {
  const redisKey = (key: string) => adapter.createKeyPrefix(key, adapter.namespace);
  return {
    async get(key) {
      const client = await adapter.getClient();
      const text = await client.get(redisKey(key));
      return typeof text === 'string' ? text : undefined;
    },
    async swap(key, expected, next) {
      const client = await adapter.getClient();
      const swapped = await client.eval(SWAP_SCRIPT, {
        keys: [redisKey(key)],
        arguments: [
          expected === undefined ? '1' : '0',
          expected ?? '',
          next === undefined ? '1' : '0',
          next ?? '',
        ],
      });
      return swapped === 1;
    },
  };
}
