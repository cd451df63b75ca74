import type Keyv from 'keyv';
import { z } from 'zod';
import type { PollRecord } from '../core/polls/model.js';
import { StateVersionError } from './guilds.js';
import { type RecordChange, RecordStore } from './records.js';

/**
 * Polls, one record per poll with its ballots, so a vote and the poll's close are ordered by the same
 * per-poll serialization (records.ts) and 500 simultaneous votes are written in a few batches. A second
 * index finds a poll by its Discord message, for native poll vote events.
 */

/** Bump when a poll record's shape changes, and teach `parsePoll` the step. */
export const POLL_RECORD_VERSION = 1;

const BallotSchema = z.object({
  choice: z.string(),
  credence: z.number().int().min(0).max(100).optional(),
  at: z.number(),
});

const PollSchema = z.object({
  version: z.number().int(),
  id: z.string(),
  guildId: z.string(),
  channelId: z.string(),
  cruxId: z.string(),
  phase: z.enum(['before', 'after']),
  style: z.enum(['buttons', 'native']),
  hideResults: z.boolean(),
  openedBy: z.string().nullable(),
  session: z.number().int().optional(),
  createdAt: z.number(),
  closesAt: z.number(),
  status: z.enum(['opening', 'open', 'closing', 'closed']),
  messageId: z.string().optional(),
  ballots: z.record(z.string(), BallotSchema),
  closedAt: z.number().optional(),
  closedBy: z.string().nullable().optional(),
  results: z.object({ claimedAt: z.number(), messageId: z.string().optional() }).optional(),
  problem: z.enum(['message-missing', 'channel-missing', 'no-permission', 'rejected']).optional(),
  forgotten: z.array(z.string()).optional(),
});

/** Where a poll lives, found from its message. */
export interface PollRef {
  readonly guildId: string;
  readonly pollId: string;
}

const ID = /^[\w-]{1,40}$/u;
const SNOWFLAKE = /^\d{1,25}$/u;

export class PollStore {
  readonly #polls: RecordStore<PollRecord | null>;
  readonly #byMessage: RecordStore<PollRef | null>;

  constructor(keyv: { readonly polls: Keyv; readonly messages: Keyv }) {
    this.#polls = new RecordStore(keyv.polls, {
      what: 'a poll',
      parse: parsePoll,
      serialize: (poll) => (poll ? { ...poll, version: POLL_RECORD_VERSION } : poll),
    });
    this.#byMessage = new RecordStore(keyv.messages, {
      what: 'the poll message index',
      parse: (stored) => (stored && typeof stored === 'object' ? (stored as PollRef) : null),
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

function parsePoll(stored: unknown): PollRecord | null {
  if (stored === undefined || stored === null) return null;
  const version = (stored as { version?: unknown }).version;
  if (typeof version === 'number' && version > POLL_RECORD_VERSION) {
    throw new StateVersionError(
      `a poll has version ${version}; this Crux reads up to ${POLL_RECORD_VERSION}`,
    );
  }
  const { version: _version, ...poll } = PollSchema.parse(stored);
  return poll as PollRecord;
}
