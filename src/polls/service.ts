import {
  castVote,
  createPoll,
  cruxOfPoll,
  type NewPoll,
  newPollId,
  type PollRecord,
  pollChoices,
  recordOpened,
  setCredence,
  summarize,
  type VoteOutcome,
} from '../core/polls/model.js';
import { tally } from '../core/polls/tally.js';
import { pollMessage, pollMessageMarker } from '../core/replies/poll.js';
import type { BaseDeps } from '../jobs/deps.js';
import { PostError } from '../jobs/poster.js';
import type { GuildRecord } from '../state/index.js';
import { type CloseReport, closePoll } from './close.js';
import { dropSummary, finishPoll, problemOf, syncSummary, tellPollProblem } from './records.js';

export type { CloseReport } from './close.js';

/**
 * Position polls: opening (claim → post → record, like a session), votes from buttons and from native poll
 * events, a debounced refresh of the totals on the poll message, and closing (poll-close.ts). Used by the
 * /poll command and by the scheduler, which closes polls at their deadline and opens each session's weekly
 * polls.
 */

/** What opening a poll needs (its id and the time are added here). */
export type OpenRequest = Omit<NewPoll, 'id'>;

/** How long after the last vote the poll message's totals are refreshed: votes in a burst share one edit. */
const REFRESH_DELAY_MS = 1500;
const ID_ATTEMPTS = 5;

/** What commands use of the poll service. */
export type PollService = Pick<Polls, 'open' | 'close' | 'vote' | 'credence' | 'refreshSoon'>;

export class Polls {
  readonly #deps: BaseDeps;
  readonly #refreshes = new Map<string, NodeJS.Timeout>();
  readonly #refreshing = new Map<string, Promise<void>>();

  constructor(deps: BaseDeps) {
    this.#deps = deps;
  }

  /**
   * Opens a poll: records it, lists it in the server's record (with `link` adding anything else to that
   * change; returning null there means someone else already opened this poll), posts its message, and
   * records the message. Throws `PollError` for a bad request and `PostError` when Discord refuses; when
   * Discord does not answer, the poll is returned still 'opening' and appears once recovery has posted it.
   */
  async open(
    request: OpenRequest,
    link?: (record: GuildRecord, poll: PollRecord) => GuildRecord | null,
  ): Promise<PollRecord | undefined> {
    const { state, clock, random } = this.#deps;
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
    return this.#post(created).catch((error: unknown) => {
      if (error instanceof PostError) throw error;
      // Discord did not answer (a 5xx, a timeout): the poll may or may not be in the channel. It stays
      // 'opening', and recovery finds its message or posts it once, so the caller must not open another.
      this.#deps.logger.warn(
        { err: error, guildId: created.guildId, pollId: created.id },
        'poll post unanswered; recovery will finish it',
      );
      return created;
    });
  }

  /** Posts a recorded poll's message and records it; on a refusal the poll is closed with the problem. */
  async #post(poll: PollRecord): Promise<PollRecord> {
    const crux = cruxOfPoll(this.#deps.corpus, poll);
    let messageId: string;
    try {
      messageId = await this.#deps.poster.post(poll.channelId, pollMessage(poll, crux, tally(crux, [])));
    } catch (error) {
      if (error instanceof PostError) {
        await finishPoll(this.#deps, poll.guildId, poll.id, undefined, problemOf(error));
      }
      throw error;
    }
    return this.#recordOpened(poll, messageId);
  }

  async #recordOpened(poll: PollRecord, messageId: string): Promise<PollRecord> {
    const { state } = this.#deps;
    const opened = await state.polls.change(poll.guildId, poll.id, (current) => {
      const next = recordOpened(current, messageId);
      return { record: next, result: next };
    });
    // Indexed once the poll knows its message, so deleting the poll always finds the index too. A vote
    // in between is not lost: the close counts from Discord's own list.
    if (opened?.style === 'native')
      await state.polls.indexMessage(messageId, { guildId: poll.guildId, pollId: poll.id });
    if (opened) await syncSummary(this.#deps, opened);
    return opened ?? poll;
  }

  /**
   * A poll left 'opening' by a crash: its message is looked for in the channel and recorded if found,
   * otherwise posted now (the scheduler asks only once the claim is old enough that nothing is in flight).
   */
  async recoverOpening(guildId: string, pollId: string): Promise<void> {
    const { state, poster, logger } = this.#deps;
    const poll = await state.polls.get(guildId, pollId);
    if (!poll) return dropSummary(this.#deps, guildId, pollId);
    if (poll.status !== 'opening') return syncSummary(this.#deps, poll);
    const found = await poster
      .findPosted(poll.channelId, pollMessageMarker(poll), new Date(poll.createdAt - 60_000))
      .catch((error: unknown) => {
        if (error instanceof PostError) return undefined;
        throw error;
      });
    if (found) {
      logger.info({ guildId, pollId }, 'recovered a poll posted before a crash');
      await this.#recordOpened(poll, found);
      return;
    }
    await this.#post(poll).catch(async (error: unknown) => {
      if (!(error instanceof PostError)) throw error;
      await tellPollProblem(this.#deps, poll, problemOf(error));
    });
  }

  /** A member's vote from a button (or `null` to take it back); the totals on the message follow shortly. */
  async vote(
    guildId: string,
    pollId: string,
    userId: string,
    choice: string | null,
  ): Promise<VoteResult | undefined> {
    const { state, clock } = this.#deps;
    const result = await state.polls.change(guildId, pollId, (poll) => {
      const { poll: next, outcome } = castVote(
        poll,
        cruxOfPoll(this.#deps.corpus, poll),
        userId,
        choice,
        clock(),
      );
      return { record: next, result: { poll: next, outcome } };
    });
    if (result?.outcome.kind === 'recorded' || result?.outcome.kind === 'retracted')
      this.refreshSoon(guildId, pollId);
    return result;
  }

  /** How sure a member is of their answer. */
  async credence(
    guildId: string,
    pollId: string,
    userId: string,
    credence: number,
  ): Promise<VoteResult | undefined> {
    const { state, clock } = this.#deps;
    const result = await state.polls.change(guildId, pollId, (poll) => {
      const { poll: next, outcome } = setCredence(poll, userId, credence, clock());
      return { record: next, result: { poll: next, outcome } };
    });
    if (result?.outcome.kind === 'recorded') this.refreshSoon(guildId, pollId);
    return result;
  }

  /** A vote added or removed on a native poll, from Discord's events (answer ids start at 1). */
  async nativeVote(messageId: string, userId: string, answerId: number, added: boolean): Promise<void> {
    const { state, clock } = this.#deps;
    const ref = await state.polls.byMessage(messageId);
    if (!ref) return;
    await state.polls.change(ref.guildId, ref.pollId, (poll) => {
      const crux = cruxOfPoll(this.#deps.corpus, poll);
      const choice = pollChoices(crux)[answerId - 1]?.id;
      if (!choice || poll.style !== 'native') return { record: poll, result: undefined };
      if (!added && poll.ballots[userId]?.choice !== choice) return { record: poll, result: undefined };
      return { record: castVote(poll, crux, userId, added ? choice : null, clock()).poll, result: undefined };
    });
  }

  /** Refreshes the totals on a button poll's message once votes pause for a moment. */
  refreshSoon(guildId: string, pollId: string): void {
    const key = `${guildId}:${pollId}`;
    if (this.#refreshes.has(key)) return;
    const timer = setTimeout(() => {
      this.#refreshes.delete(key);
      const running = this.#refresh(guildId, pollId).finally(() => this.#refreshing.delete(key));
      this.#refreshing.set(key, running);
    }, REFRESH_DELAY_MS);
    timer.unref();
    this.#refreshes.set(key, timer);
  }

  async #refresh(guildId: string, pollId: string): Promise<void> {
    const { state, poster, logger } = this.#deps;
    try {
      const poll = await state.polls.get(guildId, pollId);
      if (poll?.status !== 'open' || poll.style !== 'buttons' || !poll.messageId) return;
      const crux = cruxOfPoll(this.#deps.corpus, poll);
      await poster.edit(
        poll.channelId,
        poll.messageId,
        pollMessage(poll, crux, tally(crux, Object.values(poll.ballots))),
      );
    } catch (error) {
      // The totals catch up at the next vote or at the close; nothing is lost.
      logger.warn({ err: error, guildId, pollId }, 'could not refresh a poll’s totals');
    }
  }

  /** Runs pending refreshes now and waits for them (the playground, tests). */
  async settle(): Promise<void> {
    for (const [key, timer] of this.#refreshes) {
      clearTimeout(timer);
      this.#refreshes.delete(key);
      const [guildId, pollId] = key.split(':');
      if (guildId && pollId) await this.#refresh(guildId, pollId);
    }
    await Promise.all(this.#refreshing.values());
  }

  /** Drops a pending refresh of a poll and waits for one under way, so it cannot land after the close. */
  async #quiet(guildId: string, pollId: string): Promise<void> {
    const key = `${guildId}:${pollId}`;
    clearTimeout(this.#refreshes.get(key));
    this.#refreshes.delete(key);
    await this.#refreshing.get(key);
  }

  /** Stops refreshing (shutdown). */
  stop(): void {
    for (const timer of this.#refreshes.values()) clearTimeout(timer);
    this.#refreshes.clear();
  }

  /**
   * Closes a poll now (a facilitator) or at its deadline (the scheduler, `closedBy` null): see poll-close.ts.
   * A refresh of its totals still pending or under way is dropped or waited for first, so it cannot land
   * after the final result.
   */
  close(guildId: string, pollId: string, closedBy: string | null): Promise<CloseReport> {
    return closePoll(this.#deps, guildId, pollId, closedBy, () => this.#quiet(guildId, pollId));
  }
}

/** A member's vote and what became of it. */
export interface VoteResult {
  readonly poll: PollRecord;
  readonly outcome: VoteOutcome;
}
