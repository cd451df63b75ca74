import { z } from 'zod';
import { ClaimSchema, settlesAt } from '../claims.js';

/**
 * A position poll as stored: schemas with the types inferred from them, so the state layer parses what it
 * reads back instead of casting it.
 */

/** When in the week a poll asks: before the discussion, or after it. */
export const PollPhaseSchema = z.enum(['before', 'after']);
export type PollPhase = z.infer<typeof PollPhaseSchema>;

/** A poll the bot runs with buttons (anonymous, with credence), or a native Discord poll (voters visible). */
export const PollStyleSchema = z.enum(['buttons', 'native']);
export type PollStyle = z.infer<typeof PollStyleSchema>;

/** Why a poll could not be shown or announced at its close. */
export const PollProblemSchema = z.enum(['message-missing', 'channel-missing', 'no-permission', 'rejected']);
export type PollProblem = z.infer<typeof PollProblemSchema>;

/**
 * opening: recorded, its message being posted (a crash here is recovered by finding the message);
 * open: taking votes; closing: no more votes, the result being announced; closed: done.
 */
export const PollStatusSchema = z.enum(['opening', 'open', 'closing', 'closed']);

/** One member's answer. */
export const BallotSchema = z
  .object({
    /** A position id of the crux, or `UNSURE`. */
    choice: z.string(),
    /** How sure, 0–100 in steps of 10; absent until the member says. */
    credence: z.number().int().min(0).max(100).optional(),
    at: z.number(),
  })
  .readonly();
export type Ballot = z.infer<typeof BallotSchema>;

export const PollRecordSchema = z
  .object({
    id: z.string(),
    guildId: z.string(),
    channelId: z.string(),
    cruxId: z.string(),
    phase: PollPhaseSchema,
    style: PollStyleSchema,
    /** Totals stay hidden until the poll closes. */
    hideResults: z.boolean(),
    /** The member who opened it; null when the reading schedule did. */
    openedBy: z.string().nullable(),
    /** The weekly session it belongs to, for polls the schedule opens. */
    session: z.number().int().optional(),
    createdAt: z.number(),
    closesAt: z.number(),
    status: PollStatusSchema,
    /** While 'opening': the post of its message (claims.ts). */
    claim: ClaimSchema.optional(),
    messageId: z.string().optional(),
    /**
     * A native poll's answer ids as Discord gave them, in the order of `pollChoices`. Discord says not to
     * assume they are 1, 2, 3… (resources/poll.mdx); polls recorded before this was kept used those.
     */
    answerIds: z.array(z.number().int()).readonly().optional(),
    ballots: z.record(z.string(), BallotSchema).readonly(),
    closedAt: z.number().optional(),
    /** Who closed it: a member id, or null at its deadline. */
    closedBy: z.string().nullable().optional(),
    /** The results post: claimed before each attempt (claims.ts), its message id once posted. */
    results: z.object({ claim: ClaimSchema, messageId: z.string().optional() }).readonly().optional(),
    problem: PollProblemSchema.optional(),
    /**
     * Members who deleted their data while this native poll was open: Discord still lists their vote, so the
     * count at the close leaves them out unless they vote again.
     */
    forgotten: z.array(z.string()).readonly().optional(),
  })
  .readonly();
export type PollRecord = z.infer<typeof PollRecordSchema>;

/**
 * When a poll next needs the scheduler, from its record: an opening claim settling, its deadline, a close
 * under way (now, or when the results post's claim settles); never once closed. The one place this is
 * decided, so what is due and when to wake can never disagree.
 */
export function pollWakeTime(
  poll: Pick<PollRecord, 'status' | 'createdAt' | 'closesAt' | 'claim' | 'results'>,
): number | null {
  switch (poll.status) {
    case 'opening':
      return settlesAt(poll.claim ?? { firstAt: poll.createdAt, at: poll.createdAt }).getTime();
    case 'open':
      return poll.closesAt;
    case 'closing':
      return poll.results && !poll.results.messageId ? settlesAt(poll.results.claim).getTime() : 0;
    case 'closed':
      return null;
  }
}

/** A poll as its server's record lists it: enough to list it and to wake for it. */
export const PollSummarySchema = z
  .object({
    id: z.string(),
    cruxId: z.string(),
    phase: PollPhaseSchema,
    status: PollStatusSchema,
    createdAt: z.number(),
    closesAt: z.number(),
    session: z.number().int().optional(),
    /** When the scheduler next looks at it (`pollWakeTime`); summaries written before it had none. */
    wakeAt: z.number().nullable().optional(),
  })
  .readonly()
  .transform((summary) => ({ ...summary, wakeAt: summary.wakeAt ?? pollWakeTime(summary) }));
export type PollSummary = z.output<typeof PollSummarySchema>;
