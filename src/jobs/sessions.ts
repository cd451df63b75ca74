import type { Corpus } from '../core/corpus/types.js';
import { pausedForProblemReply, reminderReply } from '../core/replies/session.js';
import {
  type DueAction,
  dueActions,
  dueAt,
  nextWakeAt,
  type PauseReason,
  pauseSchedule,
  recordMissed,
  recordReminder,
  recordWrapUp,
  type Schedule,
} from '../core/schedule/plan.js';
import type { CorpusSearch } from '../core/search.js';
import type { Logger } from '../logger.js';
import type { State } from '../state/index.js';
import { PostError, type Poster } from './poster.js';
import { openSessionThread, postNotice, postSession, recoverSession, tellFacilitators } from './posting.js';

/** What scheduled work uses; time and chance are injected. */
export interface JobDeps {
  readonly corpus: Corpus;
  readonly search: CorpusSearch;
  readonly state: State;
  readonly poster: Poster;
  readonly clock: () => Date;
  readonly random: () => number;
  readonly logger: Logger;
}

/** How soon to look again after a failure that may clear by itself (Discord 5xx, a storage timeout). */
export const RETRY_MS = 5 * 60_000;
/** A server never gets more than this many actions in one wake-up: a bound, not a plan. */
const MAX_ACTIONS = 12;

/**
 * When the scheduler should next look at a server with this schedule; the state layer adds it to the
 * wake-up index with every change to the schedule (see `openState`).
 */
export function wakeAtFor(corpus: Corpus, clock: () => Date): (schedule: Schedule) => Date | undefined {
  return (schedule) => nextWakeAt(schedule, corpus.sessions.length, clock());
}

/**
 * Does whatever is due for one server, one action at a time, re-reading the record before each so every
 * decision is made on current state. Every change it records also records the next wake-up; an action that
 * has to wait, or a failure that may clear by itself, adds its own. Refusals only a person can fix pause
 * the schedule and tell the facilitators; nothing is retried in a loop.
 */
export async function runGuild(guildId: string, deps: JobDeps): Promise<void> {
  const total = deps.corpus.sessions.length;
  try {
    for (let step = 0; step < MAX_ACTIONS; step++) {
      const schedule = (await deps.state.guilds.read(guildId)).schedule;
      const action = schedule ? dueActions(schedule, total, deps.clock())[0] : undefined;
      if (!schedule || !action) return;
      if (!deps.poster.inGuild(guildId)) {
        await pause(guildId, 'bot-removed', action, deps);
        deps.logger.warn({ guildId }, 'bot removed from server; schedule paused');
        return;
      }
      const outcome = await perform(guildId, schedule, action, deps);
      if (outcome === 'stop') return;
      if (outcome) {
        await deps.state.wakeUps.add(guildId, outcome);
        return;
      }
    }
    // More was due than one wake-up does: come back on the next tick.
    await deps.state.wakeUps.add(guildId, deps.clock());
  } catch (error) {
    deps.logger.error({ err: error, guildId }, 'scheduled work failed; will retry');
    await deps.state.wakeUps.add(guildId, new Date(deps.clock().getTime() + RETRY_MS));
  }
}

/**
 * Carries out one action. Returns a time to come back when the action must wait, or 'stop' when Discord
 * refused and the schedule was paused.
 */
async function perform(
  guildId: string,
  schedule: Schedule,
  action: DueAction,
  deps: JobDeps,
): Promise<Date | 'stop' | undefined> {
  try {
    switch (action.kind) {
      case 'notice':
        await postNotice(guildId, schedule, action.notice, deps);
        return undefined;
      case 'remind': {
        const session = deps.corpus.sessions[action.session - 1];
        const at = dueAt(schedule, action.session);
        // Recorded before sending: a crash costs at most the reminder, never a duplicate.
        if (!(await changeIfStillDue(guildId, action, (s) => recordReminder(s, action.session), deps)))
          return undefined;
        if (session && at)
          await deps.poster.post(
            schedule.settings.channelId,
            reminderReply(deps.corpus, session, at, schedule.settings.pingRoleId),
          );
        return undefined;
      }
      case 'post':
        await postSession(guildId, action.session, deps);
        return undefined;
      case 'recover':
        return await recoverSession(guildId, schedule, action.session, deps);
      case 'thread':
        await openSessionThread(guildId, action.session, deps);
        return undefined;
      case 'missed':
        // The notice is owed from here on and posted by the next step.
        await changeIfStillDue(guildId, action, (s) => recordMissed(s, action.sessions, deps.clock()), deps);
        return undefined;
      case 'wrap-up':
        await changeIfStillDue(guildId, action, (s) => recordWrapUp(s, deps.clock()), deps);
        return undefined;
    }
  } catch (error) {
    if (!(error instanceof PostError)) throw error;
    deps.logger.warn({ guildId, reason: error.reason, err: error }, 'cannot post; pausing the schedule');
    await pause(guildId, error.reason, action, deps);
    return 'stop';
  }
}

/** Applies `change` to the schedule only if `action` is still the next thing due; false when it is not. */
async function changeIfStillDue(
  guildId: string,
  action: DueAction,
  change: (schedule: Schedule) => Schedule,
  deps: JobDeps,
): Promise<boolean> {
  const total = deps.corpus.sessions.length;
  return deps.state.guilds.change(guildId, (record) => {
    const current = record.schedule ? dueActions(record.schedule, total, deps.clock())[0] : undefined;
    if (!record.schedule || JSON.stringify(current) !== JSON.stringify(action))
      return { record, result: false };
    return { record: { ...record, schedule: change(record.schedule) }, result: true };
  });
}

/**
 * Pauses an active schedule for a problem only a person can fix, and tells the facilitators (or the log).
 * A finished schedule has nothing left to pause: the messages it still owed are given up, since the channel
 * cannot take them and no later step would retry them.
 */
async function pause(guildId: string, reason: PauseReason, action: DueAction, deps: JobDeps): Promise<void> {
  const record = await deps.state.guilds.change(guildId, (current) => {
    if (current.schedule?.status === 'finished')
      return { record: { ...current, schedule: { ...current.schedule, notices: [] } }, result: undefined };
    if (current.schedule?.status !== 'active') return { record: current, result: undefined };
    const next = { ...current, schedule: pauseSchedule(current.schedule, reason, deps.clock()) };
    return { record: next, result: next };
  });
  if (!record?.schedule || reason === 'bot-removed') return;
  const session = 'session' in action ? action.session : record.schedule.next;
  await tellFacilitators(
    guildId,
    pausedForProblemReply(session, reason, record.schedule.settings.channelId, record.facilitatorRoleId),
    deps,
  );
}
