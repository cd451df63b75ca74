import type Keyv from 'keyv';
import { z } from 'zod';
import type { PollSummary } from '../core/polls/model.js';
import type { Schedule } from '../core/schedule/plan.js';
import { type RecordChange, RecordStore } from './records.js';

/**
 * Each server's state, as one versioned record. Reads return a snapshot merged over the defaults declared
 * here; writes go through `change` (see records.ts: serialized per server, since Keyv has no transactions).
 */

/**
 * Bump when the record's shape changes, and teach `migrate` the step. Version 2 added the schedule, the
 * covered sections and the facilitator role; version 3 the poll index, the export secret and when the bot
 * left the server. Earlier records read as the current version with the new parts empty.
 */
export const GUILD_RECORD_VERSION = 3;

const shownList = z.object({ shown: z.array(z.string()).default([]) }).default({ shown: [] });

const PollSummarySchema = z.object({
  id: z.string(),
  cruxId: z.string(),
  phase: z.enum(['before', 'after']),
  status: z.enum(['opening', 'open', 'closing', 'closed']),
  createdAt: z.number(),
  closesAt: z.number(),
  session: z.number().int().optional(),
});

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
  polls: z.array(PollSummarySchema).default([]),
  exportSecret: z.string().nullable().default(null),
  leftAt: z.number().nullable().default(null),
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
  /** Every poll of the server, oldest first; the polls themselves are separate records (polls.ts). */
  readonly polls: readonly PollSummary[];
  /** The key of the server's export pseudonyms, made at its first export. */
  readonly exportSecret: string | null;
  /** When the bot was removed from the server (its data is deleted a while later), or null. */
  readonly leftAt: number | null;
}

/** The record's rotation lists. */
export type RotationList = 'excerpts' | 'cruxes';

/** What a `change` function returns: the record to store and a result for the caller. */
export type Change<R> = RecordChange<GuildRecord, R>;

/** A stored record this version of Crux cannot read. */
export class StateVersionError extends Error {
  override name = 'StateVersionError';
}

const SNOWFLAKE = /^\d{1,25}$/u;

/** How a GuildStore is set up. */
export interface GuildStoreOptions {
  /** How long one storage call may take. */
  readonly timeoutMs?: number;
  /**
   * Called with a server's record before it is written whenever its schedule, polls or presence changed,
   * so what depends on them (the wake-up index) is never behind the record: if this throws, nothing is
   * written.
   */
  readonly onTimingChange?: (guildId: string, record: GuildRecord) => Promise<void>;
}

export class GuildStore {
  readonly #records: RecordStore<GuildRecord>;

  constructor(keyv: Keyv, options: GuildStoreOptions = {}) {
    const { onTimingChange } = options;
    this.#records = new RecordStore(keyv, {
      what: 'server state',
      parse: migrate,
      serialize: (record) => GuildRecordSchema.parse(record),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(onTimingChange
        ? {
            beforeWrite: async (key, before, after) => {
              if (
                after.schedule !== before.schedule ||
                after.polls !== before.polls ||
                after.leftAt !== before.leftAt
              )
                await onTimingChange(key, after);
            },
          }
        : {}),
    });
  }

  /** A read-only snapshot of the server's record (the defaults for a server Crux has not seen). */
  async read(guildId: string): Promise<GuildRecord> {
    return this.#records.read(key(guildId));
  }

  /**
   * Changes the server's record: `fn` gets the current record and returns the one to store (the same object
   * for no change). If `fn` (or the timing hook) throws, nothing of it is written.
   */
  async change<R>(guildId: string, fn: (current: GuildRecord) => Change<R>): Promise<R> {
    return this.#records.change(key(guildId), fn);
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
    await this.#records.delete(key(guildId));
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
