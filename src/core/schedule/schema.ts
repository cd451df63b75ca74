import { z } from 'zod';
import { ClaimSchema } from '../claims.js';

/**
 * A server's reading schedule as stored: one schema per part, with the types inferred from them, so what
 * the state layer reads back is parsed (and older shapes filled in with their defaults here, in one place)
 * rather than cast.
 */

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/u);
const localTime = z.string().regex(/^\d{2}:\d{2}$/u);
const instant = z.number().int();

/** The weekly crux polls: a "before" poll with each kickoff, optionally an "after" poll later in the week. */
export const WeeklyPollsSchema = z.enum(['before', 'before-and-after', 'off']);
export type WeeklyPolls = z.infer<typeof WeeklyPollsSchema>;

/**
 * Why a schedule stopped posting: a facilitator asked, or Discord refused a post for a reason only a person
 * can fix (`rejected`: Discord turned the post down for another reason, which is logged).
 */
export const PauseReasonSchema = z.enum([
  'facilitator',
  'channel-missing',
  'no-permission',
  'bot-removed',
  'rejected',
]);
export type PauseReason = z.infer<typeof PauseReasonSchema>;

/** What a facilitator chose at setup. */
export const ScheduleSettingsSchema = z
  .object({
    channelId: z.string(),
    /** ISO weekday: 1 = Monday … 7 = Sunday. */
    weekday: z.number().int().min(1).max(7),
    time: localTime,
    zone: z.string(),
    pingRoleId: z.string().optional(),
    /** How long before a session the reminder goes out; null for no reminder. */
    reminderMinutes: z.number().int().nullable(),
    /** How late a session missed while the bot was down may still be posted. */
    graceMinutes: z.number().int(),
    /** Which position polls each session opens on its crux (records before weekly polls: 'before'). */
    polls: WeeklyPollsSchema.default('before'),
    /** How long after the kickoff the "after" poll opens (absent: the default). */
    afterPollHours: z.number().int().optional(),
  })
  .readonly();
export type ScheduleSettings = z.infer<typeof ScheduleSettingsSchema>;

/** What happened to one session of the schedule. */
export const SessionRecordSchema = z
  .object({
    /** claimed: about to be posted (a crash here is recovered by looking for the post); the rest are final. */
    status: z.enum(['claimed', 'posted', 'skipped', 'missed']),
    at: instant,
    messageId: z.string().optional(),
    threadId: z.string().optional(),
    /** The discussion thread could not be opened; it is not retried. */
    threadFailed: z.boolean().optional(),
    /** The excerpt and crux chosen at the claim, so a post after a crash shows the same ones. */
    excerptId: z.string().optional(),
    cruxId: z.string().optional(),
    /** The channel the session was (or is being) posted in: recovery and the thread look there. */
    channelId: z.string().optional(),
    /** When the session was first claimed; `at` is the latest attempt, which decides whether one is in flight. */
    firstAt: instant.optional(),
    /** When the session was due, so what follows it (the "after" poll) keeps to the schedule, not to when it posted. */
    dueAt: instant.optional(),
    /** The session's weekly polls by phase: a poll id, or 'skipped' when its window had passed. */
    polls: z.object({ before: z.string().optional(), after: z.string().optional() }).readonly().optional(),
  })
  .readonly();
export type SessionRecord = z.infer<typeof SessionRecordSchema>;

const noticeCommon = {
  /** Unique within the schedule; the notice's button carries it, so a retry can find a post that landed. */
  id: z.string(),
  /** Its post is being attempted (claims.ts): a retry looks for that post before posting again. */
  claim: ClaimSchema.optional(),
};

/**
 * A message the channel is owed: sessions that were missed, or the wrap-up. It is recorded with the change
 * it reports and removed once posted, so a failed post is retried instead of lost.
 */
export const NoticeSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('missed'),
      sessions: z.array(z.object({ number: z.number().int(), at: instant }).readonly()).readonly(),
      ...noticeCommon,
    })
    .readonly(),
  z.object({ kind: z.literal('wrap-up'), ...noticeCommon }).readonly(),
]);
export type Notice = z.infer<typeof NoticeSchema>;

export const ScheduleSchema = z
  .object({
    settings: ScheduleSettingsSchema,
    status: z.enum(['active', 'paused', 'finished']),
    pause: z.object({ reason: PauseReasonSchema, since: instant }).readonly().optional(),
    /** The next session to post; total + 1 once every session is done. */
    next: z.number().int().min(1),
    /** Planned local dates of the sessions not yet posted. */
    dates: z.record(z.string(), localDate).readonly(),
    sessions: z.record(z.string(), SessionRecordSchema).readonly(),
    /** Sessions whose reminder has gone out. */
    reminded: z.array(z.number().int()).readonly(),
    /** When the wrap-up of the whole schedule goes out, and whether it has. */
    wrapUp: z.object({ date: localDate, postedAt: instant.optional() }).readonly().nullable(),
    /** Messages owed to the channel, oldest first (none in records written before notices existed). */
    notices: z.array(NoticeSchema).readonly().default([]),
    /** How many times the schedule has started over: a confirmation names the count it was asked at. */
    resets: z.number().int().min(0).default(0),
    /** The reminder being posted (claims.ts): recorded in `reminded` once it is out. */
    reminding: z
      .object({ session: z.number().int(), claim: ClaimSchema })
      .readonly()
      .nullable()
      .default(null),
  })
  .readonly();
export type Schedule = z.infer<typeof ScheduleSchema>;
