import { SCHEDULE_CHANNEL_PERMISSIONS } from '../core/access.js';
import { pickExcerpt } from '../core/excerpts.js';
import { sectionsOf, withCovered } from '../core/progress.js';
import {
  checkInId,
  kickoffReply,
  missedReply,
  sessionThreadName,
  sessionThreadStarter,
  threadFailedReply,
  wrapUpReply,
} from '../core/replies/session.js';
import type { Reply } from '../core/reply.js';
import { nextInRotation } from '../core/rotation.js';
import {
  CLAIM_SETTLE_MS,
  claimSession,
  claimSettled,
  dueAt,
  type Notice,
  recordMissed,
  recordNotice,
  recordPost,
  recordThread,
  releaseClaim,
  type Schedule,
  type SessionPicks,
  upcoming,
} from '../core/schedule/plan.js';
import type { Change } from '../state/index.js';
import { PostError } from './poster.js';
import type { JobDeps } from './sessions.js';

/**
 * Posting a session: claim → post → record. The claim is written first, with the excerpt and crux chosen,
 * so a crash between it and the record is recovered by finding the post in the channel (or posting the same
 * picks once the claim is old enough that no post can still be landing), never by posting twice.
 */
export async function postSession(guildId: string, number: number, deps: JobDeps): Promise<void> {
  const { corpus, poster } = deps;
  const session = corpus.sessions[number - 1];
  if (!session) return;
  const claim = await claimOrReuse(guildId, number, deps);
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

/** Claims session `number` if it is next and unclaimed, choosing its excerpt and crux; reuses a crash's claim. */
function claimOrReuse(guildId: string, number: number, deps: JobDeps): Promise<Claim | undefined> {
  const { corpus, search, random } = deps;
  return deps.state.guilds.change(guildId, (record): Change<Claim | undefined> => {
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
}

/**
 * A claim without a recorded post, after a crash: the post is looked for in the channel and recorded if
 * found. If not, and the claim is old enough that no request can still be landing, the session is posted
 * now with the same picks — or, beyond the grace window, reported as missed. Returns when to look again
 * while the claim is too young to judge.
 */
export async function recoverSession(
  guildId: string,
  schedule: Schedule,
  number: number,
  deps: JobDeps,
): Promise<Date | undefined> {
  const claimedAt = schedule.sessions[number]?.at ?? 0;
  const found = await deps.poster.findPosted(
    schedule.settings.channelId,
    checkInId(number),
    new Date(claimedAt - 60_000),
  );
  if (found) {
    deps.logger.info({ guildId, session: number }, 'recovered a session posted before a crash');
    await recordPosted(guildId, number, found, deps);
    await openSessionThread(guildId, number, deps);
    return undefined;
  }
  const now = deps.clock();
  if (!claimSettled(schedule, number, now)) return new Date(claimedAt + CLAIM_SETTLE_MS);
  const due = dueAt(schedule, number);
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
 * Opens the discussion thread of a posted session. Any failure is recorded and not retried (discord.js has
 * already retried what can clear by itself), so a thread never holds up the next session; a missing
 * permission is told to the facilitators.
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
  const { channelId } = record.schedule.settings;
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
 * Posts a message the channel is owed, then records it posted. A crash between the two repeats the notice
 * once; a failed post leaves it owed, to be retried.
 */
export async function postNotice(
  guildId: string,
  schedule: Schedule,
  notice: Notice,
  deps: JobDeps,
): Promise<void> {
  await deps.poster.post(schedule.settings.channelId, await noticeReply(guildId, schedule, notice, deps));
  await changeSchedule(guildId, deps, (s) => recordNotice(s, notice));
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
      notice.sessions.map((s) => ({ number: s.number, at: new Date(s.at) })),
      schedule.settings.graceMinutes,
      next ? { number: next.session, at: next.at } : undefined,
    );
  }
  const record = await deps.state.guilds.read(guildId);
  return wrapUpReply(deps.corpus, schedule, record.progress.covered);
}

/** Tells a server's facilitators something in a channel the bot may post in, or logs that it cannot. */
export async function tellFacilitators(guildId: string, reply: Reply, deps: JobDeps): Promise<void> {
  const told = await deps.poster.notifyFacilitators(guildId, reply).catch(() => false);
  if (!told) deps.logger.warn({ guildId }, 'no channel to tell the facilitators in');
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
