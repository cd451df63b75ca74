import { isSettled, searchFrom, settlesAt } from '../core/claims.js';
import type { Corpus } from '../core/corpus/types.js';
import { reminderMarkerId, reminderReply } from '../core/replies/session.js';
import {
  claimReminder,
  type DueAction,
  dueAt,
  recordMissed,
  recordReminder,
  recordWrapUp,
  type Schedule,
} from '../core/schedule/plan.js';
import type { GuildRecord } from '../state/index.js';
import type { JobDeps } from './deps.js';
import { type DueRules, type ServerAction, serverActions, serverWakeAt } from './due.js';
import { pause } from './facilitators.js';
import { PostError } from './poster.js';
import { openSessionThread, openWeeklyPoll, postNotice, postSession, recoverSession } from './posting.js';
import { forgetServer, serverJoined, serverLeft } from './servers.js';

export type { JobDeps } from './deps.js';

/** How soon to look again after a failure that may clear by itself (Discord 5xx, a storage timeout). */
export const RETRY_MS = 5 * 60_000;
/** A server never gets more than this many actions in one wake-up: a bound, not a plan. */
const MAX_ACTIONS = 12;

/** The rules that decide what is due, from the deps. */
export function dueRules(deps: Pick<JobDeps, 'corpus' | 'retentionMs'>): DueRules {
  return { totalSessions: deps.corpus.sessions.length, retentionMs: deps.retentionMs };
}

/**
 * When the scheduler should next look at a server with this record; the state layer adds it to the wake-up
 * index with every change to a server's schedule, polls or presence (see `openState`).
 */
export function wakeAtFor(
  corpus: Corpus,
  clock: () => Date,
  retentionMs: number,
): (record: GuildRecord) => Date | undefined {
  const rules = dueRules({ corpus, retentionMs });
  return (record) => serverWakeAt(record, rules, clock());
}

/**
 * Does whatever is due for one server, one action at a time, re-reading the record before each so every
 * decision is made on current state. Every change it records also records the next wake-up; an action that
 * has to wait, or a failure that may clear by itself, adds its own. Refusals only a person can fix pause
 * the schedule and tell the facilitators; nothing is retried in a loop.
 */
export async function runGuild(guildId: string, deps: JobDeps): Promise<void> {
  const rules = dueRules(deps);
  try {
    for (let step = 0; step < MAX_ACTIONS; step++) {
      const record = await deps.state.guilds.read(guildId);
      const action = serverActions(record, rules, deps.clock())[0];
      if (!action) return;
      // Discord's word on whether the bot is still there (an outage throws, and nothing is concluded).
      const presence = await deps.poster.presence(guildId);
      if (action.kind === 'forget-server') {
        // Re-checked before anything is deleted: back in the server means its data stays.
        if (presence === 'present') await serverJoined(guildId, deps);
        else await forgetServer(guildId, deps);
        return;
      }
      if (presence === 'absent') {
        // Removed while the bot was offline, or the event was missed: the same as being told.
        await serverLeft(guildId, deps);
        deps.logger.warn({ guildId }, 'bot removed from server; schedule paused, data kept for now');
        return;
      }
      const outcome = await perform(guildId, record, action, deps);
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
  record: GuildRecord,
  action: Exclude<ServerAction, { kind: 'forget-server' }>,
  deps: JobDeps,
): Promise<Date | 'stop' | undefined> {
  switch (action.kind) {
    case 'poll-recover':
      return deps.polls.recoverOpening(guildId, action.pollId);
    case 'poll-close': {
      const report = await deps.polls.close(guildId, action.pollId, null);
      return report.kind === 'in-progress' ? report.until : undefined;
    }
  }
  const schedule = record.schedule;
  if (!schedule) return undefined;
  try {
    return await performScheduled(guildId, schedule, action, deps);
  } catch (error) {
    if (!(error instanceof PostError)) throw error;
    deps.logger.warn({ guildId, reason: error.reason, err: error }, 'cannot post; pausing the schedule');
    await pause(guildId, error.reason === 'message-missing' ? 'rejected' : error.reason, action, deps);
    return 'stop';
  }
}

/** Carries out one action of the reading schedule. */
async function performScheduled(
  guildId: string,
  schedule: Schedule,
  action: DueAction,
  deps: JobDeps,
): Promise<Date | undefined> {
  switch (action.kind) {
    case 'notice':
      return postNotice(guildId, schedule, action.notice, deps);
    case 'remind':
      return remind(guildId, schedule, action, deps);
    case 'post':
      await postSession(guildId, action.session, deps);
      return undefined;
    case 'recover':
      return recoverSession(guildId, schedule, action.session, deps);
    case 'thread':
      await openSessionThread(guildId, action.session, deps);
      return undefined;
    case 'open-poll':
      await openWeeklyPoll(guildId, action.session, action.phase, deps);
      return undefined;
    case 'missed':
      // The notice is owed from here on and posted by the next step.
      await changeIfStillDue(guildId, action, (s) => recordMissed(s, action.sessions, deps.clock()), deps);
      return undefined;
    case 'wrap-up':
      await changeIfStillDue(guildId, action, (s) => recordWrapUp(s, deps.clock()), deps);
      return undefined;
  }
}

/**
 * Posts a session's reminder exactly once: claimed, posted, recorded. A claim left by a crash or an
 * unanswered post is judged once settled: the reminder is looked for and recorded if it went out, or posted
 * again under a refreshed claim, as long as the session has not started (a late reminder is better than
 * none; after the kickoff it is pointless).
 */
async function remind(
  guildId: string,
  schedule: Schedule,
  action: Extract<DueAction, { kind: 'remind' }>,
  deps: JobDeps,
): Promise<Date | undefined> {
  const { poster, corpus, clock } = deps;
  const number = action.session;
  const channelId = schedule.settings.channelId;
  const claim = schedule.reminding?.session === number ? schedule.reminding.claim : undefined;
  if (claim) {
    if (!isSettled(claim, clock())) return settlesAt(claim);
    const found = await poster.findPosted(channelId, reminderMarkerId(number), searchFrom(claim));
    if (found) {
      await changeIfStillDue(guildId, action, (s) => recordReminder(s, number), deps);
      return undefined;
    }
  }
  const session = corpus.sessions[number - 1];
  const claimed = await changeIfStillDue(guildId, action, (s) => claimReminder(s, number, clock()), deps);
  const at = claimed ? dueAt(claimed, number) : undefined;
  if (!claimed || !session || !at) return undefined;
  await poster.post(channelId, reminderReply(corpus, session, at, claimed.settings.pingRoleId));
  deps.metrics?.posted('reminder');
  await deps.state.guilds.change(guildId, (record) => ({
    record: record.schedule ? { ...record, schedule: recordReminder(record.schedule, number) } : record,
    result: undefined,
  }));
  return undefined;
}

/**
 * Applies `change` to the schedule only if `action` is still due now; returns the changed schedule, or
 * undefined when it no longer is.
 */
export async function changeIfStillDue(
  guildId: string,
  action: DueAction,
  change: (schedule: Schedule) => Schedule,
  deps: JobDeps,
): Promise<Schedule | undefined> {
  const rules = dueRules(deps);
  return deps.state.guilds.change(guildId, (record) => {
    const due = serverActions(record, rules, deps.clock());
    if (!record.schedule || !due.some((a) => JSON.stringify(a) === JSON.stringify(action)))
      return { record, result: undefined };
    const schedule = change(record.schedule);
    return { record: { ...record, schedule }, result: schedule };
  });
}
