import type Keyv from 'keyv';
import { z } from 'zod';
import type { PollRecord } from '../core/polls/model.js';
import { PollRecordSchema } from '../core/polls/schema.js';
import { type RecordChange, RecordStore } from './records.js';
import { type RecordFormat, readVersioned, writeVersioned } from './versioned.js';

/**
 * Polls, one record per poll with its ballots, so a vote and the poll's close are ordered by the same
 * per-poll serialization (records.ts) and 500 simultaneous votes are written in a few batches. A second
 * index finds a poll by its Discord message, for native poll vote events.
 */

/**
 * A poll as stored. Version 2 claims its posts the way every post is claimed (claims.ts): an opening poll's
 * message, and its results post, each refreshed at every attempt.
 */
export const POLL_FORMAT = {
  what: 'a poll',
  version: 2,
  schema: PollRecordSchema,
  steps: {
    // An opening poll was claimed when it was created; a results claim was made once and never refreshed.
    1: (record) => {
      const created = z.number().safeParse(record.createdAt);
      const opening = record.status === 'opening' && created.success;
      const results = z.looseObject({ claimedAt: z.number() }).safeParse(record.results);
      const claimed = results.success ? results.data : undefined;
      return {
        ...record,
        ...(opening ? { claim: { firstAt: created.data, at: created.data } } : {}),
        ...(claimed
          ? {
              results: {
                ...(typeof claimed.messageId === 'string' ? { messageId: claimed.messageId } : {}),
                claim: { firstAt: claimed.claimedAt, at: claimed.claimedAt },
              },
            }
          : {}),
      };
    },
  },
} satisfies RecordFormat<unknown>;

const PollRefSchema = z.object({ guildId: z.string(), pollId: z.string() }).readonly();

/** Where a poll lives, found from its message. */
export type PollRef = z.infer<typeof PollRefSchema>;

const ID = /^[\w-]{1,40}$/u;
const SNOWFLAKE = /^\d{1,25}$/u;

export class PollStore {
  readonly #polls: RecordStore<PollRecord | null>;
  readonly #byMessage: RecordStore<PollRef | null>;

  constructor(keyv: { readonly polls: Keyv; readonly messages: Keyv }) {
    this.#polls = new RecordStore(keyv.polls, {
      what: 'a poll',
      parse: (stored) =>
        stored === undefined || stored === null ? null : readVersioned(POLL_FORMAT, stored),
      serialize: (poll) => (poll ? writeVersioned(POLL_FORMAT, poll) : poll),
    });
    this.#byMessage = new RecordStore(keyv.messages, {
      what: 'the poll message index',
      parse: (stored) => (stored === undefined || stored === null ? null : PollRefSchema.parse(stored)),
    });
  }

  /** The poll, or undefined. */
  async get(guildId: string, pollId: string): Promise<PollRecord | undefined> {
    return (await this.#polls.read(pollKey(guildId, pollId))) ?? undefined;
  }

  /** The polls with these ids that exist, in the order given. */
  async getMany(guildId: string, pollIds: readonly string[]): Promise<PollRecord[]> {
    const polls = await this.#polls.readMany(pollIds.map((id) => pollKey(guildId, id)));
    return polls.filter((poll): poll is PollRecord => poll !== null);
  }

  /** Stores a new poll; false when one with its id exists already. */
  create(poll: PollRecord): Promise<boolean> {
    return this.#polls.change(pollKey(poll.guildId, poll.id), (current) =>
      current ? { record: current, result: false } : { record: poll, result: true },
    );
  }

  /** Changes an existing poll; resolves undefined (writing nothing) when there is no such poll. */
  change<R>(
    guildId: string,
    pollId: string,
    fn: (poll: PollRecord) => RecordChange<PollRecord, R>,
  ): Promise<R | undefined> {
    return this.#polls.change(pollKey(guildId, pollId), (current) => {
      if (!current) return { record: current, result: undefined };
      return fn(current);
    });
  }

  /** Remembers which poll a Discord message shows, for vote events. */
  async indexMessage(messageId: string, ref: PollRef): Promise<void> {
    await this.#byMessage.change(messageKey(messageId), () => ({ record: ref, result: undefined }));
  }

  /** The poll a Discord message shows, if it is one of ours. */
  async byMessage(messageId: string): Promise<PollRef | undefined> {
    if (!SNOWFLAKE.test(messageId)) return undefined;
    return (await this.#byMessage.read(messageKey(messageId))) ?? undefined;
  }

  /** Forgets a poll and its message index. */
  async delete(guildId: string, pollId: string): Promise<void> {
    const poll = await this.get(guildId, pollId);
    if (poll?.messageId) await this.#byMessage.delete(messageKey(poll.messageId));
    await this.#polls.delete(pollKey(guildId, pollId));
  }
}

/** Poll ids are made by Crux, but checked so no input can reach another key. */
function pollKey(guildId: string, pollId: string): string {
  if (!SNOWFLAKE.test(guildId) || !ID.test(pollId))
    throw new RangeError(`not a poll key: ${JSON.stringify([guildId, pollId])}`);
  return `${guildId}:${pollId}`;
}

function messageKey(messageId: string): string {
  if (!SNOWFLAKE.test(messageId)) throw new RangeError(`not a Discord id: ${JSON.stringify(messageId)}`);
  return `message:${messageId}`;
}
