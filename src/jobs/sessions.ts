import type { Corpus } from '../core/corpus/types.js';
import { pickExcerpt } from '../core/excerpts.js';
import { sectionsOf, withCovered } from '../core/progress.js';
import {
  checkInId,
  kickoffReply,
  missedReply,
  pausedForProblemReply,
  reminderReply,
  sessionThreadName,
  sessionThreadStarter,
  wrapUpReply,
} from '../core/replies/session.js';
import { nextInRotation } from '../core/rotation.js';
import {
  claimSession,
  type DueAction,
  dueActions,
  dueAt,
  nextWakeAt,
  type PauseReason,
  pauseSchedule,
  recordMissed,
  recordPost,
  recordReminder,
  recordThread,
  recordWrapUp,
  type Schedule,
  type SessionPicks,
  upcoming,
} from '../core/schedule/plan.js';
import type { CorpusSearch } from '../core/search.js';
import type { Logger } from '../logger.js';
import type { Change, State } from '../state/index.js';
import { PostError, type Poster } from './poster.js';

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

/** How soon to look again after a failure that may clear by itself (Discord 5xx, a timeout). */
const RETRY_MS = 5 * 60_000;
/**
 * How old a claim must be before a missing post is taken to have never happened. After a crash the old
 * process's request can still be landing; no request stays in flight anywhere near this long.
 */
export const RECOVERY_WAIT_MS = 2 * 60_000;
/** A server never gets more than this many actions in one wake-up: a bound, not a plan. */
const MAX_ACTIONS = 12;

/**
 * Does whatever is due for one server, one action at a time, re-reading the record before each so every
 * decision is made on current state, then registers the next wake-up. Posting a session follows
 * claim → post → record: the claim is written first, so a crash between it and the record is recovered
 * by finding the post in the channel, never by posting twice.
 */
export async function runGuild(guildId: string, deps: JobDeps): Promise<void> {
  const total = deps.corpus.sessions.length;
  try {
    for (let step = 0; step < MAX_ACTIONS; step++) {
      const schedule = (await deps.state.guilds.read(guildId)).schedule;
      const action = schedule ? dueActions(schedule, total, deps.clock())[0] : undefined;
      if (!schedule || !action) break;
      if (!deps.poster.inGuild(guildId)) {
        await pause(guildId, 'bot-removed', action, deps);
        deps.logger.warn({ guildId }, 'bot removed from server; schedule paused');
        break;
      }
      const later = await perform(guildId, schedule, action, deps);
      if (later) {
        await deps.state.wakeUps.add(guildId, later);
        break;
      }
    }
  } catch (error) {
    if (!(error instanceof PostError)) {
      deps.logger.error({ err: error, guildId }, 'scheduled work failed; will retry');
      await deps.state.wakeUps.add(guildId, new Date(deps.clock().getTime() + RETRY_MS));
      return;
    }
  }
  await registerNextWake(guildId, deps);
}

/** Adds a wake-up for the next time something is due for the server, if anything. */
export async function registerNextWake(
  guildId: string,
  deps: Pick<JobDeps, 'state' | 'corpus'>,
): Promise<void> {
  const schedule = (await deps.state.guilds.read(guildId)).schedule;
  const at = schedule ? nextWakeAt(schedule, deps.corpus.sessions.length) : undefined;
  if (at) await deps.state.wakeUps.add(guildId, at);
}

/** Carries out one action; returns a time to come back when the action must wait. */
async function perform(
  guildId: string,
  schedule: Schedule,
  action: DueAction,
  deps: JobDeps,
): Promise<Date | undefined> {
  const { corpus, poster } = deps;
  const total = corpus.sessions.length;
  const channelId = schedule.settings.channelId;
  const pingRoleId = schedule.settings.pingRoleId;
  try {
    switch (action.kind) {
      case 'remind': {
        const session = corpus.sessions[action.session - 1];
        const at = dueAt(schedule, action.session);
        // Recorded before sending: a crash costs at most the reminder, never a duplicate.
        if (!(await changeIfStillDue(guildId, action, (s) => recordReminder(s, action.session), deps)))
          return undefined;
        if (session && at) await poster.post(channelId, reminderReply(corpus, session, at, pingRoleId));
        return undefined;
      }
      case 'post':
        await postSession(guildId, action.session, deps);
        return undefined;
      case 'recover': {
        const claimedAt = schedule.sessions[action.session]?.at ?? 0;
        const found = await poster.findPosted(
          channelId,
          checkInId(action.session),
          new Date(claimedAt - 60_000),
        );
        if (found) {
          deps.logger.info({ guildId, session: action.session }, 'recovered a session posted before a crash');
          await recordPosted(guildId, action.session, found, deps);
          await openSessionThread(guildId, action.session, deps);
          return undefined;
        }
        // The post may still be landing from the process that crashed; only an old claim means it never went out.
        if (deps.clock().getTime() - claimedAt < RECOVERY_WAIT_MS)
          return new Date(claimedAt + RECOVERY_WAIT_MS);
        await postSession(guildId, action.session, deps);
        return undefined;
      }
      case 'thread':
        await openSessionThread(guildId, action.session, deps);
        return undefined;
      case 'missed': {
        const missed = action.sessions.map((number) => ({
          number,
          at: dueAt(schedule, number) ?? deps.clock(),
        }));
        if (
          !(await changeIfStillDue(
            guildId,
            action,
            (s) => recordMissed(s, action.sessions, deps.clock()),
            deps,
          ))
        )
          return undefined;
        const after = (await deps.state.guilds.read(guildId)).schedule;
        const next = after ? upcoming(after, total)[0] : undefined;
        await poster.post(
          channelId,
          missedReply(
            missed,
            schedule.settings.graceMinutes,
            next ? { number: next.session, at: next.at } : undefined,
          ),
        );
        return undefined;
      }
      case 'wrap-up': {
        if (!(await changeIfStillDue(guildId, action, (s) => recordWrapUp(s, deps.clock()), deps)))
          return undefined;
        const record = await deps.state.guilds.read(guildId);
        if (record.schedule)
          await poster.post(channelId, wrapUpReply(corpus, record.schedule, record.progress.covered));
        return undefined;
      }
    }
  } catch (error) {
    if (error instanceof PostError) {
      await pause(guildId, error.reason, action, deps);
      deps.logger.warn({ guildId, reason: error.reason }, 'schedule paused: cannot post');
    }
    throw error;
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
 * Claims the session (choosing its excerpt and crux, so a retry posts the same), posts the kickoff, records
 * it and opens the thread. A claim left by a crash is reused, not replaced.
 */
async function postSession(guildId: string, number: number, deps: JobDeps): Promise<void> {
  const { corpus, search, poster, random } = deps;
  const session = corpus.sessions[number - 1];
  if (!session) return;
  const claim = await deps.state.guilds.change(guildId, (record): Change<Claim | undefined> => {
    const schedule = record.schedule;
    const existing = schedule?.sessions[number];
    if (!schedule || schedule.next !== number || (existing && existing.status !== 'claimed')) {
      return { record, result: undefined };
    }
    if (existing) return { record, result: { schedule, picks: existing } };
    const excerpt = pickExcerpt(corpus, search, { session: number }, record.excerpts.shown, random);
    const crux = nextInRotation(
      corpus.cruxes.filter((c) => c.session === number),
      record.cruxes.shown,
      'in-order',
      random,
    );
    const picks: SessionPicks = {
      ...(excerpt.kind === 'excerpt' && 'id' in excerpt.passage ? { excerptId: excerpt.passage.id } : {}),
      ...(crux ? { cruxId: crux.item.id } : {}),
    };
    return {
      record: {
        ...record,
        schedule: claimSession(schedule, number, deps.clock(), picks),
        excerpts: excerpt.kind === 'nothing' ? record.excerpts : { shown: excerpt.shown },
        cruxes: crux ? { shown: crux.shown } : record.cruxes,
      },
      result: { schedule, picks },
    };
  });
  if (!claim) return;
  const { settings } = claim.schedule;
  const kickoff = kickoffReply(
    corpus,
    session,
    corpus.excerptById.get(claim.picks.excerptId ?? ''),
    corpus.cruxById.get(claim.picks.cruxId ?? ''),
    settings.pingRoleId,
  );
  let messageId: string;
  try {
    messageId = await poster.post(settings.channelId, kickoff);
  } catch (error) {
    // Discord refused: nothing was posted, so the claim is released and the session can be posted later.
    if (error instanceof PostError) await releaseClaim(guildId, number, deps);
    throw error;
  }
  await recordPosted(guildId, number, messageId, deps);
  await openSessionThread(guildId, number, deps);
}

interface Claim {
  readonly schedule: Schedule;
  readonly picks: SessionPicks;
}

/** Records a posted session: it is done, it is the group's week, and its sections are covered. */
async function recordPosted(
  guildId: string,
  number: number,
  messageId: string,
  deps: JobDeps,
): Promise<void> {
  const { corpus } = deps;
  await deps.state.guilds.change(guildId, (record) => {
    if (record.schedule?.sessions[number]?.status !== 'claimed') return { record, result: undefined };
    return {
      record: {
        ...record,
        schedule: recordPost(record.schedule, number, messageId, deps.clock()),
        progress: {
          session: number,
          covered: withCovered(
            corpus,
            record.progress.covered,
            sectionsOf(corpus, { kind: 'session', session: number }),
          ),
        },
      },
      result: undefined,
    };
  });
}

async function releaseClaim(guildId: string, number: number, deps: JobDeps): Promise<void> {
  await deps.state.guilds.change(guildId, (record) => {
    if (record.schedule?.sessions[number]?.status !== 'claimed') return { record, result: undefined };
    const { [number]: _released, ...sessions } = record.schedule.sessions;
    return { record: { ...record, schedule: { ...record.schedule, sessions } }, result: undefined };
  });
}

/** Opens the discussion thread of a posted session; a refusal is recorded, not retried. */
async function openSessionThread(guildId: string, number: number, deps: JobDeps): Promise<void> {
  const record = await deps.state.guilds.read(guildId);
  const posted = record.schedule?.sessions[number];
  const session = deps.corpus.sessions[number - 1];
  if (
    !record.schedule ||
    !session ||
    posted?.status !== 'posted' ||
    !posted.messageId ||
    posted.threadId ||
    posted.threadFailed
  )
    return;
  let threadId: string | undefined;
  try {
    threadId = await deps.poster.openThread(
      record.schedule.settings.channelId,
      posted.messageId,
      sessionThreadName(session),
      sessionThreadStarter(session, deps.corpus.cruxById.get(posted.cruxId ?? '')),
    );
  } catch (error) {
    if (!(error instanceof PostError)) throw error;
    deps.logger.warn({ guildId, session: number, reason: error.reason }, 'could not open the session thread');
  }
  await deps.state.guilds.change(guildId, (current) => ({
    record: current.schedule
      ? { ...current, schedule: recordThread(current.schedule, number, threadId) }
      : current,
    result: undefined,
  }));
}

/** Pauses the schedule for a problem only a person can fix, and tells the facilitators (or the log). */
async function pause(guildId: string, reason: PauseReason, action: DueAction, deps: JobDeps): Promise<void> {
  const record = await deps.state.guilds.change(guildId, (current) => {
    if (current.schedule?.status !== 'active') return { record: current, result: undefined };
    const next = { ...current, schedule: pauseSchedule(current.schedule, reason, deps.clock()) };
    return { record: next, result: next };
  });
  if (!record?.schedule || reason === 'bot-removed') return;
  const session = 'session' in action ? action.session : record.schedule.next;
  const told = await deps.poster
    .notifyFacilitators(
      guildId,
      pausedForProblemReply(session, reason, record.schedule.settings.channelId, record.facilitatorRoleId),
    )
    .catch(() => false);
  if (!told)
    deps.logger.warn({ guildId, reason }, 'schedule paused and no channel to tell the facilitators in');
}
