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
}

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
}

/**
 * A message the channel is owed: sessions that were missed, or the wrap-up. It is recorded with the change
 * it reports and removed once posted, so a failed post is retried instead of lost.
 */
export type Notice =
  | {
      readonly kind: 'missed';
      readonly sessions: readonly { readonly number: number; readonly at: number }[];
    }
  | { readonly kind: 'wrap-up' };

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

/** The messages a schedule still owes its channel. */
export function noticesOf(schedule: Schedule): readonly Notice[] {
  return schedule.notices ?? [];
}
