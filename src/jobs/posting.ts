import { SCHEDULE_CHANNEL_PERMISSIONS } from '../core/access.js';
import { isSettled, searchFrom, settlesAt } from '../core/claims.js';
import { pickExcerpt } from '../core/excerpts.js';
import { sectionsOf, withCovered } from '../core/progress.js';
import { checkInId } from '../core/replies/checkin.js';
import { missedReply, noticeButtonId, wrapUpReply } from '../core/replies/notices.js';
import {
  kickoffReply,
  sessionThreadName,
  sessionThreadStarter,
  threadFailedReply,
} from '../core/replies/session.js';
import type { Reply } from '../core/reply.js';
import { nextInRotation } from '../core/rotation.js';
import {
  attemptNotice,
  claimSession,
  claimSettled,
  dueActions,
  dueAt,
  type Notice,
  recordMissed,
  recordNotice,
  recordPost,
  recordThread,
  recordWeeklyPoll,
  releaseClaim,
  type Schedule,
  type SessionPicks,
  upcoming,
  weeklyPollWindow,
} from '../core/schedule/plan.js';
import type { Change } from '../state/index.js';
import type { JobDeps } from './deps.js';
import { tellFacilitators } from './facilitators.js';
import { PostError } from './poster.js';

/**
 * Posting a session: claim → post → record. The claim is written first, with the excerpt and crux chosen,
 * so a crash between it and the record is recovered by finding the post in the channel (or posting the same
 * picks once the claim is old enough that no post can still be landing), never by posting twice. Each
 * attempt refreshes the claim, so a facilitator's change waits for it (see assertNoPostInFlight).
 */
export async function postSession(guildId: string, number: number, deps: JobDeps): Promise<void> {
  const { corpus, poster } = deps;
  const session = corpus.sessions[number - 1];
  if (!session) return;
  const claim = await claimIfDue(guildId, number, deps);
  if (!claim) return;
  const { settings } = claim.schedule;
  const kickoff = kickoffReply(
    corpus,
    session,
    corpus.excerptById.get(claim.picks.excerptId ?? ''),
    corpus.cruxById.get(claim.picks.cruxId ?? ''),
    settings.pingRoleId,
    deps.mentions,
  );
  let messageId: string;
  try {
    messageId = (await poster.post(settings.channelId, kickoff)).id;
    deps.metrics?.posted('kickoff');
  } catch (error) {
    // Discord refused: nothing was posted, so the claim is released and the session can be posted later.
    if (error instanceof PostError) await changeSchedule(guildId, deps, (s) => releaseClaim(s, number));
    throw error;
  }
  await recordPosted(guildId, number, messageId, deps);
  await openSessionThread(guildId, number, deps);
}

interface Claim {
  readonly schedule: Schedule;
  readonly picks: SessionPicks;
}

/**
 * Claims session `number` only if posting it is still due on an active schedule (a facilitator's pause or
 * move since the scheduler looked wins), choosing its excerpt and crux; a crash's claim is reused with its
 * picks and refreshed.
 */
function claimIfDue(guildId: string, number: number, deps: JobDeps): Promise<Claim | undefined> {
  const { corpus, search, random } = deps;
  const now = deps.clock();
  return deps.state.guilds.change(guildId, (record): Change<Claim | undefined> => {
    const schedule = record.schedule;
    const due =
      schedule?.status === 'active' &&
      dueActions(schedule, corpus.sessions.length, now).some(
        (a) => (a.kind === 'post' || a.kind === 'recover') && a.session === number,
      );
    if (!schedule || !due) return { record, result: undefined };
    const existing = schedule.sessions[number];
    if (existing?.status === 'claimed') {
      const picks: SessionPicks = {
        ...(existing.excerptId !== undefined ? { excerptId: existing.excerptId } : {}),
        ...(existing.cruxId !== undefined ? { cruxId: existing.cruxId } : {}),
      };
      const claimed = claimSession(schedule, number, now, picks);
      return { record: { ...record, schedule: claimed }, result: { schedule: claimed, picks } };
    }
    if (existing) return { record, result: undefined };
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
    const claimed = claimSession(schedule, number, now, picks);
    return {
      record: {
        ...record,
        schedule: claimed,
        excerpts: excerpt.kind === 'nothing' ? record.excerpts : { shown: excerpt.shown },
        cruxes: crux ? { shown: crux.shown } : record.cruxes,
      },
      result: { schedule: claimed, picks },
    };
  });
}

/**
 * A claim without a recorded post, after a crash or a lost answer: the post is looked for where it was made
 * and recorded if found. If not, and the claim is old enough that no request can still be landing, the
 * session is posted now with the same picks; or, beyond the grace window, reported missed; or, if it has
 * moved to a later date meanwhile, released to be posted then. Returns when to look again while the claim
 * is too young to judge.
 */
export async function recoverSession(
  guildId: string,
  schedule: Schedule,
  number: number,
  deps: JobDeps,
): Promise<Date | undefined> {
  const claim = schedule.sessions[number];
  if (claim?.status !== 'claimed') return undefined;
  const found = await deps.poster.findPosted(
    claim.channelId ?? schedule.settings.channelId,
    checkInId(number),
    searchFrom({ firstAt: claim.firstAt ?? claim.at, at: claim.at }),
  );
  if (found) {
    deps.logger.info({ guildId, session: number }, 'recovered a session posted before a crash');
    await recordPosted(guildId, number, found.id, deps);
    await openSessionThread(guildId, number, deps);
    return undefined;
  }
  const now = deps.clock();
  if (!claimSettled(schedule, number, now))
    return settlesAt({ firstAt: claim.firstAt ?? claim.at, at: claim.at });
  const due = dueAt(schedule, number);
  if (due && now < due) {
    // Never posted, and the session has moved to a later date since: it is posted then.
    await changeSchedule(guildId, deps, (s) => releaseClaim(s, number));
    return undefined;
  }
  if (due && now.getTime() - due.getTime() > schedule.settings.graceMinutes * 60_000) {
    await changeSchedule(guildId, deps, (s) =>
      s.sessions[number]?.status === 'claimed' ? recordMissed(s, [number], now) : s,
    );
    return undefined;
  }
  await postSession(guildId, number, deps);
  return undefined;
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

/**
 * Opens the discussion thread of a posted session, in the channel it was posted in. Any failure is recorded
 * and not retried (discord.js has already retried what can clear by itself), so a thread never holds up the
 * next session; a missing permission is told to the facilitators.
 */
export async function openSessionThread(guildId: string, number: number, deps: JobDeps): Promise<void> {
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
  const channelId = posted.channelId ?? record.schedule.settings.channelId;
  let threadId: string | undefined;
  try {
    threadId = await deps.poster.openThread(
      channelId,
      posted.messageId,
      sessionThreadName(session),
      sessionThreadStarter(session, deps.corpus.cruxById.get(posted.cruxId ?? '')),
    );
  } catch (error) {
    deps.logger.warn({ err: error, guildId, session: number }, 'could not open the session thread');
    if (error instanceof PostError && error.reason === 'no-permission') {
      await tellFacilitators(
        guildId,
        threadFailedReply(number, channelId, SCHEDULE_CHANNEL_PERMISSIONS, record.facilitatorRoleId),
        deps,
      );
    }
  }
  await changeSchedule(guildId, deps, (s) => recordThread(s, number, threadId));
}

/**
 * Opens a posted session's weekly poll on its crux, in its channel, closing an hour before the next kickoff.
 * When its window has passed (the bot was down), or the session has no crux, it is recorded as skipped.
 */
export async function openWeeklyPoll(
  guildId: string,
  number: number,
  phase: 'before' | 'after',
  deps: JobDeps,
): Promise<void> {
  const { schedule } = await deps.state.guilds.read(guildId);
  const posted = schedule?.sessions[number];
  if (!schedule || posted?.status !== 'posted' || posted.polls?.[phase]) return;
  const window = weeklyPollWindow(schedule, number, phase, deps.corpus.sessions.length);
  const crux = deps.corpus.cruxById.get(posted.cruxId ?? '');
  const now = deps.clock().getTime();
  if (!window || !crux || window.closesAt - now < 3_600_000) {
    await changeSchedule(guildId, deps, (s) => recordWeeklyPoll(s, number, phase, 'skipped'));
    return;
  }
  await deps.polls.open(
    {
      guildId,
      channelId: posted.channelId ?? schedule.settings.channelId,
      crux,
      phase,
      style: 'buttons',
      hideResults: false,
      openedBy: null,
      session: number,
      closesAt: new Date(Math.min(window.closesAt, now + 768 * 3_600_000)),
    },
    (record, poll) =>
      record.schedule && !record.schedule.sessions[number]?.polls?.[phase]
        ? { ...record, schedule: recordWeeklyPoll(record.schedule, number, phase, poll.id) }
        : null,
  );
}

/**
 * Posts a message the channel is owed, once: the attempt is recorded first, and a retry looks for the
 * notice (by its button) before posting it again. Returns when to look again while an attempt is too young
 * to judge.
 */
export async function postNotice(
  guildId: string,
  schedule: Schedule,
  notice: Notice,
  deps: JobDeps,
): Promise<Date | undefined> {
  const { poster, clock } = deps;
  const marker = noticeButtonId(notice);
  if (notice.claim) {
    if (!isSettled(notice.claim, clock())) return settlesAt(notice.claim);
    const found = await poster.findPosted(schedule.settings.channelId, marker, searchFrom(notice.claim));
    if (found) {
      await changeSchedule(guildId, deps, (s) => recordNotice(s, notice.id));
      return undefined;
    }
  }
  await changeSchedule(guildId, deps, (s) => attemptNotice(s, notice.id, clock()));
  await poster.post(schedule.settings.channelId, await noticeReply(guildId, schedule, notice, deps));
  deps.metrics?.posted('notice');
  await changeSchedule(guildId, deps, (s) => recordNotice(s, notice.id));
  return undefined;
}

async function noticeReply(
  guildId: string,
  schedule: Schedule,
  notice: Notice,
  deps: JobDeps,
): Promise<Reply> {
  if (notice.kind === 'missed') {
    const [next] = upcoming(schedule, deps.corpus.sessions.length);
    return missedReply(
      notice,
      schedule.settings.graceMinutes,
      next ? { number: next.session, at: next.at } : undefined,
    );
  }
  const record = await deps.state.guilds.read(guildId);
  return wrapUpReply(deps.corpus, schedule, record.progress.covered, notice);
}

/** Changes the server's schedule, if it has one. */
async function changeSchedule(
  guildId: string,
  deps: JobDeps,
  change: (schedule: Schedule) => Schedule,
): Promise<void> {
  await deps.state.guilds.change(guildId, (record) => ({
    record: record.schedule ? { ...record, schedule: change(record.schedule) } : record,
    result: undefined,
  }));
}
