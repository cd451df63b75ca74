import AsyncLock from 'async-lock';
import type Keyv from 'keyv';
import { withTimeout } from './timeout.js';

/**
 * When the scheduler should look at a server again, indexed by hour: a tick reads only the hour buckets
 * since the last one it finished (usually one), so its work grows with what is due, not with the number of
 * servers; catching up after a day offline reads 24 buckets.
 * Entries are hints; the server's own record decides what, if anything, is due (and guarantees each post
 * happens once), so a stale or duplicate hint is harmless and a hint is removed only after it was handled.
 *
 * Each process keeps its own index (`owner`), since bucket writes are serialized only within a process:
 * with several shards, each owns its servers and their wake-ups.
 */

/** A hint that `guildId` may have something due at `at` (epoch ms). */
export interface WakeUp {
  readonly guildId: string;
  readonly at: number;
}

/** Bucket width: an hour keeps a tick to one or two reads and a day's catch-up to 24. */
const BUCKET = 3_600_000;
const TIMEOUT_MS = 5000;

export class WakeUps {
  readonly #keyv: Keyv;
  readonly #owner: string;
  readonly #lock = new AsyncLock({ maxPending: 100_000 });

  constructor(keyv: Keyv, owner = 'main') {
    this.#keyv = keyv;
    this.#owner = owner;
  }

  /** Asks to be woken for `guildId` at `at`. */
  async add(guildId: string, at: Date): Promise<void> {
    const bucket = Math.floor(at.getTime() / BUCKET);
    await this.#lock.acquire('index', async () => {
      const key = this.#key(bucket);
      const entries = await this.#read(key);
      if (!entries.some((e) => e.guildId === guildId && e.at === at.getTime())) {
        await this.#write(key, [...entries, { guildId, at: at.getTime() }]);
      }
      const cursor = await this.#cursor();
      if (cursor === undefined || bucket < cursor) await this.#setCursor(bucket);
    });
  }

  /** Every hint due at `now`, oldest first. Reads one bucket per hour since the oldest unfinished one. */
  async due(now: Date): Promise<WakeUp[]> {
    const cursor = await this.#cursor();
    if (cursor === undefined) return [];
    const last = Math.floor(now.getTime() / BUCKET);
    const due: WakeUp[] = [];
    for (let bucket = cursor; bucket <= last; bucket++) {
      due.push(...(await this.#read(this.#key(bucket))).filter((e) => e.at <= now.getTime()));
    }
    return due;
  }

  /** Removes handled hints, and moves the cursor past hours that are empty and over. */
  async done(handled: readonly WakeUp[], now: Date): Promise<void> {
    await this.#lock.acquire('index', async () => {
      const byBucket = new Map<number, WakeUp[]>();
      for (const entry of handled) {
        const bucket = Math.floor(entry.at / BUCKET);
        byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), entry]);
      }
      for (const [bucket, entries] of byBucket) {
        const key = this.#key(bucket);
        const left = (await this.#read(key)).filter(
          (e) => !entries.some((h) => h.guildId === e.guildId && h.at === e.at),
        );
        if (left.length === 0)
          await withTimeout(this.#keyv.delete(key), TIMEOUT_MS, 'clearing a wake-up bucket');
        else await this.#write(key, left);
      }
      let cursor = await this.#cursor();
      const current = Math.floor(now.getTime() / BUCKET);
      while (cursor !== undefined && cursor < current && (await this.#read(this.#key(cursor))).length === 0)
        cursor++;
      if (cursor !== undefined) await this.#setCursor(cursor);
    });
  }

  #key(bucket: number): string {
    return `${this.#owner}:${bucket}`;
  }

  async #read(key: string): Promise<WakeUp[]> {
    return (
      ((await withTimeout(this.#keyv.get(key), TIMEOUT_MS, 'reading wake-ups')) as WakeUp[] | undefined) ?? []
    );
  }

  async #write(key: string, entries: WakeUp[]): Promise<void> {
    await withTimeout(this.#keyv.set(key, entries), TIMEOUT_MS, 'writing wake-ups');
  }

  async #cursor(): Promise<number | undefined> {
    return (await withTimeout(
      this.#keyv.get(`${this.#owner}:cursor`),
      TIMEOUT_MS,
      'reading the wake-up cursor',
    )) as number | undefined;
  }

  async #setCursor(bucket: number): Promise<void> {
    await withTimeout(
      this.#keyv.set(`${this.#owner}:cursor`, bucket),
      TIMEOUT_MS,
      'writing the wake-up cursor',
    );
  }
}
