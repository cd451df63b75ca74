import {
  CLAIM_SETTLE_MS,
  dueAt,
  keep,
  type PauseReason,
  planFrom,
  readDate,
  type Schedule,
  ScheduleError,
} from './model.js';
import { addWeeks, compareDates, describeDate, instantOf } from './time.js';

/** A facilitator's changes to a schedule, as pure functions; each throws `ScheduleError` saying what to do instead. */

/**
 * Refuses a change that would race the scheduler: while a session's post is in flight or not yet settled,
 * skipping, re-ordering, resetting or setting up again could leave a post unrecorded or post it twice. On
 * a running schedule the scheduler settles a claim within minutes; on a paused one, only a claim younger
 * than the settling time can still be in flight, and an older one (left by a crash) is overridden.
 */
export function assertNoPostInFlight(schedule: Schedule, now: Date): void {
  const claim = schedule.sessions[schedule.next];
  const young = claim !== undefined && now.getTime() - claim.at < CLAIM_SETTLE_MS;
  if (claim?.status === 'claimed' && (young || schedule.status === 'active')) {
    throw new ScheduleError(
      `Session ${schedule.next} is being posted right now. Try again in a couple of minutes.`,
    );
  }
}

export function pauseSchedule(schedule: Schedule, reason: PauseReason, now: Date): Schedule {
  if (schedule.status === 'finished')
    throw new ScheduleError('The schedule is finished; there is nothing to pause.');
  if (schedule.status === 'paused' && reason === 'facilitator' && schedule.pause?.reason === 'facilitator')
    throw new ScheduleError('The schedule is already paused. Use `/schedule resume` to start posting again.');
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
  return planFrom(resumed, resumed.next, totalSessions, now);
}

/** Moves on without posting this week's session: it is marked skipped and the next one keeps its date. */
export function skipSession(schedule: Schedule, totalSessions: number, now: Date): Schedule {
  if (schedule.status === 'finished' || schedule.next > totalSessions)
    throw new ScheduleError('Every session is done; there is nothing to skip.');
  assertNoPostInFlight(schedule, now);
  const skipped = schedule.next;
  return advancePast(
    { ...schedule, sessions: { ...schedule.sessions, [skipped]: { status: 'skipped', at: now.getTime() } } },
    skipped,
  );
}

/**
 * After session `done` is posted, skipped or missed, the one after it is next (total + 1: only the wrap-up
 * remains). Never moves backwards: a facilitator may already have moved the group further on.
 */
export function advancePast(schedule: Schedule, done: number): Schedule {
  return {
    ...schedule,
    next: Math.max(schedule.next, done + 1),
    dates: keep(schedule.dates, (s) => s !== done),
  };
}

/** Moves one upcoming session to another date, keeping the order of sessions; its reminder goes out again. */
export function moveSession(
  schedule: Schedule,
  session: number,
  date: string,
  totalSessions: number,
  now: Date,
): Schedule {
  if (session < schedule.next || session > totalSessions) {
    throw new ScheduleError(
      schedule.next > totalSessions
        ? 'Every session is done; there is nothing to move.'
        : `Only sessions still to come can move: ${schedule.next} to ${totalSessions}.`,
    );
  }
  assertNoPostInFlight(schedule, now);
  readDate(date, now);
  const { time, zone } = schedule.settings;
  if (instantOf(date, time, zone).getTime() <= now.getTime()) {
    throw new ScheduleError(`${describeDate(date)} at ${time} has already passed. Pick a later date.`);
  }
  const before = schedule.dates[session - 1];
  const after = schedule.dates[session + 1];
  if ((before && compareDates(date, before) <= 0) || (after && compareDates(date, after) >= 0)) {
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
  return {
    ...schedule,
    dates: { ...schedule.dates, [session]: date },
    reminded: schedule.reminded.filter((s) => s !== session),
    wrapUp,
  };
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
  assertNoPostInFlight(schedule, now);
  // Going back re-opens the sessions from there: they will be posted again. A claim a crash left is dropped.
  const sessions = keep(schedule.sessions, (s) => s < session);
  const open = Object.fromEntries(Object.entries(sessions).filter(([, r]) => r.status !== 'claimed'));
  const status = schedule.status === 'paused' ? 'paused' : 'active';
  return planFrom({ ...schedule, next: session, sessions: open, status }, session, totalSessions, now);
}

/** Back to session 1, planned from the next slot, with the history cleared. */
export function resetSchedule(schedule: Schedule, totalSessions: number, now: Date): Schedule {
  assertNoPostInFlight(schedule, now);
  const { pause: _pause, ...rest } = schedule;
  return planFrom(
    {
      ...rest,
      status: 'active',
      next: 1,
      sessions: {},
      reminded: [],
      reminding: null,
      notices: [],
      resets: schedule.resets + 1,
    },
    1,
    totalSessions,
    now,
  );
}
