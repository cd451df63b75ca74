import { literal } from '../format.js';
import { assertNoPostInFlight } from './changes.js';
import {
  DEFAULT_GRACE_MINUTES,
  DEFAULT_REMINDER_MINUTES,
  MAX_GRACE_MINUTES,
  MIN_GRACE_MINUTES,
  planFrom,
  readDate,
  readZone,
  type Schedule,
  ScheduleError,
  type ScheduleSettings,
  type WeeklyPolls,
  weekly,
} from './model.js';
import {
  addWeeks,
  describeDate,
  instantOf,
  nextWeekdayAfter,
  normalizeTime,
  WEEKDAYS,
  weekdayOf,
} from './time.js';

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
  readonly polls?: WeeklyPolls | undefined;
  readonly afterPollHours?: number | undefined;
}

/** Validates a setup request and plans every session weekly from the start date. */
export function createSchedule(input: SetupInput, totalSessions: number, now: Date): Schedule {
  const day = WEEKDAYS[input.weekday - 1];
  if (!day) throw new ScheduleError('Pick a weekday from the list.');
  const time = normalizeTime(input.time);
  if (!time)
    throw new ScheduleError(
      `“${literal(input.time)}” is not a time. Use the 24-hour clock, like 19:30 or 07:05.`,
    );
  const zone = readZone(input.zone);
  const graceMinutes = input.graceMinutes ?? DEFAULT_GRACE_MINUTES;
  if (graceMinutes < MIN_GRACE_MINUTES || graceMinutes > MAX_GRACE_MINUTES) {
    throw new ScheduleError(
      `The grace window is ${MIN_GRACE_MINUTES / 60} to ${MAX_GRACE_MINUTES / 60} hours, so a short outage never costs a session.`,
    );
  }
  let start = input.startDate?.trim() ? readDate(input.startDate, now) : undefined;
  if (start) {
    if (weekdayOf(start) !== input.weekday) {
      throw new ScheduleError(
        `${describeDate(start)} is not a ${day}. Pick a ${day}, or leave **start** empty for the next one.`,
      );
    }
    if (instantOf(start, time, zone).getTime() <= now.getTime()) {
      throw new ScheduleError(
        `${describeDate(start)} at ${time} has already passed. Pick a later ${day}, or leave **start** empty for the next one.`,
      );
    }
  } else {
    start = nextWeekdayAfter(now, input.weekday, time, zone);
  }
  const settings: ScheduleSettings = {
    channelId: input.channelId,
    weekday: input.weekday,
    time,
    zone,
    ...(input.pingRoleId ? { pingRoleId: input.pingRoleId } : {}),
    reminderMinutes: input.reminderMinutes === undefined ? DEFAULT_REMINDER_MINUTES : input.reminderMinutes,
    graceMinutes,
    polls: input.polls ?? 'before',
    ...(input.afterPollHours !== undefined ? { afterPollHours: checkAfterHours(input.afterPollHours) } : {}),
  };
  return {
    settings,
    status: 'active',
    next: 1,
    dates: weekly(start, 1, totalSessions),
    sessions: {},
    reminded: [],
    wrapUp: { date: addWeeks(start, totalSessions) },
    notices: [],
    resets: 0,
    reminding: null,
  };
}

/**
 * A new setup on a server that already has a schedule: the new settings and start date apply to the
 * sessions still to come; the group's place, history and owed notices stay. Refused while a post is in
 * flight, like the other changes.
 */
export function rescheduleWith(
  existing: Schedule,
  fresh: Schedule,
  totalSessions: number,
  now: Date,
): Schedule {
  assertNoPostInFlight(existing, now);
  if (existing.status === 'finished' || existing.next > totalSessions) {
    throw new ScheduleError(
      'Every session is done. To read the list again, start over with `/schedule reset`, then run setup.',
    );
  }
  const start = fresh.dates[1];
  // A facilitator's pause stays; a pause for a problem ends, since a new setup is how one is fixed.
  const paused = existing.status === 'paused' && existing.pause?.reason === 'facilitator';
  const carried: Schedule = {
    ...fresh,
    ...(paused && existing.pause ? { status: 'paused' as const, pause: existing.pause } : {}),
    next: existing.next,
    // A claim a crash left on a paused schedule stays: recovery looks for its post where it was made.
    sessions: existing.sessions,
    reminded: existing.reminded,
    notices: existing.notices,
    resets: existing.resets,
    reminding: existing.reminding,
  };
  return planFrom(carried, existing.next, totalSessions, now, start);
}

/** The "after" poll opens within the week: at the kickoff at the earliest, six days after it at the latest. */
export const MAX_AFTER_POLL_HOURS = 144;

function checkAfterHours(hours: number): number {
  if (!Number.isInteger(hours) || hours < 0 || hours > MAX_AFTER_POLL_HOURS)
    throw new ScheduleError(`The "after" poll opens 0 to ${MAX_AFTER_POLL_HOURS} hours after the kickoff.`);
  return hours;
}

/** Which weekly polls the schedule opens from now on; polls already open are not affected. */
export function setWeeklyPolls(schedule: Schedule, polls: WeeklyPolls, afterPollHours?: number): Schedule {
  const { afterPollHours: _previous, ...settings } = schedule.settings;
  const after = afterPollHours ?? schedule.settings.afterPollHours;
  return {
    ...schedule,
    settings: {
      ...settings,
      polls,
      ...(after !== undefined ? { afterPollHours: checkAfterHours(after) } : {}),
    },
  };
}
