import {
  addWeeks,
  describeDate,
  instantOf,
  isValidDate,
  isValidZone,
  type LocalDate,
  type LocalTime,
  nextWeekdayAfter,
  normalizeTime,
  WEEKDAYS,
  weekdayOf,
} from './time.js';

/**
 * A server's reading schedule as plain data, and every change to it as a pure function. The scheduler and
 * the commands decide what to do by calling these; only src/state stores the result.
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

/** Why a schedule stopped posting. */
export type PauseReason = 'facilitator' | 'channel-missing' | 'no-permission' | 'bot-removed';

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
}

/** A change a facilitator asked for that cannot be made, with what to do instead. */
export class ScheduleError extends Error {
  override name = 'ScheduleError';
}

/** Default reminder lead: a day before. */
export const DEFAULT_REMINDER_MINUTES = 24 * 60;
/** Default grace for a session missed while the bot was down: six hours. */
export const DEFAULT_GRACE_MINUTES = 6 * 60;

/** What /schedule setup was given. */
export interface SetupInput {
  readonly channelId: string;
  readonly weekday: number;
  readonly time: string;
  readonly zone: string;
  readonly startDate?: string | undefined;
  readonly pingRoleId?: string | undefined;
  readonly reminderMinutes?: number | null | undefined;
  readonly graceMinutes?: number | undefined;
}

/** Validates a setup request and plans every session weekly from the start date. */
export function createSchedule(input: SetupInput, totalSessions: number, now: Date): Schedule {
  const day = WEEKDAYS[input.weekday - 1];
  if (!day) throw new ScheduleError('Pick a weekday from the list.');
  const time = normalizeTime(input.time);
  if (!time)
    throw new ScheduleError(`“${input.time}” is not a time. Use the 24-hour clock, like 19:30 or 07:05.`);
  if (!isValidZone(input.zone)) {
    throw new ScheduleError(
      `“${input.zone}” is not a time zone I know. Start typing a city or region in **zone** (for example Europe/Berlin or America/New_York) and pick from the list.`,
    );
  }
  let start = input.startDate?.trim();
  if (start) {
    if (!isValidDate(start))
      throw new ScheduleError(`“${start}” is not a date. Write it as YYYY-MM-DD, like 2026-12-01.`);
    if (weekdayOf(start) !== input.weekday) {
      throw new ScheduleError(
        `${describeDate(start)} is not a ${day}. Pick a ${day}, or leave **start** empty for the next one.`,
      );
    }
    if (instantOf(start, time, input.zone).getTime() <= now.getTime()) {
      throw new ScheduleError(
        `${describeDate(start)} at ${time} has already passed. Pick a later ${day}, or leave **start** empty for the next one.`,
      );
    }
  } else {
    start = nextWeekdayAfter(now, input.weekday, time, input.zone);
  }
  const settings: ScheduleSettings = {
    channelId: input.channelId,
    weekday: input.weekday,
    time,
    zone: input.zone,
    ...(input.pingRoleId ? { pingRoleId: input.pingRoleId } : {}),
    reminderMinutes: input.reminderMinutes === undefined ? DEFAULT_REMINDER_MINUTES : input.reminderMinutes,
    graceMinutes: input.graceMinutes ?? DEFAULT_GRACE_MINUTES,
  };
  return {
    settings,
    status: 'active',
    next: 1,
    dates: weekly(start, 1, totalSessions),
    sessions: {},
    reminded: [],
    wrapUp: { date: addWeeks(start, totalSessions) },
  };
}

/** Dates for sessions `from`..`to`, a week apart, the first on `start`. */
function weekly(start: LocalDate, from: number, to: number): Record<string, LocalDate> {
  const dates: Record<string, LocalDate> = {};
  for (let session = from; session <= to; session++) dates[session] = addWeeks(start, session - from);
  return dates;
}

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

export function pauseSchedule(schedule: Schedule, reason: PauseReason, now: Date): Schedule {
  if (schedule.status === 'finished')
    throw new ScheduleError('The schedule is finished; there is nothing to pause.');
  return { ...schedule, status: 'paused', pause: { reason, since: now.getTime() } };
}

/**
 * Resumes posting. Sessions planned for dates that passed during the pause move on, a week apart, from the
 * next slot; nothing missed during a pause is posted late or reported as missed.
 */
export function resumeSchedule(schedule: Schedule, totalSessions: number, now: Date): Schedule {
  if (schedule.status !== 'paused') throw new ScheduleError('The schedule is not paused.');
  const { pause: _pause, ...rest } = schedule;
  const resumed: Schedule = { ...rest, status: 'active' };
  const first = dueAt(resumed, resumed.next);
  if (!first || first.getTime() > now.getTime()) return resumed;
  return replanFrom(resumed, resumed.next, totalSessions, now);
}

/** Plans sessions `from`..total weekly from the next slot after `now`, and the wrap-up after them. */
function replanFrom(schedule: Schedule, from: number, totalSessions: number, now: Date): Schedule {
  const { weekday, time, zone } = schedule.settings;
  const start = nextWeekdayAfter(now, weekday, time, zone);
  return {
    ...schedule,
    dates: { ...keep(schedule.dates, (s) => s < from), ...weekly(start, from, totalSessions) },
    wrapUp: { date: addWeeks(start, totalSessions - from + 1) },
  };
}

function keep<T>(record: Readonly<Record<string, T>>, test: (session: number) => boolean): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => test(Number(key))));
}

/** Moves on without posting this week's session: it is marked skipped and the next one keeps its date. */
export function skipSession(schedule: Schedule, totalSessions: number, now: Date): Schedule {
  if (schedule.status === 'finished' || schedule.next > totalSessions)
    throw new ScheduleError('Every session is done; there is nothing to skip.');
  const skipped = schedule.next;
  return advance(
    { ...schedule, sessions: { ...schedule.sessions, [skipped]: { status: 'skipped', at: now.getTime() } } },
    skipped,
  );
}

/** After session `done` is posted, skipped or missed, the one after it is next (total + 1: only the wrap-up remains). */
function advance(schedule: Schedule, done: number): Schedule {
  return { ...schedule, next: done + 1, dates: keep(schedule.dates, (s) => s !== done) };
}

/** Moves one upcoming session to another date, keeping the order of sessions. */
export function moveSession(
  schedule: Schedule,
  session: number,
  date: string,
  totalSessions: number,
  now: Date,
): Schedule {
  if (session < schedule.next || session > totalSessions) {
    throw new ScheduleError(`Only sessions still to come can move: ${schedule.next} to ${totalSessions}.`);
  }
  if (!isValidDate(date))
    throw new ScheduleError(`“${date}” is not a date. Write it as YYYY-MM-DD, like 2026-12-01.`);
  const { time, zone } = schedule.settings;
  if (instantOf(date, time, zone).getTime() <= now.getTime()) {
    throw new ScheduleError(`${describeDate(date)} at ${time} has already passed. Pick a later date.`);
  }
  const before = schedule.dates[session - 1];
  const after = schedule.dates[session + 1];
  if ((before && date <= before) || (after && date >= after)) {
    const window = [
      before ? `after ${describeDate(before)}` : undefined,
      after ? `before ${describeDate(after)}` : undefined,
    ]
      .filter(Boolean)
      .join(' and ');
    throw new ScheduleError(
      `Session ${session} must stay in order: pick a date ${window}, or move the neighbouring session first.`,
    );
  }
  const wrapUp = session === totalSessions && schedule.wrapUp ? { date: addWeeks(date, 1) } : schedule.wrapUp;
  return { ...schedule, dates: { ...schedule.dates, [session]: date }, wrapUp };
}

/** Makes `session` the next one posted (a facilitator's correction), planned weekly from the next slot. */
export function setNextSession(
  schedule: Schedule,
  session: number,
  totalSessions: number,
  now: Date,
): Schedule {
  if (session < 1 || session > totalSessions)
    throw new ScheduleError(`The schedule has sessions 1 to ${totalSessions}.`);
  // Going back re-opens the sessions from there: they will be posted again.
  const sessions = keep(schedule.sessions, (s) => s < session);
  const reminded = schedule.reminded.filter((s) => s < session);
  const status = schedule.status === 'paused' ? 'paused' : 'active';
  return replanFrom({ ...schedule, next: session, sessions, reminded, status }, session, totalSessions, now);
}

/** Back to session 1, planned from the next slot, with the history cleared. */
export function resetSchedule(schedule: Schedule, totalSessions: number, now: Date): Schedule {
  return replanFrom(
    { ...schedule, status: 'active', next: 1, sessions: {}, reminded: [], pause: undefined } as Schedule,
    1,
    totalSessions,
    now,
  );
}

/** Something the scheduler should do now. */
export type DueAction =
  | { readonly kind: 'remind'; readonly session: number }
  | { readonly kind: 'post'; readonly session: number }
  /** A claim without a recorded post: look for the post before posting again. */
  | { readonly kind: 'recover'; readonly session: number }
  /** Sessions whose time passed beyond the grace window while the bot was down. */
  | { readonly kind: 'missed'; readonly sessions: readonly number[] }
  | { readonly kind: 'thread'; readonly session: number }
  | { readonly kind: 'wrap-up' };

/** What is due at `now`, in the order to do it. */
export function dueActions(schedule: Schedule, totalSessions: number, now: Date): DueAction[] {
  if (schedule.status !== 'active') return [];
  const actions: DueAction[] = [];
  const last = schedule.sessions[schedule.next - 1];
  if (last?.status === 'posted' && !last.threadId && !last.threadFailed)
    actions.push({ kind: 'thread', session: schedule.next - 1 });
  const missed: number[] = [];
  const grace = schedule.settings.graceMinutes * 60_000;
  for (let session = schedule.next; session <= totalSessions; session++) {
    const due = dueAt(schedule, session);
    if (!due) break;
    if (schedule.sessions[session]?.status === 'claimed') {
      actions.push({ kind: 'recover', session });
      break;
    }
    const lead = schedule.settings.reminderMinutes;
    if (now < due) {
      if (
        lead !== null &&
        !schedule.reminded.includes(session) &&
        now.getTime() >= due.getTime() - lead * 60_000
      ) {
        actions.push({ kind: 'remind', session });
      }
      break;
    }
    if (now.getTime() - due.getTime() <= grace) {
      actions.push({ kind: 'post', session });
      break;
    }
    missed.push(session);
  }
  if (missed.length > 0) actions.unshift({ kind: 'missed', sessions: missed });
  const wrapUp = schedule.wrapUp;
  const allDone =
    schedule.next + missed.length > totalSessions &&
    !actions.some((a) => a.kind === 'post' || a.kind === 'recover');
  if (
    allDone &&
    wrapUp &&
    !wrapUp.postedAt &&
    now >= instantOf(wrapUp.date, schedule.settings.time, schedule.settings.zone)
  ) {
    actions.push({ kind: 'wrap-up' });
  }
  return actions;
}

/** The next instant something will be due, for the scheduler's wake-up index. */
export function nextWakeAt(schedule: Schedule, totalSessions: number): Date | undefined {
  if (schedule.status !== 'active') return undefined;
  if (schedule.next > totalSessions) {
    const wrapUp = schedule.wrapUp;
    return wrapUp && !wrapUp.postedAt
      ? instantOf(wrapUp.date, schedule.settings.time, schedule.settings.zone)
      : undefined;
  }
  const due = dueAt(schedule, schedule.next);
  if (!due) return undefined;
  const lead = schedule.settings.reminderMinutes;
  if (lead !== null && !schedule.reminded.includes(schedule.next))
    return new Date(due.getTime() - lead * 60_000);
  return due;
}

/** What a session's post shows, chosen once at the claim. */
export interface SessionPicks {
  readonly excerptId?: string;
  readonly cruxId?: string;
}

/**
 * Records that the scheduler is about to post `session`, with the excerpt and crux it chose; a crash after
 * this is recovered (the post is looked for, or made with the same picks), never repeated.
 */
export function claimSession(schedule: Schedule, session: number, now: Date, picks: SessionPicks): Schedule {
  return {
    ...schedule,
    sessions: { ...schedule.sessions, [session]: { status: 'claimed', at: now.getTime(), ...picks } },
  };
}

/** Records the post of `session` (message id for recovery and the thread), and moves on. */
export function recordPost(schedule: Schedule, session: number, messageId: string, now: Date): Schedule {
  const { excerptId, cruxId } = schedule.sessions[session] ?? {};
  const posted: SessionRecord = {
    status: 'posted',
    at: now.getTime(),
    messageId,
    ...(excerptId !== undefined ? { excerptId } : {}),
    ...(cruxId !== undefined ? { cruxId } : {}),
  };
  return advance({ ...schedule, sessions: { ...schedule.sessions, [session]: posted } }, session);
}

/** Records the discussion thread of a posted session, or that it could not be opened. */
export function recordThread(schedule: Schedule, session: number, threadId: string | undefined): Schedule {
  const record = schedule.sessions[session];
  if (!record) return schedule;
  return {
    ...schedule,
    sessions: {
      ...schedule.sessions,
      [session]: threadId ? { ...record, threadId } : { ...record, threadFailed: true },
    },
  };
}

export function recordReminder(schedule: Schedule, session: number): Schedule {
  return { ...schedule, reminded: [...schedule.reminded, session] };
}

/** Records sessions missed beyond the grace window and moves past them. */
export function recordMissed(schedule: Schedule, sessions: readonly number[], now: Date): Schedule {
  let result = schedule;
  for (const session of sessions) {
    result = advance(
      { ...result, sessions: { ...result.sessions, [session]: { status: 'missed', at: now.getTime() } } },
      session,
    );
  }
  return result;
}

export function recordWrapUp(schedule: Schedule, now: Date): Schedule {
  return {
    ...schedule,
    status: 'finished',
    wrapUp: schedule.wrapUp ? { ...schedule.wrapUp, postedAt: now.getTime() } : null,
  };
}

/**
 * A new setup on a server that already has a schedule: the new settings and start date apply to the
 * sessions still to come; the group's place and history stay.
 */
export function rescheduleWith(existing: Schedule, fresh: Schedule, totalSessions: number): Schedule {
  const start = fresh.dates[1];
  if (!start || existing.next > totalSessions)
    return { ...fresh, next: existing.next, sessions: existing.sessions, dates: {} };
  return {
    ...fresh,
    next: existing.next,
    sessions: keep(existing.sessions, (s) => s < existing.next),
    reminded: existing.reminded.filter((s) => s < existing.next),
    dates: weekly(start, existing.next, totalSessions),
    wrapUp: { date: addWeeks(start, totalSessions - existing.next + 1) },
  };
}
