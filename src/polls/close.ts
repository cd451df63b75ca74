import { resultsChart } from '../charts/polls.js';
import { isSettled, searchFrom, settlesAt } from '../core/claims.js';
import {
  beginClose,
  claimResults,
  cruxOfPoll,
  nativeAnswerIds,
  type PollProblem,
  type PollRecord,
  reconcileNative,
} from '../core/polls/model.js';
import { movement } from '../core/polls/positions.js';
import { type Tally, tally } from '../core/polls/tally.js';
import { pollMessage, resultsMarkerId, resultsReply } from '../core/replies/poll.js';
import type { BaseDeps } from '../jobs/deps.js';
import { PostError } from '../jobs/poster.js';
import type { RecordChange } from '../state/records.js';
import { attempt, dropSummary, finishPoll, problemOf, syncSummary, tellPollProblem } from './records.js';

/**
 * Closing a poll: no more votes, a native poll ended and counted from Discord, the message showing the
 * final result, and the results posted once (claim → post → record, like a session, so a crash never posts
 * them twice).
 */

/** How a close went. */
export type CloseReport =
  | { readonly kind: 'closed'; readonly poll: PollRecord; readonly problem?: PollProblem }
  | { readonly kind: 'already-closed'; readonly poll: PollRecord }
  /** Another close is announcing the result right now; look again at `until`. */
  | { readonly kind: 'in-progress'; readonly until: Date }
  /** Closed to votes, its result not yet posted (Discord did not answer); it follows after `until`, once. */
  | { readonly kind: 'result-pending'; readonly poll: PollRecord; readonly until: Date }
  | { readonly kind: 'missing' };

/**
 * Closes a poll: no more votes, a native poll ended and counted from Discord, the message showing the
 * final result, and the results posted once. A deleted message or channel does not stop the close: the
 * poll is closed with the problem recorded and the facilitators are told.
 */
export async function closePoll(
  deps: BaseDeps,
  guildId: string,
  pollId: string,
  closedBy: string | null,
  quiet: () => Promise<void>,
): Promise<CloseReport> {
  const { state, clock } = deps;
  const before = await state.polls.get(guildId, pollId);
  if (!before) {
    await dropSummary(deps, guildId, pollId);
    return { kind: 'missing' };
  }
  if (before.status === 'closed') {
    await syncSummary(deps, before);
    return { kind: 'already-closed', poll: before };
  }
  if (before.status === 'opening') {
    // Never shown to anyone: there is nothing to announce.
    return { kind: 'closed', poll: await finishPoll(deps, guildId, pollId, undefined, 'message-missing') };
  }
  if (!deps.corpus.cruxById.has(before.cruxId)) {
    // The crux left the reading list: its answers are kept and exported, but there is nothing to show.
    deps.logger.warn(
      { guildId, pollId, cruxId: before.cruxId },
      'closing a poll on a crux no longer in the corpus',
    );
    return { kind: 'closed', poll: await finishPoll(deps, guildId, pollId, undefined, 'rejected') };
  }
  await quiet();
  const closing = await state.polls.change(guildId, pollId, (poll) => {
    const next = beginClose(poll, clock(), closedBy);
    return { record: next, result: next };
  });
  if (!closing) return { kind: 'missing' };
  await syncSummary(deps, closing);
  let problem: PollProblem | undefined;
  const counted = closing.style === 'native' ? await countNative(deps, closing) : { poll: closing };
  problem = counted.problem;
  const poll = counted.poll;
  const crux = cruxOfPoll(deps.corpus, poll);
  const final = tally(crux, Object.values(poll.ballots));
  if (poll.style === 'buttons' && poll.messageId && !problem) {
    problem = await attempt(() =>
      deps.poster.edit(
        poll.channelId,
        poll.messageId ?? '',
        pollMessage({ ...poll, status: 'closed' }, crux, final),
      ),
    );
  }
  if (problem === 'channel-missing' || problem === 'no-permission') {
    const closed = await finishPoll(deps, guildId, pollId, undefined, problem);
    await tellPollProblem(deps, closed, problem);
    return { kind: 'closed', poll: closed, problem };
  }
  return announce(deps, poll, final, problem);
}

/** Posts the results once (claim → post → record), then marks the poll closed. */
async function announce(
  deps: BaseDeps,
  poll: PollRecord,
  final: Tally,
  problem: PollProblem | undefined,
): Promise<CloseReport> {
  const { state, clock, poster } = deps;
  const earlier = poll.results;
  let messageId = earlier?.messageId;
  if (earlier && !messageId) {
    // An attempt from before: its post may have landed, or may still be landing, so it is judged only once
    // settled. A refusal means there is nothing to find there; anything else (a 5xx) is retried later, since
    // posting without knowing could post the results twice.
    if (!isSettled(earlier.claim, clock())) return { kind: 'in-progress', until: settlesAt(earlier.claim) };
    try {
      messageId = (
        await poster.findPosted(poll.channelId, resultsMarkerId(poll.id), searchFrom(earlier.claim))
      )?.id;
    } catch (error) {
      if (!(error instanceof PostError)) throw error;
      // It cannot tell whether the results landed: posting again could show them twice, so the poll is
      // closed with the problem and the facilitators told (`/poll results` shows the result).
      problem = problemOf(error);
      const closed = await finishPoll(deps, poll.guildId, poll.id, undefined, problem);
      await tellPollProblem(deps, closed, problem);
      return { kind: 'closed', poll: closed, problem };
    }
  }
  if (!messageId) {
    // Claimed (or the claim refreshed) for this attempt, so a recovery racing it waits for it to settle;
    // if another attempt claimed it since this one looked, that one goes ahead.
    type Claimed = { readonly raced: PollRecord } | { readonly claimed: PollRecord };
    const claimed = await state.polls.change(
      poll.guildId,
      poll.id,
      (current): RecordChange<PollRecord, Claimed> => {
        const raced =
          current.results?.messageId !== undefined || current.results?.claim.at !== earlier?.claim.at;
        if (raced) return { record: current, result: { raced: current } };
        const next = claimResults(current, clock());
        return { record: next, result: { claimed: next } };
      },
    );
    if (!claimed) return { kind: 'missing' };
    if ('raced' in claimed) {
      const other = claimed.raced.results;
      return other?.messageId || !other
        ? { kind: 'already-closed', poll: claimed.raced }
        : { kind: 'in-progress', until: settlesAt(other.claim) };
    }
    await syncSummary(deps, claimed.claimed);
    const crux = cruxOfPoll(deps.corpus, poll);
    // This poll's answers count as shown: it is closing (results hidden until now are revealed here).
    const polls =
      poll.phase === 'after'
        ? (await pollsOn(deps, poll.guildId, crux.id)).map((p) =>
            p.id === poll.id ? { ...poll, status: 'closed' as const } : p,
          )
        : [];
    const moved = poll.phase === 'after' ? movement(crux, polls) : undefined;
    const chart = await resultsChart(crux, final, moved).catch((error: unknown) => {
      deps.logger.warn({ err: error }, 'could not draw a results chart; posting the text alone');
      return undefined;
    });
    try {
      messageId = (
        await poster.post(
          poll.channelId,
          resultsReply({ ...poll, status: 'closed' }, crux, final, chart, moved),
        )
      ).id;
      deps.metrics?.posted('results');
    } catch (error) {
      if (!(error instanceof PostError)) {
        // Unanswered (a 5xx, a timeout): the post may have landed. The claim stands; once it settles the
        // scheduler looks for the post and makes it if it is not there, so the result follows, once.
        deps.logger.warn({ err: error, guildId: poll.guildId, pollId: poll.id }, 'results post unanswered');
        return {
          kind: 'result-pending',
          poll: claimed.claimed,
          until: settlesAt(claimed.claimed.results?.claim ?? { firstAt: 0, at: clock().getTime() }),
        };
      }
      problem = problemOf(error);
    }
  }
  const closed = await finishPoll(deps, poll.guildId, poll.id, messageId, problem);
  if (problem) await tellPollProblem(deps, closed, problem);
  return { kind: 'closed', poll: closed, ...(problem ? { problem } : {}) };
}

/** Ends a native poll on Discord and takes its final voters from there; keeps the recorded ones if it cannot. */
async function countNative(
  deps: BaseDeps,
  poll: PollRecord,
): Promise<{ poll: PollRecord; problem?: PollProblem }> {
  const { poster, state, clock } = deps;
  if (!poll.messageId) return { poll };
  const messageId = poll.messageId;
  const problem = await attempt(async () => {
    await poster.endPoll(poll.channelId, messageId);
    const crux = cruxOfPoll(deps.corpus, poll);
    const voters = new Map<number, string[]>();
    for (const answer of nativeAnswerIds(poll, crux))
      voters.set(answer, await poster.pollVoters(poll.channelId, messageId, answer));
    await state.polls.change(poll.guildId, poll.id, (current) => ({
      record: reconcileNative(current, crux, voters, clock()),
      result: undefined,
    }));
  });
  const counted = (await state.polls.get(poll.guildId, poll.id)) ?? poll;
  if (problem === 'rejected') {
    // Discord would not end or list the poll; the votes its events brought are the count. Nobody needs
    // to act, so this is logged, not told.
    deps.logger.warn(
      { guildId: poll.guildId, pollId: poll.id },
      'counted a native poll from its vote events only',
    );
    return { poll: counted };
  }
  return { poll: counted, ...(problem ? { problem } : {}) };
}

/** Every poll of the server on one crux. */
async function pollsOn(deps: BaseDeps, guildId: string, cruxId: string): Promise<PollRecord[]> {
  const record = await deps.state.guilds.read(guildId);
  const ids = record.polls.filter((p) => p.cruxId === cruxId).map((p) => p.id);
  return deps.state.polls.getMany(guildId, ids);
}
