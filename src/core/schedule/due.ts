import { type Claim, claimAt, isSettled, settlesAt } from '../claims.js';
import { advancePast } from './changes.js';
import {
  dueAt,
  type Notice,
  type Schedule,
  type SessionRecord,
  weeklyPhases,
  weeklyPollWindow,
} from './model.js';
import { instantOf } from './time.js';

/** What the scheduler should do, and how it records what it did, as pure functions of the schedule. */

/** Something the scheduler should do now. */
export type DueAction =
  /** Post the oldest message the channel is owed. */
  | { readonly kind: 'notice'; readonly notice: Notice }
  | { readonly kind: 'remind'; readonly session: number }
  | { readonly kind: 'post'; readonly session: number }
  /** A claim without a recorded post: look for the post before posting again. */
  | { readonly kind: 'recover'; readonly session: number }
  /** Sessions whose time passed beyond the grace window while the bot was down. */
  | { readonly kind: 'missed'; readonly sessions: readonly number[] }
  | { readonly kind: 'thread'; readonly session: number }
  /** Open a posted session's weekly poll (or record it skipped, if its window has passed). */
  | { readonly kind: 'open-poll'; readonly session: number; readonly phase: 'before' | 'after' }
  | { readonly kind: 'wrap-up' };

/**
 * One thing the schedule will need the scheduler for, and from when: the one source of both what is due
 * (its timers at or before now) and when to wake next (its earliest timer), so the two cannot disagree.
 * `at` 0 means now.
 */
interface Timer {
  readonly at: number;
  readonly work:
    | { readonly kind: 'notice'; readonly notice: Notice }
    | { readonly kind: 'thread'; readonly session: number }
    | { readonly kind: 'open-poll'; readonly session: number; readonly phase: 'before' | 'after' }
    /** The next session: its reminder, its post (or, past the grace window, its miss), or its claim's recovery. */
    | { readonly kind: 'session' }
    | { readonly kind: 'wrap-up' };
}

function timers(schedule: Schedule, totalSessions: number): Timer[] {
  if (schedule.status === 'paused') return [];
  const list: Timer[] = schedule.notices.map((notice) => ({
    at: notice.claim ? settlesAt(notice.claim).getTime() : 0,
    work: { kind: 'notice', notice },
  }));
  if (schedule.status === 'finished') return list;
  const last = schedule.sessions[schedule.next - 1];
  if (last?.status === 'posted' && !last.threadId && !last.threadFailed)
    list.push({ at: 0, work: { kind: 'thread', session: schedule.next - 1 } });
  for (const phase of pendingPolls(schedule, totalSessions)) {
    const window = weeklyPollWindow(schedule, schedule.next - 1, phase, totalSessions);
    if (window)
      list.push({ at: window.opensAt, work: { kind: 'open-poll', session: schedule.next - 1, phase } });
  }
  const session = sessionTimer(schedule);
  if (session !== undefined) list.push({ at: session, work: { kind: 'session' } });
  else if (schedule.next > totalSessions && schedule.wrapUp && !schedule.wrapUp.postedAt) {
    const { date } = schedule.wrapUp;
    list.push({
      at: instantOf(date, schedule.settings.time, schedule.settings.zone).getTime(),
      work: { kind: 'wrap-up' },
    });
  }
  return list;
}

/**
 * When the next session needs the scheduler: a claim settling (its post's, or its reminder's, though never
 * later than its time), its reminder, or its time.
 */
function sessionTimer(schedule: Schedule): number | undefined {
  const due = dueAt(schedule, schedule.next);
  if (!due) return undefined;
  const claim = sessionClaim(schedule, schedule.next);
  if (claim) return settlesAt(claim).getTime();
  const reminding = schedule.reminding?.session === schedule.next ? schedule.reminding.claim : undefined;
  if (reminding) return Math.min(settlesAt(reminding).getTime(), due.getTime());
  const lead = schedule.settings.reminderMinutes;
  if (lead !== null && !schedule.reminded.includes(schedule.next)) return due.getTime() - lead * 60_000;
  return due.getTime();
}

/** The claim of a session being posted, if it is. */
export function sessionClaim(schedule: Schedule, session: number): Claim | undefined {
  const record = schedule.sessions[session];
  return record?.status === 'claimed' ? { firstAt: record.firstAt ?? record.at, at: record.at } : undefined;
}

/** What is due at `now`, in the order to do it. */
export function dueActions(schedule: Schedule, totalSessions: number, now: Date): DueAction[] {
  return timers(schedule, totalSessions)
    .filter((timer) => timer.at <= now.getTime())
    .flatMap((timer): DueAction[] => {
      switch (timer.work.kind) {
        case 'session':
          return sessionActions(schedule, totalSessions, now);
        default:
          return [timer.work];
      }
    });
}

/** The next instant something will be due, for the scheduler's wake-up index. */
export function nextWakeAt(schedule: Schedule, totalSessions: number, now: Date): Date | undefined {
  const times = timers(schedule, totalSessions).map((timer) => Math.max(timer.at, now.getTime()));
  return times.length > 0 ? new Date(Math.min(...times)) : undefined;
}

/**
 * What the next session's timer means now: recover its claim; remind; post it; or, for sessions whose time
 * passed beyond the grace window while the bot was down, report them missed and post the first one still
 * within it (and the wrap-up, once every session is accounted for).
 */
function sessionActions(schedule: Schedule, totalSessions: number, now: Date): DueAction[] {
  const actions: DueAction[] = [];
  const missed: number[] = [];
  let forNext: DueAction | undefined;
  const grace = schedule.settings.graceMinutes * 60_000;
  for (let session = schedule.next; session <= totalSessions; session++) {
    const due = dueAt(schedule, session);
    if (!due) break;
    // A claim is looked into whatever the session's date now (a resume or a new setup may have moved it),
    // and even beyond the grace window: the post may have gone out.
    if (schedule.sessions[session]?.status === 'claimed') {
      forNext = { kind: 'recover', session };
      break;
    }
    if (now < due) {
      if (session === schedule.next && !schedule.reminded.includes(session))
        forNext = { kind: 'remind', session };
      break;
    }
    if (now.getTime() - due.getTime() <= grace) {
      forNext = { kind: 'post', session };
      break;
    }
    missed.push(session);
  }
  if (missed.length > 0) actions.push({ kind: 'missed', sessions: missed });
  if (forNext) actions.push(forNext);
  const wrapUp = schedule.wrapUp;
  if (
    schedule.next + missed.length > totalSessions &&
    wrapUp &&
    !wrapUp.postedAt &&
    now >= instantOf(wrapUp.date, schedule.settings.time, schedule.settings.zone)
  )
    actions.push({ kind: 'wrap-up' });
  return actions;
}

/** The weekly polls of the latest posted session not yet opened (or skipped). */
function pendingPolls(schedule: Schedule, totalSessions: number): ('before' | 'after')[] {
  const latest = schedule.sessions[schedule.next - 1];
  if (latest?.status !== 'posted' || schedule.next - 1 > totalSessions) return [];
  return weeklyPhases(schedule.settings).filter((phase) => !latest.polls?.[phase]);
}

/** Records a posted session's weekly poll: its id, or 'skipped' when its window had passed. */
export function recordWeeklyPoll(
  schedule: Schedule,
  session: number,
  phase: 'before' | 'after',
  pollId: string,
): Schedule {
  const record = schedule.sessions[session];
  if (!record) return schedule;
  return {
    ...schedule,
    sessions: { ...schedule.sessions, [session]: { ...record, polls: { ...record.polls, [phase]: pollId } } },
  };
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
  const { firstAt, at } = claimAt(sessionClaim(schedule, session), now);
  const claim: SessionRecord = {
    status: 'claimed',
    at,
    firstAt,
    channelId: schedule.settings.channelId,
    dueAt: (dueAt(schedule, session) ?? now).getTime(),
    ...picks,
  };
  return { ...schedule, sessions: { ...schedule.sessions, [session]: claim } };
}

/** Whether a session's claim is old enough that a post not found in the channel never went out. */
export function claimSettled(schedule: Schedule, session: number, now: Date): boolean {
  const claim = sessionClaim(schedule, session);
  return claim !== undefined && isSettled(claim, now);
}

/** Records the post of `session` (message id for recovery and the thread), and moves on. */
export function recordPost(schedule: Schedule, session: number, messageId: string, now: Date): Schedule {
  const { excerptId, cruxId, channelId, dueAt: due } = schedule.sessions[session] ?? {};
  const posted: SessionRecord = {
    status: 'posted',
    at: now.getTime(),
    messageId,
    channelId: channelId ?? schedule.settings.channelId,
    ...(due !== undefined ? { dueAt: due } : {}),
    ...(excerptId !== undefined ? { excerptId } : {}),
    ...(cruxId !== undefined ? { cruxId } : {}),
  };
  // A reminder still being posted when its session went out is not posted after it.
  const reminding = schedule.reminding?.session === session ? null : schedule.reminding;
  return advancePast(
    { ...schedule, reminding, sessions: { ...schedule.sessions, [session]: posted } },
    session,
  );
}

/** Drops a claim whose post Discord refused: nothing went out, so the session can be posted later. */
export function releaseClaim(schedule: Schedule, session: number): Schedule {
  if (schedule.sessions[session]?.status !== 'claimed') return schedule;
  const { [session]: _released, ...sessions } = schedule.sessions;
  return { ...schedule, sessions };
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

/** A reminder of `session` is about to be posted (or posted again, its claim refreshed). */
export function claimReminder(schedule: Schedule, session: number, now: Date): Schedule {
  const previous = schedule.reminding?.session === session ? schedule.reminding.claim : undefined;
  return { ...schedule, reminding: { session, claim: claimAt(previous, now) } };
}

/** The reminder of `session` went out (or its moment passed): it is not posted again. */
export function recordReminder(schedule: Schedule, session: number): Schedule {
  return {
    ...schedule,
    reminded: schedule.reminded.includes(session) ? schedule.reminded : [...schedule.reminded, session],
    reminding: null,
  };
}

/**
 * Records sessions missed beyond the grace window (overriding a claim whose post never went out), moves past
 * them, and owes the channel a notice saying so.
 */
export function recordMissed(schedule: Schedule, sessions: readonly number[], now: Date): Schedule {
  let result = schedule;
  const notice: Notice = {
    kind: 'missed',
    id: `missed-${sessions.join('-')}-${now.getTime()}`,
    sessions: sessions.map((number) => ({ number, at: (dueAt(schedule, number) ?? now).getTime() })),
  };
  for (const session of sessions) {
    result = advancePast(
      { ...result, sessions: { ...result.sessions, [session]: { status: 'missed', at: now.getTime() } } },
      session,
    );
  }
  return { ...result, notices: [...result.notices, notice] };
}

/** The schedule is finished; the wrap-up is owed to the channel. */
export function recordWrapUp(schedule: Schedule, now: Date): Schedule {
  return {
    ...schedule,
    status: 'finished',
    wrapUp: schedule.wrapUp ? { ...schedule.wrapUp, postedAt: now.getTime() } : null,
    notices: [...schedule.notices, { kind: 'wrap-up', id: `wrap-up-${now.getTime()}` }],
  };
}

/** A post of the notice is about to be attempted: its claim, fresh or refreshed. */
export function attemptNotice(schedule: Schedule, noticeId: string, now: Date): Schedule {
  return {
    ...schedule,
    notices: schedule.notices.map((n) => (n.id === noticeId ? { ...n, claim: claimAt(n.claim, now) } : n)),
  };
}

/** The notice went out: it is no longer owed. */
export function recordNotice(schedule: Schedule, noticeId: string): Schedule {
  const owed = schedule.notices;
  return owed.some((n) => n.id === noticeId)
    ? { ...schedule, notices: owed.filter((n) => n.id !== noticeId) }
    : schedule;
}
