import { UserError } from '../errors.js';
import { literal } from '../format.js';
import type { Schedule, ScheduleSettings } from './schema.js';
import {
  addWeeks,
  canonicalZone,
  describeDate,
  instantOf,
  isValidDate,
  isWithinPlanningRange,
  type LocalDate,
  MAX_YEARS_AHEAD,
  nextWeekdayAfter,
} from './time.js';

export type {
  Notice,
  PauseReason,
  Schedule,
  ScheduleSettings,
  SessionRecord,
  WeeklyPolls,
} from './schema.js';

/**
 * A server's reading schedule as plain data. Every change to it is a pure function (setup.ts, changes.ts,
 * due.ts); the scheduler and the commands decide what to do by calling them, and only src/state stores it.
 */

/** By default the "after" poll opens two days into the week, once the thread has had time to talk. */
export const DEFAULT_AFTER_POLL_HOURS = 48;
/** Weekly polls close an hour before the next kickoff, so their results come before the next week's post. */
export const WEEKLY_POLL_CLOSE_LEAD_MS = 3_600_000;

/** A change a facilitator asked for that cannot be made, with what to do instead. */
export class ScheduleError extends UserError {
  override name = 'ScheduleError';
}

/** A date a facilitator typed, checked: a real date in YYYY-MM-DD form within the planning range. */
export function readDate(typed: string, now: Date): LocalDate {
  const date = typed.trim();
  if (!isValidDate(date))
    throw new ScheduleError(`“${literal(date)}” is not a date. Write it as YYYY-MM-DD, like 2026-12-01.`);
  if (!isWithinPlanningRange(date, now))
    throw new ScheduleError(
      `${describeDate(date)} is too far ahead: pick a date within ${MAX_YEARS_AHEAD} years from now.`,
    );
  return date;
}

/** A zone a facilitator typed, as its canonical IANA name; a `ScheduleError` naming what it may mean. */
export function readZone(typed: string): string {
  const read = canonicalZone(typed);
  if ('zone' in read) return read.zone;
  const meant = read.meant.length > 0 ? ` It may mean ${read.meant.join(', ')}.` : '';
  throw new ScheduleError(
    `“${literal(typed.trim())}” is not a time zone I can keep to: use a city's zone, which follows its daylight-saving rules.${meant} Start typing a city or region in **zone** (for example Europe/Berlin or America/New_York) and pick from the list.`,
  );
}

/** Default reminder lead: a day before. */
export const DEFAULT_REMINDER_MINUTES = 24 * 60;
/** Default grace for a session missed while the bot was down: six hours. */
export const DEFAULT_GRACE_MINUTES = 6 * 60;
/** The grace window is at least an hour, so a slow tick or a short outage never costs a session. */
export const MIN_GRACE_MINUTES = 60;
export const MAX_GRACE_MINUTES = 48 * 60;

export { CLAIM_SETTLE_MS } from '../claims.js';

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
  const mode = settings.polls;
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
