import { addWeeks, instantOf, type LocalDate, type LocalTime, nextWeekdayAfter } from './time.js';

/**
 * A server's reading schedule as plain data. Every change to it is a pure function (setup.ts, changes.ts,
 * due.ts); the scheduler and the commands decide what to do by calling them, and only src/state stores it.
 */

/** What a facilitator chose at setup. */
export interface ScheduleSettings {
  readonly channelId: string;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  readonly weekday: number;
  readonly time: LocalTime;
  readonly zone: string;
  readonly pingRoleId?: string;
  /** How long before a session the reminder goes out; null for no reminder. */
  readonly reminderMinutes: number | null;
  /** How late a session missed while the bot was down may still be posted. */
  readonly graceMinutes: number;
  /** Which position polls each session opens on its crux (absent in older records: 'before'). */
  readonly polls?: WeeklyPolls;
  /** How long after the kickoff the "after" poll opens (absent: the default). */
  readonly afterPollHours?: number;
}

/** The weekly crux polls: a "before" poll with each kickoff, optionally an "after" poll later in the week. */
export type WeeklyPolls = 'before' | 'before-and-after' | 'off';

/** By default the "after" poll opens two days into the week, once the thread has had time to talk. */
export const DEFAULT_AFTER_POLL_HOURS = 48;
/** Weekly polls close an hour before the next kickoff, so their results come before the next week's post. */
export const WEEKLY_POLL_CLOSE_LEAD_MS = 3_600_000;

/**
 * Why a schedule stopped posting: a facilitator asked, or Discord refused a post for a reason only a person
 * can fix (`rejected`: Discord turned the post down for another reason, which is logged).
 */
export type PauseReason = 'facilitator' | 'channel-missing' | 'no-permission' | 'bot-removed' | 'rejected';

/** What happened to one session of the schedule. */
export interface SessionRecord {
  /** claimed: about to be posted (a crash here is recovered by looking for the post); the rest are final. */
  readonly status: 'claimed' | 'posted' | 'skipped' | 'missed';
  readonly at: number;
  readonly messageId?: string;
  readonly threadId?: string;
  /** The discussion thread could not be opened; it is not retried. */
  readonly threadFailed?: boolean;
  /** The excerpt and crux chosen at the claim, so a post after a crash shows the same ones. */
  readonly excerptId?: string;
  readonly cruxId?: string;
  /** The channel the session was (or is being) posted in: recovery and the thread look there. */
  readonly channelId?: string;
  /** When the session was first claimed; `at` is the latest attempt, which decides whether one is in flight. */
  readonly firstAt?: number;
  /** When the session was due, so what follows it (the "after" poll) keeps to the schedule, not to when it posted. */
  readonly dueAt?: number;
  /** The session's weekly polls by phase: a poll id, or 'skipped' when its window had passed. */
  readonly polls?: { readonly before?: string; readonly after?: string };
}

/**
 * A message the channel is owed: sessions that were missed, or the wrap-up. It is recorded with the change
 * it reports and removed once posted, so a failed post is retried instead of lost.
 */
export type Notice = (
  | {
      readonly kind: 'missed';
      readonly sessions: readonly { readonly number: number; readonly at: number }[];
    }
  | { readonly kind: 'wrap-up' }
) & {
  /** Unique within the schedule; the notice's button carries it, so a retry can find a post that landed. */
  readonly id: string;
  /** When a post of it was last attempted: a retry looks for that post before posting again. */
  readonly attemptedAt?: number;
};

export interface Schedule {
  readonly settings: ScheduleSettings;
  readonly status: 'active' | 'paused' | 'finished';
  readonly pause?: { readonly reason: PauseReason; readonly since: number };
  /** The next session to post; total + 1 once every session is done. */
  readonly next: number;
  /** Planned local dates of the sessions not yet posted. */
  readonly dates: Readonly<Record<string, LocalDate>>;
  readonly sessions: Readonly<Record<string, SessionRecord>>;
  /** Sessions whose reminder has gone out. */
  readonly reminded: readonly number[];
  /** When the wrap-up of the whole schedule goes out, and whether it has. */
  readonly wrapUp: { readonly date: LocalDate; readonly postedAt?: number } | null;
  /** Messages owed to the channel, oldest first (absent in records written before notices existed). */
  readonly notices?: readonly Notice[];
}

/** A change a facilitator asked for that cannot be made, with what to do instead. */
export class ScheduleError extends Error {
  override name = 'ScheduleError';
}

/** Default reminder lead: a day before. */
export const DEFAULT_REMINDER_MINUTES = 24 * 60;
/** Default grace for a session missed while the bot was down: six hours. */
export const DEFAULT_GRACE_MINUTES = 6 * 60;
/** The grace window is at least an hour, so a slow tick or a short outage never costs a session. */
export const MIN_GRACE_MINUTES = 60;
export const MAX_GRACE_MINUTES = 48 * 60;

/**
 * How old a claim must be before a missing post is taken to have never happened. After a crash the old
 * process's request can still be landing; no request stays in flight anywhere near this long.
 */
export const CLAIM_SETTLE_MS = 2 * 60_000;

/** The instant session `session` is due. */
export function dueAt(schedule: Schedule, session: number): Date | undefined {
  const date = schedule.dates[session];
  return date ? instantOf(date, schedule.settings.time, schedule.settings.zone) : undefined;
}

/** Sessions still to come, with their due instants, in order. */
export function upcoming(
  schedule: Schedule,
  totalSessions: number,
): { session: number; date: LocalDate; at: Date }[] {
  const list: { session: number; date: LocalDate; at: Date }[] = [];
  for (let session = schedule.next; session <= totalSessions; session++) {
    const date = schedule.dates[session];
    if (date)
      list.push({ session, date, at: instantOf(date, schedule.settings.time, schedule.settings.zone) });
  }
  return list;
}

/** Dates for sessions `from`..`to`, a week apart, the first on `start`. */
export function weekly(start: LocalDate, from: number, to: number): Record<string, LocalDate> {
  const dates: Record<string, LocalDate> = {};
  for (let session = from; session <= to; session++) dates[session] = addWeeks(start, session - from);
  return dates;
}

/**
 * Plans sessions `from`..total weekly from `start` (default: the next slot after `now`), and the wrap-up a
 * week after the last. Only sessions not yet posted have dates, and none of them has had its reminder.
 */
export function planFrom(
  schedule: Schedule,
  from: number,
  totalSessions: number,
  now: Date,
  start?: LocalDate,
): Schedule {
  const { weekday, time, zone } = schedule.settings;
  const first = start ?? nextWeekdayAfter(now, weekday, time, zone);
  return {
    ...schedule,
    dates: weekly(first, from, totalSessions),
    reminded: schedule.reminded.filter((s) => s < from),
    wrapUp: { date: addWeeks(first, totalSessions - from + 1) },
  };
}

/** The record's entries for the sessions that pass `test`. */
export function keep<T>(
  record: Readonly<Record<string, T>>,
  test: (session: number) => boolean,
): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => test(Number(key))));
}

/** The phases of the weekly polls a schedule opens. */
export function weeklyPhases(settings: ScheduleSettings): ('before' | 'after')[] {
  const mode = settings.polls ?? 'before';
  return mode === 'off' ? [] : mode === 'before' ? ['before'] : ['before', 'after'];
}

/**
 * When a posted session's weekly poll opens and closes: "before" with the kickoff, "after" the set hours
 * later; both close an hour before the next kickoff (or the wrap-up, after the last session).
 */
export function weeklyPollWindow(
  schedule: Schedule,
  session: number,
  phase: 'before' | 'after',
  totalSessions: number,
): { readonly opensAt: number; readonly closesAt: number } | undefined {
  const posted = schedule.sessions[session];
  if (posted?.status !== 'posted') return undefined;
  const opensAt =
    phase === 'before'
      ? posted.at
      : Math.max(
          posted.at,
          (posted.dueAt ?? posted.at) +
            (schedule.settings.afterPollHours ?? DEFAULT_AFTER_POLL_HOURS) * 3_600_000,
        );
  const { time, zone } = schedule.settings;
  const nextDate = session < totalSessions ? schedule.dates[session + 1] : schedule.wrapUp?.date;
  if (!nextDate) return undefined;
  return { opensAt, closesAt: instantOf(nextDate, time, zone).getTime() - WEEKLY_POLL_CLOSE_LEAD_MS };
}

/** The messages a schedule still owes its channel. */
export function noticesOf(schedule: Schedule): readonly Notice[] {
  return schedule.notices ?? [];
}
