import AsyncLock from 'async-lock';
import type Keyv from 'keyv';
import { z } from 'zod';
import type { Schedule } from '../core/schedule/plan.js';
import { withTimeout } from './timeout.js';

/**
 * Each server's state, as one versioned record. Reads return a snapshot merged over the defaults declared
 * here; writes go through `change`, which runs under a per-server lock because Keyv has no transactions:
 * two concurrent read-modify-writes would otherwise lose one of the updates.
 */

/**
 * Bump when the record's shape changes, and teach `migrate` the step. Version 2 added the schedule, the
 * covered sections and the facilitator role; version 1 records read as version 2 with those empty.
 */
export const GUILD_RECORD_VERSION = 2;

const shownList = z.object({ shown: z.array(z.string()).default([]) }).default({ shown: [] });

const GuildRecordSchema = z.object({
  version: z.number().int().default(GUILD_RECORD_VERSION),
  progress: z
    .object({ session: z.number().int().min(1).default(1), covered: z.array(z.string()).default([]) })
    .default({ session: 1, covered: [] }),
  excerpts: shownList,
  cruxes: shownList,
  // The schedule's own shape is enforced by the pure functions that build it (core/schedule/plan.ts).
  schedule: z
    .custom<Schedule>(
      (value) => typeof value === 'object' && value !== null && 'settings' in value && 'next' in value,
    )
    .nullable()
    .default(null),
  facilitatorRoleId: z.string().nullable().default(null),
});

/** A server's stored state. Snapshots are read-only: change them by returning a new record from `change`. */
export interface GuildRecord {
  readonly version: number;
  /**
   * Where the group is: `session` is the week's reading (1 until a schedule posts one); `covered` holds the
   * section ids the group has read, from posted sessions and facilitators' marks.
   */
  readonly progress: { readonly session: number; readonly covered: readonly string[] };
  /** Excerpt (and search passage) ids shown in the channel since each scope last started over. */
  readonly excerpts: { readonly shown: readonly string[] };
  /** Crux ids shown by `/crux` since each session's rotation last started over. */
  readonly cruxes: { readonly shown: readonly string[] };
  readonly schedule: Schedule | null;
  /** Members with this role may manage the schedule, besides those with Manage Server. */
  readonly facilitatorRoleId: string | null;
}

/** The record's rotation lists. */
export type RotationList = 'excerpts' | 'cruxes';

/** What a `change` function returns: the record to store and a result for the caller. */
export interface Change<R> {
  readonly record: GuildRecord;
  readonly result: R;
}

/** A stored record this version of Crux cannot read. */
export class StateVersionError extends Error {
  override name = 'StateVersionError';
}

const SNOWFLAKE = /^\d{1,25}$/u;

/** How long one storage call may take before the command fails instead of hanging. */
const STORAGE_TIMEOUT_MS = 5000;

/** How a GuildStore is set up. */
export interface GuildStoreOptions {
  /** How long one storage call may take. */
  readonly timeoutMs?: number;
  /**
   * Called with a server's new schedule before it is written, so what depends on it (the wake-up index) is
   * never behind the record: if this throws, the change is not written.
   */
  readonly onScheduleChange?: (guildId: string, schedule: Schedule) => Promise<void>;
}

export class GuildStore {
  readonly #keyv: Keyv;
  readonly #timeoutMs: number;
  readonly #lock: AsyncLock;

  readonly #onScheduleChange: GuildStoreOptions['onScheduleChange'];

  constructor(keyv: Keyv, options: GuildStoreOptions = {}) {
    this.#keyv = keyv;
    this.#timeoutMs = options.timeoutMs ?? STORAGE_TIMEOUT_MS;
    this.#onScheduleChange = options.onScheduleChange;
    // Waiting for a server's lock is bounded too, so one stuck call cannot queue that server's commands forever.
    this.#lock = new AsyncLock({
      maxPending: 10_000,
      timeout: this.#timeoutMs * 2,
      maxOccupationTime: this.#timeoutMs * 3,
    });
  }

  /** A read-only snapshot of the server's record (the defaults for a server Crux has not seen). */
  async read(guildId: string): Promise<GuildRecord> {
    return migrate(await this.#get(key(guildId)));
  }

  /**
   * Reads, changes and writes the server's record under its lock. If `fn` (or the schedule hook) throws,
   * nothing is written.
   * Within one process this serializes every write to a server; across processes each server must have one
   * owner (the shard that holds it).
   */
  async change<R>(guildId: string, fn: (current: GuildRecord) => Change<R>): Promise<R> {
    const id = key(guildId);
    return this.#lock.acquire(id, async () => {
      const before = migrate(await this.#get(id));
      const { record, result } = fn(before);
      if (record.schedule && record.schedule !== before.schedule)
        await this.#onScheduleChange?.(guildId, record.schedule);
      await withTimeout(
        this.#keyv.set(id, GuildRecordSchema.parse(record)),
        this.#timeoutMs,
        'writing server state',
      );
      return result;
    });
  }

  /**
   * Advances one of the server's rotation lists: `step` gets the list (and the record, for the current
   * session) and returns the new list with a result. A dry run (a private preview) writes nothing.
   */
  async rotate<R>(
    guildId: string,
    list: RotationList,
    step: (
      shown: readonly string[],
      record: GuildRecord,
    ) => { readonly shown?: readonly string[]; readonly result: R },
    options: { readonly dryRun?: boolean } = {},
  ): Promise<R> {
    if (options.dryRun) {
      const record = await this.read(guildId);
      return step(record[list].shown, record).result;
    }
    return this.change(guildId, (record) => {
      const { shown, result } = step(record[list].shown, record);
      return { record: shown ? { ...record, [list]: { shown } } : record, result };
    });
  }

  /** Forgets everything stored for the server. */
  async delete(guildId: string): Promise<void> {
    const id = key(guildId);
    await this.#lock.acquire(id, async () => {
      await withTimeout(this.#keyv.delete(id), this.#timeoutMs, 'deleting server state');
    });
  }

  #get(id: string): Promise<unknown> {
    return withTimeout(this.#keyv.get(id), this.#timeoutMs, 'reading server state');
  }
}

/** The storage key for a server. Ids come from Discord, but are checked so no input can reach another key. */
function key(guildId: string): string {
  if (!SNOWFLAKE.test(guildId)) throw new RangeError(`not a Discord id: ${JSON.stringify(guildId)}`);
  return guildId;
}

/** Brings a stored value of this or an earlier version up to the current shape, filling defaults. */
function migrate(stored: unknown): GuildRecord {
  const version = (stored as { version?: unknown } | undefined)?.version;
  if (typeof version === 'number' && version > GUILD_RECORD_VERSION) {
    throw new StateVersionError(
      `server state has version ${version}; this Crux reads up to ${GUILD_RECORD_VERSION}`,
    );
  }
  return { ...GuildRecordSchema.parse(stored ?? {}), version: GUILD_RECORD_VERSION };
}
