import { setTimeout as sleep } from 'node:timers/promises';
import type { Locks } from './locks.js';

/**
 * The leases that make a shard run in one process at a time. A process takes the lease of every shard it
 * is configured for before logging them in, waiting while another process holds any of them (a rolling
 * deploy: the new process starts when the old one lets go, or when a dead one's leases expire), and renews
 * them at a third of their life. A renewal that finds a lease lost means another process may now run the
 * shard: `onLost` is called, and the process must stop acting at once.
 */
export class ShardLeases {
  readonly #locks: Locks;
  readonly #ttlMs: number;
  /** Each held shard's token, and when its lease was last known to be ours (renewed or taken). */
  readonly #held = new Map<number, { readonly token: string; renewedAt: number }>();
  #renewing: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(locks: Locks, options: { readonly ttlMs: number }) {
    this.#locks = locks;
    this.#ttlMs = options.ttlMs;
  }

  /**
   * Takes the lease of every shard in `shards`, trying again every `retryMs` while any is held elsewhere;
   * `onWait` hears which shards it is waiting for (once per change). Resolves once all are held.
   */
  async acquire(
    shards: readonly number[],
    options: {
      readonly onWait?: (waitingFor: readonly number[]) => void;
      readonly onLost: (shard: number) => void;
      readonly retryMs?: number;
    },
  ): Promise<void> {
    let reported = '';
    for (;;) {
      if (this.#stopped) throw new Error('stopped while waiting for shard leases');
      for (const shard of shards) {
        if (this.#held.has(shard)) continue;
        const token = await this.#locks.tryAcquire(leaseKey(shard), this.#ttlMs);
        if (token) this.#held.set(shard, { token, renewedAt: Date.now() });
      }
      const waiting = shards.filter((shard) => !this.#held.has(shard));
      if (waiting.length === 0) break;
      if (waiting.join() !== reported) options.onWait?.(waiting);
      reported = waiting.join();
      // Keep what is held alive while waiting for the rest.
      await this.#renew(options.onLost);
      await sleep(options.retryMs ?? Math.min(1000, this.#ttlMs / 3));
    }
    this.#renewing = setInterval(() => void this.#renew(options.onLost), this.#ttlMs / 3);
    this.#renewing.unref();
  }

  /** The shards whose lease this process holds. */
  get held(): readonly number[] {
    return [...this.#held.keys()].sort((a, b) => a - b);
  }

  /** Lets every lease go, so another process can take the shards at once rather than after they expire. */
  async release(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#renewing);
    const held = [...this.#held];
    this.#held.clear();
    await Promise.allSettled(held.map(([shard, { token }]) => this.#locks.release(leaseKey(shard), token)));
  }

  async #renew(onLost: (shard: number) => void): Promise<void> {
    for (const [shard, held] of this.#held) {
      let kept: boolean;
      try {
        kept = await this.#locks.renew(leaseKey(shard), held.token, this.#ttlMs);
        if (kept) held.renewedAt = Date.now();
      } catch {
        // The store did not answer: the lease is still ours for now, but this process stops a third of a
        // lease before it would expire, so it has stopped before another process can take the shard.
        kept = Date.now() < held.renewedAt + (this.#ttlMs * 2) / 3;
      }
      if (!kept && this.#held.get(shard) === held) {
        this.#held.delete(shard);
        onLost(shard);
      }
    }
  }
}

/**
 * A shard's lease, by its number alone: processes must agree on SHARD_COUNT (changing it means stopping
 * every process first, see the README), and keying by number keeps a process with a stale count from
 * running a shard number another process runs.
 */
function leaseKey(shard: number): string {
  return `shard:${shard}`;
}
