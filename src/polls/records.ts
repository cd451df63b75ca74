import {
  beginClose,
  cruxOfPoll,
  finishClose,
  type PollProblem,
  type PollRecord,
  summarize,
} from '../core/polls/model.js';
import { pollProblemReply } from '../core/replies/poll.js';
import type { BaseDeps } from '../jobs/deps.js';
import { tellFacilitators } from '../jobs/facilitators.js';
import { PostError } from '../jobs/poster.js';

/**
 * What opening and closing polls share: keeping the server record's poll list in step with each poll,
 * closing a poll's record, and turning Discord's refusals into a poll's problem.
 */

/** Updates the server record's summary of a poll. */
export async function syncSummary(deps: Pick<BaseDeps, 'state'>, poll: PollRecord): Promise<void> {
  await deps.state.guilds.change(poll.guildId, (record) => {
    const index = record.polls.findIndex((p) => p.id === poll.id);
    const summary = summarize(poll);
    if (index < 0 || JSON.stringify(record.polls[index]) === JSON.stringify(summary))
      return { record, result: undefined };
    return {
      record: { ...record, polls: record.polls.map((p, i) => (i === index ? summary : p)) },
      result: undefined,
    };
  });
}

/** Removes a poll that no longer exists from the server record's list. */
export async function dropSummary(
  deps: Pick<BaseDeps, 'state'>,
  guildId: string,
  pollId: string,
): Promise<void> {
  await deps.state.guilds.change(guildId, (record) =>
    record.polls.some((p) => p.id === pollId)
      ? { record: { ...record, polls: record.polls.filter((p) => p.id !== pollId) }, result: undefined }
      : { record, result: undefined },
  );
}

/** Marks a poll closed, with its results post or the problem that kept it from the channel. */
export async function finishPoll(
  deps: Pick<BaseDeps, 'state' | 'clock'>,
  guildId: string,
  pollId: string,
  resultsMessageId: string | undefined,
  problem: PollProblem | undefined,
): Promise<PollRecord> {
  const closed = await deps.state.polls.change(guildId, pollId, (poll) => {
    const next = finishClose(
      beginClose(poll, deps.clock(), poll.closedBy ?? null),
      resultsMessageId,
      problem,
    );
    return { record: next, result: next };
  });
  if (!closed) throw new Error(`poll ${pollId} vanished while closing`);
  await syncSummary(deps, closed);
  return closed;
}

/** Tells the server's facilitators what kept a poll's result from its channel. */
export async function tellPollProblem(deps: BaseDeps, poll: PollRecord, problem: PollProblem): Promise<void> {
  const record = await deps.state.guilds.read(poll.guildId);
  await tellFacilitators(
    poll.guildId,
    pollProblemReply(poll, cruxOfPoll(deps.corpus, poll), problem, record.facilitatorRoleId),
    deps,
  );
}

/** Runs a Discord call; a refusal becomes the poll's problem instead of an error. */
export async function attempt(call: () => Promise<void>): Promise<PollProblem | undefined> {
  try {
    await call();
    return undefined;
  } catch (error) {
    if (error instanceof PostError) return problemOf(error);
    throw error;
  }
}

/** A refusal from Discord as a poll's problem. */
export function problemOf(error: PostError): PollProblem {
  switch (error.reason) {
    case 'channel-missing':
    case 'bot-removed':
      return 'channel-missing';
    case 'no-permission':
      return 'no-permission';
    case 'message-missing':
      return 'message-missing';
    default:
      return 'rejected';
  }
}
