import AsyncLock from 'async-lock';
import type Keyv from 'keyv';
import { z } from 'zod';

/**
 * Each server's state, as one versioned record. Reads return a snapshot merged over the defaults declared
 * here; writes go through `change`, which runs under a per-server lock because Keyv has no transactions:
 * two concurrent read-modify-writes would otherwise lose one of the updates.
 */

/** Bump when the record's shape changes, and teach `migrate` the step. */
export const GUILD_RECORD_VERSION = 1;

const GuildRecordSchema = z.object({
  version: z.literal(GUILD_RECORD_VERSION).default(GUILD_RECORD_VERSION),
  excerpts: z.object({ shown: z.array(z.string()).default([]) }).default({ shown: [] }),
  cruxes: z.object({ shown: z.array(z.string()).default([]) }).default({ shown: [] }),
});

/** A server's stored state. Snapshots are read-only: change them by returning a new record from `change`. */
export interface GuildRecord {
  readonly version: typeof GUILD_RECORD_VERSION;
  /** Excerpt ids shown in the channel since each scope last started over. */
  readonly excerpts: { readonly shown: readonly string[] };
  /** Crux ids shown by `/crux` since each session's rotation last started over. */
  readonly cruxes: { readonly shown: readonly string[] };
}

/** What a `change` function returns: the record to store and a result for the caller. */
export interface Change<R> {
  readonly record: GuildRecord;
  readonly result: R;
}

const SNOWFLAKE = /^\d{1,25}$/u;

export class GuildStore {
  readonly #keyv: Keyv;
  readonly #lock = new AsyncLock({ maxPending: 10_000 });

  constructor(keyv: Keyv) {
    this.#keyv = keyv;
  }

  /** A read-only snapshot of the server's record (the defaults for a server Crux has not seen). */
  async read(guildId: string): Promise<GuildRecord> {
    return migrate(await this.#keyv.get(key(guildId)));
  }

  /**
   * Reads, changes and writes the server's record under its lock. If `fn` throws, nothing is written.
   * Within one process this serializes every write to a server; across processes each server must have one
   * owner (the shard that holds it).
   */
  async change<R>(guildId: string, fn: (current: GuildRecord) => Change<R>): Promise<R> {
    const id = key(guildId);
    return this.#lock.acquire(id, async () => {
      const { record, result } = fn(migrate(await this.#keyv.get(id)));
      await this.#keyv.set(id, GuildRecordSchema.parse(record));
      return result;
    });
  }

  /** Forgets everything stored for the server. */
  async delete(guildId: string): Promise<void> {
    const id = key(guildId);
    await this.#lock.acquire(id, async () => {
      await this.#keyv.delete(id);
    });
  }
}

/** The storage key for a server. Ids come from Discord, but are checked so no input can reach another key. */
function key(guildId: string): string {
  if (!SNOWFLAKE.test(guildId)) throw new RangeError(`not a Discord id: ${JSON.stringify(guildId)}`);
  return guildId;
}

/** Brings a stored value of any earlier version up to the current shape, filling defaults. */
function migrate(stored: unknown): GuildRecord {
  return GuildRecordSchema.parse(stored ?? {});
}
