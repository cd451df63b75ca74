import type Keyv from 'keyv';
import { z } from 'zod';
import { PollSummarySchema } from '../core/polls/schema.js';
import { ScheduleSchema } from '../core/schedule/schema.js';
import { type RecordChange, RecordStore } from './records.js';
import { type RecordFormat, readVersioned, writeVersioned } from './versioned.js';

/**
 * Each server's state, as one versioned record. Reads return a snapshot merged over the defaults declared
 * here; writes go through `change` (see records.ts: serialized per server, since Keyv has no transactions).
 */

const shownList = z
  .object({ shown: z.array(z.string()).readonly().default([]) })
  .readonly()
  .default({ shown: [] });

/**
 * A server's stored state. Version 2 added the schedule, the covered sections and the facilitator role;
 * version 3 the poll index, the export secret and when the bot left the server; version 4 parses the
 * schedule in full (its owed notices, weekly polls and resets filled in where older records lack them);
 * version 5 claims owed notices the way every post is claimed (claims.ts). Additions with a default need
 * no step of their own; a change of shape has one here.
 */
export const GUILD_FORMAT = {
  what: 'server state',
  version: 5,
  steps: {
    // A notice's last attempt becomes its claim; the first attempt is not known, so it is the last.
    4: (record) => {
      const schedule = z.looseObject({ notices: z.array(z.unknown()) }).safeParse(record.schedule);
      if (!schedule.success) return record;
      const notices = schedule.data.notices.map((notice) => {
        const old = z.looseObject({ attemptedAt: z.number() }).safeParse(notice);
        if (!old.success) return notice;
        const { attemptedAt, ...rest } = old.data;
        return { ...rest, claim: { firstAt: attemptedAt, at: attemptedAt } };
      });
      return { ...record, schedule: { ...schedule.data, notices } };
    },
  },
  schema: z
    .object({
      /**
       * Where the group is: `session` is the week's reading (1 until a schedule posts one); `covered` holds
       * the section ids the group has read, from posted sessions and facilitators' marks.
       */
      progress: z
        .object({
          session: z.number().int().min(1).default(1),
          covered: z.array(z.string()).readonly().default([]),
        })
        .readonly()
        .default({ session: 1, covered: [] }),
      /** Excerpt (and search passage) ids shown in the channel since each scope last started over. */
      excerpts: shownList,
      /** Crux ids shown by `/crux` since each session's rotation last started over. */
      cruxes: shownList,
      schedule: ScheduleSchema.nullable().default(null),
      /** Members with this role may manage the schedule, besides those with Manage Server. */
      facilitatorRoleId: z.string().nullable().default(null),
      /** Every poll of the server, oldest first; the polls themselves are separate records (polls.ts). */
      polls: z.array(PollSummarySchema).readonly().default([]),
      /** The key of the server's export pseudonyms, made at its first export. */
      exportSecret: z.string().nullable().default(null),
      /** When the bot was removed from the server (its data is deleted a while later), or null. */
      leftAt: z.number().nullable().default(null),
    })
    .readonly(),
} satisfies RecordFormat<unknown>;

/** A server's stored state. Snapshots are read-only: change them by returning a new record from `change`. */
export type GuildRecord = z.infer<typeof GUILD_FORMAT.schema>;

/** The record's rotation lists. */
export type RotationList = 'excerpts' | 'cruxes';

/** What a `change` function returns: the record to store and a result for the caller. */
export type Change<R> = RecordChange<GuildRecord, R>;

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
      parse: (stored) => readVersioned(GUILD_FORMAT, stored ?? {}),
      serialize: (record) => writeVersioned(GUILD_FORMAT, record),
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
