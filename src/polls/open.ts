import { isSettled, searchFrom, settlesAt } from '../core/claims.js';
import {
  claimOpening,
  createPoll,
  cruxOfPoll,
  type NewPoll,
  newPollId,
  type PollRecord,
  recordOpened,
  summarize,
} from '../core/polls/model.js';
import { tally } from '../core/polls/tally.js';
import { pollMessage, pollMessageMarker } from '../core/replies/poll.js';
import type { BaseDeps } from '../jobs/deps.js';
import { PostError, type Posted } from '../jobs/poster.js';
import type { GuildRecord } from '../state/index.js';
import { dropSummary, finishPoll, problemOf, syncSummary, tellPollProblem } from './records.js';

/**
 * Opening a poll: recorded first, listed in its server's record, then posted and its message recorded
 * (claim → post → record, like a session), so a crash between them is recovered by finding the message,
 * never by posting it twice.
 */

/** What opening a poll needs (its id and the time are added here). */
export type OpenRequest = Omit<NewPoll, 'id'>;

const ID_ATTEMPTS = 5;

/**
 * Opens a poll: records it, lists it in the server's record (with `link` adding anything else to that
 * change; returning null there means someone else already opened this poll), posts its message, and
 * records the message. Throws `PollError` for a bad request and `PostError` when Discord refuses; when
 * Discord does not answer, the poll is returned still 'opening' and appears once recovery has posted it.
 */
export async function openPoll(
  deps: BaseDeps,
  request: OpenRequest,
  link?: (record: GuildRecord, poll: PollRecord) => GuildRecord | null,
): Promise<PollRecord | undefined> {
  const { state, clock, random } = deps;
  let poll: PollRecord | undefined;
  for (let attempt = 0; attempt < ID_ATTEMPTS && !poll; attempt++) {
    const candidate = createPoll({ ...request, id: newPollId(random) }, clock());
    if (await state.polls.create(candidate)) poll = candidate;
  }
  if (!poll) throw new Error('could not find a free poll id');
  const created = poll;
  // Unlisted, a poll would never close or be deleted with the server's data: remove it if listing fails.
  const listed = await state.guilds
    .change(request.guildId, (record) => {
      const linked = link ? link(record, created) : record;
      if (!linked) return { record, result: false };
      return { record: { ...linked, polls: [...linked.polls, summarize(created)] }, result: true };
    })
    .catch(async (error: unknown) => {
      await state.polls.delete(created.guildId, created.id);
      throw error;
    });
  if (!listed) {
    await state.polls.delete(created.guildId, created.id);
    return undefined;
  }
  return post(deps, created).catch((error: unknown) => {
    if (error instanceof PostError) throw error;
    // Discord did not answer (a 5xx, a timeout): the poll may or may not be in the channel. It stays
    // 'opening', and recovery finds its message or posts it once, so the caller must not open another.
    deps.logger.warn(
      { err: error, guildId: created.guildId, pollId: created.id },
      'poll post unanswered; recovery will finish it',
    );
    return created;
  });
}

/** Posts a recorded poll's message and records it; on a refusal the poll is closed with the problem. */
async function post(deps: BaseDeps, poll: PollRecord): Promise<PollRecord> {
  const crux = cruxOfPoll(deps.corpus, poll);
  let posted: Posted;
  try {
    posted = await deps.poster.post(poll.channelId, pollMessage(poll, crux, tally(crux, [])));
    deps.metrics?.posted('poll');
  } catch (error) {
    if (error instanceof PostError) {
      await finishPoll(deps, poll.guildId, poll.id, undefined, problemOf(error));
    }
    throw error;
  }
  return recordMessage(deps, poll, posted);
}

async function recordMessage(deps: BaseDeps, poll: PollRecord, posted: Posted): Promise<PollRecord> {
  const { state } = deps;
  const messageId = posted.id;
  const opened = await state.polls.change(poll.guildId, poll.id, (current) => {
    const next = recordOpened(current, messageId, posted.pollAnswerIds);
    return { record: next, result: next };
  });
  // Indexed once the poll knows its message, so deleting the poll always finds the index too. A vote
  // in between is not lost: the close counts from Discord's own list.
  if (opened?.style === 'native')
    await state.polls.indexMessage(messageId, { guildId: poll.guildId, pollId: poll.id });
  if (opened) await syncSummary(deps, opened);
  return opened ?? poll;
}

/**
 * A poll left 'opening' by a crash or an unanswered post. Once its claim is settled (no request of an
 * earlier attempt can still be landing), its message is looked for in the channel and recorded if found,
 * otherwise posted again under a refreshed claim, so a crash during this attempt is judged the same way.
 * Returns when to look again while the claim is too young to judge.
 */
export async function recoverOpening(
  deps: BaseDeps,
  guildId: string,
  pollId: string,
): Promise<Date | undefined> {
  const { state, poster, logger, clock } = deps;
  const poll = await state.polls.get(guildId, pollId);
  if (!poll) return void (await dropSummary(deps, guildId, pollId));
  if (poll.status !== 'opening') return void (await syncSummary(deps, poll));
  const claim = poll.claim ?? { firstAt: poll.createdAt, at: poll.createdAt };
  if (!isSettled(claim, clock())) return settlesAt(claim);
  let found: Posted | undefined;
  try {
    found = await poster.findPosted(poll.channelId, pollMessageMarker(poll), searchFrom(claim));
  } catch (error) {
    if (!(error instanceof PostError)) throw error;
    // It cannot tell whether the message landed (the channel is gone, or its history cannot be read):
    // posting again could show the poll twice, so the poll ends here and the facilitators are told.
    const problem = problemOf(error);
    const closed = await finishPoll(deps, guildId, pollId, undefined, problem);
    await tellPollProblem(deps, closed, problem);
    return undefined;
  }
  if (found) {
    logger.info({ guildId, pollId }, 'recovered a poll posted before a crash');
    await recordMessage(deps, poll, found);
    return undefined;
  }
  const reclaimed = await state.polls.change(guildId, pollId, (current) => {
    const next = claimOpening(current, clock());
    return { record: next, result: next };
  });
  if (reclaimed?.status !== 'opening') return undefined;
  await syncSummary(deps, reclaimed);
  await post(deps, reclaimed).catch(async (error: unknown) => {
    if (!(error instanceof PostError)) throw error;
    await tellPollProblem(deps, reclaimed, problemOf(error));
  });
  return undefined;
}
