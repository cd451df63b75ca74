import AsyncLock from 'async-lock';
import type Keyv from 'keyv';
import { withTimeout } from './timeout.js';

/**
 * When the scheduler should look at a server again, indexed by minute: a tick reads only the minutes that
 * have come due since the last one, so its work grows with what is due, not with the number of servers.
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

const MINUTE = 60_000;
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
    const minute = Math.floor(at.getTime() / MINUTE);
    await this.#lock.acquire('index', async () => {
      const key = this.#bucket(minute);
      const entries = await this.#read(key);
      if (!entries.some((e) => e.guildId === guildId && e.at === at.getTime())) {
        await this.#write(key, [...entries, { guildId, at: at.getTime() }]);
      }
      const cursor = await this.#cursor();
      if (cursor === undefined || minute < cursor) await this.#setCursor(minute);
    });
  }

  /** Every hint due at `now`, oldest first. Reads one bucket per minute since the oldest unfinished one. */
  async due(now: Date): Promise<WakeUp[]> {
    const cursor = await this.#cursor();
    if (cursor === undefined) return [];
    const last = Math.floor(now.getTime() / MINUTE);
    const due: WakeUp[] = [];
    for (let minute = cursor; minute <= last; minute++) {
      due.push(...(await this.#read(this.#bucket(minute))).filter((e) => e.at <= now.getTime()));
    }
    return due;
  }

  /** Removes handled hints, and moves the cursor past minutes that are empty and over. */
  async done(handled: readonly WakeUp[], now: Date): Promise<void> {
    await this.#lock.acquire('index', async () => {
      const byMinute = new Map<number, WakeUp[]>();
      for (const entry of handled) {
        const minute = Math.floor(entry.at / MINUTE);
        byMinute.set(minute, [...(byMinute.get(minute) ?? []), entry]);
      }
      for (const [minute, entries] of byMinute) {
        const key = this.#bucket(minute);
        const left = (await this.#read(key)).filter(
          (e) => !entries.some((h) => h.guildId === e.guildId && h.at === e.at),
        );
        if (left.length === 0)
          await withTimeout(this.#keyv.delete(key), TIMEOUT_MS, 'clearing a wake-up bucket');
        else await this.#write(key, left);
      }
      let cursor = await this.#cursor();
      const current = Math.floor(now.getTime() / MINUTE);
      while (
        cursor !== undefined &&
        cursor < current &&
        (await this.#read(this.#bucket(cursor))).length === 0
      )
        cursor++;
      if (cursor !== undefined) await this.#setCursor(cursor);
    });
  }

  #bucket(minute: number): string {
    return `${this.#owner}:${minute}`;
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

  async #setCursor(minute: number): Promise<void> {
    await withTimeout(
      this.#keyv.set(`${this.#owner}:cursor`, minute),
      TIMEOUT_MS,
      'writing the wake-up cursor',
    );
  }
}
