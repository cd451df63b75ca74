import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ShardLeases } from '../../src/state/leases.js';
import { LocalLocks, type Locks } from '../../src/state/locks.js';
import { StoreFactory } from '../../src/state/stores.js';
import { available, newGuildId, POSTGRES_URL, REDIS_URL } from '../helpers/services.js';

const TTL_MS = 600;
const failOnError = (error: unknown) => {
  throw error;
};

/** Shard numbers of their own per test, so runs on the shared servers never meet. */
const freshShards = (n: number) => {
  const base = Number(newGuildId().slice(-9));
  return Array.from({ length: n }, (_, i) => base + i);
};

/** Where leases live, as one process opens it. */
type OpenLocks = () => Promise<{ readonly locks: Locks; readonly close: () => Promise<void> }>;

const onStore =
  (url: string): OpenLocks =>
  async () => {
    const factory = await StoreFactory.connect(url, failOnError);
    return { locks: factory.locks(), close: () => factory.close() };
  };

const places: [string, OpenLocks, boolean][] = [
  ['this process', async () => ({ locks: new LocalLocks(), close: async () => undefined }), true],
  ['Redis', onStore(REDIS_URL), available.redis],
  ['PostgreSQL', onStore(POSTGRES_URL), available.postgres],
];

describe.each(places)('shard leases on %s', (_name, open, runs) => {
  it.skipIf(!runs)('make a second process wait until the first lets its shards go', async () => {
    const store = await open();
    try {
      const shards = freshShards(2);
      // A lease far longer than the wait below, so a loaded machine's late renewal cannot let the second in:
      // only the release can. (Renewal itself is tested on a driven clock below.)
      const first = new ShardLeases(store.locks, { ttlMs: 10_000 });
      const second = new ShardLeases(store.locks, { ttlMs: 10_000 });
      await first.acquire(shards, { onLost: () => undefined });
      const waitedFor: number[][] = [];
      let acquired = false;
      const waiting = second
        .acquire(shards, { onLost: () => undefined, onWait: (w) => waitedFor.push([...w]), retryMs: 50 })
        .then(() => {
          acquired = true;
        });
      // Several of the second's attempts: the lease is held, so it keeps waiting.
      await sleep(500);
      expect(acquired).toBe(false);
      expect(waitedFor).toEqual([shards]);
      await first.release();
      await waiting;
      expect(second.held).toEqual(shards);
      await second.release();
    } finally {
      await store.close();
    }
  });

  it.skipIf(!runs)('pass a dead process’s shard to the next one once the lease expires', async () => {
    const store = await open();
    try {
      const [shard = 0] = freshShards(1);
      // A process that took the lease and died: nobody renews it.
      expect(await store.locks.tryAcquire(`shard:${shard}`, TTL_MS)).toBeDefined();
      const next = new ShardLeases(store.locks, { ttlMs: TTL_MS });
      const started = Date.now();
      await next.acquire([shard], { onLost: () => undefined, retryMs: 50 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(TTL_MS - 100);
      await next.release();
    } finally {
      await store.close();
    }
  });
});

describe('a process that can no longer renew its lease', () => {
  /** Locks whose renewals answer `renew` (or throw for 'down'). */
  const locksThat = (renew: 'lost' | 'down'): Locks => {
    const local = new LocalLocks();
    return {
      tryAcquire: (key, ttl) => local.tryAcquire(key, ttl),
      renew: async () => {
        if (renew === 'down') throw new Error('store unreachable');
        return false;
      },
      release: (key, token) => local.release(key, token),
      close: () => local.close(),
    };
  };

  // The clock is driven, so the answer does not depend on how loaded the machine is.
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is told at its next renewal that another process has taken it', async () => {
    const leases = new ShardLeases(locksThat('lost'), { ttlMs: 30_000 });
    const lost: number[] = [];
    await leases.acquire([3], { onLost: (shard) => lost.push(shard) });
    await vi.advanceTimersByTimeAsync(9_999);
    expect(lost).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(lost).toEqual([3]);
    expect(leases.held).toEqual([]);
    await leases.release();
  });

  it('stops a third of a lease before it could expire when the store stops answering', async () => {
    const leases = new ShardLeases(locksThat('down'), { ttlMs: 30_000 });
    const lost: number[] = [];
    await leases.acquire([5], { onLost: (shard) => lost.push(shard) });
    // The renewal at 10 s fails, but the lease is good until 30 s: still held.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(lost).toEqual([]);
    // At 20 s, less than a third of it is left: stop now, before another process could take it.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(lost).toEqual([5]);
    await leases.release();
  });
});
