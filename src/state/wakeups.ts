import { randomUUID } from 'node:crypto';
import AsyncLock from 'async-lock';
import type Keyv from 'keyv';
import { z } from 'zod';
import { ownsGuild, type ShardSet } from '../core/shards.js';
import { storeCall } from './timeout.js';

/**
 * When the scheduler should look at each server again. Entries are hints: the server's own record decides
 * what, if anything, is due (and guarantees each post happens once), so an extra hint is harmless. Each hint
 * has its own id, and `done` removes exactly the hints a tick handled, so a hint added while the tick ran is
 * never lost, even for the same instant.
 */
export interface WakeUpIndex {
  /** Asks to be woken for `guildId` at `at`. */
  add(guildId: string, at: Date): Promise<void>;
  /** Every hint due at `now` for servers on `shards` (all servers when not given), oldest first. */
  due(now: Date, shards?: ShardSet): Promise<WakeUp[]>;
  /** Removes the hints a tick handled. */
  done(handled: readonly WakeUp[], now: Date): Promise<void>;
}

/**
 * The wake-up index on Keyv, for state in memory, indexed by hour (earlier versions of Crux kept it this way
 * on every store; `moveTo` carries such hints over to a store's own index): a tick reads only the hours since the
 * last one it finished (usually one), so its work grows with what is due, not with the number of servers;
 * catching up after a day offline reads 24 hours. Each hour is split into slots by server, so adding a
 * hint rewrites a small list and a thousand servers due in one hour do not make each write longer.
 *
 * Writes are serialized within this process only. SQLite, Redis and PostgreSQL have indexes of their own
 * (`sqlite-wakeups.ts`, `shared-wakeups.ts`).
 */

const WakeUpSchema = z.object({ id: z.string(), guildId: z.string(), at: z.number() }).readonly();
/** One hour slot's hints as stored (nothing stored reads as none). */
const WakeUpListSchema = z
  .array(WakeUpSchema)
  .optional()
  .transform((list) => list ?? []);
const CursorSchema = z.number().int().optional();

/** A hint that `guildId` may have something due at `at` (epoch ms). */
export type WakeUp = z.infer<typeof WakeUpSchema>;

const HOUR = 3_600_000;
/** Slots per hour: a tick reads this many keys per hour (one call where the store can read many at once). */
const SLOTS = 16;
const TIMEOUT_MS = 5000;
const READ_BATCH = 256;
const CURSOR = 'cursor';

export class WakeUps implements WakeUpIndex {
  readonly #keyv: Keyv;
  readonly #owner: string;
  readonly #lock = new AsyncLock({ maxPending: 100_000 });

  constructor(keyv: Keyv, owner = 'main') {
    this.#keyv = keyv;
    this.#owner = owner;
  }

  /** Asks to be woken for `guildId` at `at`. */
  async add(guildId: string, at: Date): Promise<void> {
    const hour = Math.floor(at.getTime() / HOUR);
    const key = this.#key(hour, slotOf(guildId));
    await this.#lock.acquire(key, async () => {
      await this.#write(key, [...(await this.#read(key)), { id: randomUUID(), guildId, at: at.getTime() }]);
    });
    // After the write, so `done` either sees the hint or has already moved past the hour we now move back to.
    await this.#lock.acquire(CURSOR, async () => {
      const cursor = await this.#cursor();
      if (cursor === undefined || hour < cursor) await this.#setCursor(hour);
    });
  }

  /** Every hint due at `now`, oldest first. Reads the hours since the oldest one not yet cleared. */
  async due(now: Date, shards?: ShardSet): Promise<WakeUp[]> {
    const cursor = await this.#cursor();
    if (cursor === undefined) return [];
    const keys: string[] = [];
    for (let hour = cursor; hour <= Math.floor(now.getTime() / HOUR); hour++)
      keys.push(...this.#hourKeys(hour));
    return (await this.#readMany(keys))
      .flat()
      .filter((hint) => hint.at <= now.getTime() && (!shards || ownsGuild(shards, hint.guildId)))
      .sort((a, b) => a.at - b.at);
  }

  /** Removes the hints a tick handled, and moves the cursor past hours that are empty and over. */
  async done(handled: readonly WakeUp[], now: Date): Promise<void> {
    const byKey = new Map<string, Set<string>>();
    for (const hint of handled) {
      const key = this.#key(Math.floor(hint.at / HOUR), slotOf(hint.guildId));
      byKey.set(key, (byKey.get(key) ?? new Set()).add(hint.id));
    }
    for (const [key, ids] of byKey) {
      await this.#lock.acquire(key, async () => {
        const left = (await this.#read(key)).filter((hint) => !ids.has(hint.id));
        if (left.length > 0) await this.#write(key, left);
        else await storeCall(this.#keyv.delete(key), TIMEOUT_MS, 'clearing wake-ups');
      });
    }
    await this.#lock.acquire(CURSOR, async () => {
      let cursor = await this.#cursor();
      const current = Math.floor(now.getTime() / HOUR);
      const start = cursor;
      while (cursor !== undefined && cursor < current && (await this.#hourIsEmpty(cursor))) cursor++;
      if (cursor !== start && cursor !== undefined) await this.#setCursor(cursor);
    });
  }

  /**
   * Moves every hint stored here into `index`, and forgets them here: an upgrade from this index to a
   * store's own (Redis, PostgreSQL) must not drop the hints of servers whose next session is days away, or
   * those servers would never be woken. Safe to run twice, or in two processes at once: a hint added twice
   * is harmless.
   */
  async moveTo(index: WakeUpIndex): Promise<number> {
    const iterate = this.#keyv.iterator;
    if (!iterate) throw new Error('this store cannot list its wake-ups to move them');
    let moved = 0;
    // Keyv's iterator takes the namespace as its argument, and yields keys without it.
    for await (const [key, value] of iterate(this.#keyv.namespace)) {
      if (typeof key !== 'string' || !key.startsWith(`${this.#owner}:`)) continue;
      if (key !== `${this.#owner}:${CURSOR}`) {
        for (const hint of WakeUpListSchema.parse(value)) {
          await index.add(hint.guildId, new Date(hint.at));
          moved++;
        }
      }
      await storeCall(this.#keyv.delete(key), TIMEOUT_MS, 'clearing moved wake-ups');
    }
    return moved;
  }

  async #hourIsEmpty(hour: number): Promise<boolean> {
    return (await this.#readMany(this.#hourKeys(hour))).every((list) => list.length === 0);
  }

  /** Reads many lists, a bounded number of keys per call (SQL stores cap a query's parameters). */
  async #readMany(keys: readonly string[]): Promise<WakeUp[][]> {
    const lists: WakeUp[][] = [];
    for (let i = 0; i < keys.length; i += READ_BATCH) {
      const batch = await storeCall(
        this.#keyv.getMany(keys.slice(i, i + READ_BATCH)),
        TIMEOUT_MS,
        'reading wake-ups',
      );
      lists.push(...batch.map((list) => WakeUpListSchema.parse(list)));
    }
    return lists;
  }

  #hourKeys(hour: number): string[] {
    return Array.from({ length: SLOTS }, (_, slot) => this.#key(hour, slot));
  }

  #key(hour: number, slot: number): string {
    return `${this.#owner}:${hour}:${slot}`;
  }

  async #read(key: string): Promise<WakeUp[]> {
    return WakeUpListSchema.parse(await storeCall(this.#keyv.get(key), TIMEOUT_MS, 'reading wake-ups'));
  }

  async #write(key: string, hints: WakeUp[]): Promise<void> {
    await storeCall(this.#keyv.set(key, hints), TIMEOUT_MS, 'writing wake-ups');
  }

  async #cursor(): Promise<number | undefined> {
    return CursorSchema.parse(
      await storeCall(this.#keyv.get(`${this.#owner}:${CURSOR}`), TIMEOUT_MS, 'reading the wake-up cursor'),
    );
  }

  async #setCursor(hour: number): Promise<void> {
    await storeCall(
      this.#keyv.set(`${this.#owner}:${CURSOR}`, hour),
      TIMEOUT_MS,
      'writing the wake-up cursor',
    );
  }
}

/** A server's slot within an hour: stable, and spread evenly over snowflake ids. */
function slotOf(guildId: string): number {
  let hash = 0;
  for (let i = 0; i < guildId.length; i++) hash = (hash * 31 + guildId.charCodeAt(i)) >>> 0;
  return hash % SLOTS;
}
