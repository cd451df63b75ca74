import { resultsChart } from '../charts/polls.js';
import type { Crux } from '../core/corpus/types.js';
import {
  beginClose,
  castVote,
  claimResults,
  createPoll,
  finishClose,
  type NewPoll,
  type PollProblem,
  type PollRecord,
  pollChoices,
  reconcileNative,
  recordOpened,
  setCredence,
  summarize,
  type VoteOutcome,
} from '../core/polls/model.js';
import { movement } from '../core/polls/positions.js';
import { tally } from '../core/polls/tally.js';
import {
  pollMessage,
  pollMessageMarker,
  pollProblemReply,
  resultsMarkerId,
  resultsReply,
} from '../core/replies/poll.js';
import { CLAIM_SETTLE_MS } from '../core/schedule/plan.js';
import type { GuildRecord } from '../state/index.js';
import type { BaseDeps } from './deps.js';
import { tellFacilitators } from './facilitators.js';
import { PostError } from './poster.js';

/**
 * Position polls: opening (claim → post → record, like a session), votes from buttons and from native poll
 * events, a debounced refresh of the totals on the poll message, and closing (stop votes → reconcile a
 * native poll with Discord → final message → results post, claimed like a session so a crash never posts
 * it twice). Used by the /poll command and by the scheduler, which closes polls at their deadline and
 * opens each session's weekly polls.
 */

/** What opening a poll needs (its id and the time are added here). */
export type OpenRequest = Omit<NewPoll, 'id'>;

/** How a close went. */
export type CloseReport =
  | { readonly kind: 'closed'; readonly poll: PollRecord; readonly problem?: PollProblem }
  | { readonly kind: 'already-closed'; readonly poll: PollRecord }
  /** Another close is announcing the result right now; look again at `until`. */
  | { readonly kind: 'in-progress'; readonly until: Date }
  | { readonly kind: 'missing' };

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
   * records the message. Throws `PollError` for a bad request and `PostError` when Discord refuses.
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
    return this.#post(created);
  }

  /** Posts a recorded poll's message and records it; on a refusal the poll is closed with the problem. */
  async #post(poll: PollRecord): Promise<PollRecord> {
    const crux = this.#crux(poll);
    let messageId: string;
    try {
      messageId = await this.#deps.poster.post(poll.channelId, pollMessage(poll, crux, tally(crux, [])));
    } catch (error) {
      if (error instanceof PostError) {
        await this.#finish(poll.guildId, poll.id, undefined, problemOf(error));
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
    if (opened) await this.#syncSummary(opened);
    return opened ?? poll;
  }

  /**
   * A poll left 'opening' by a crash: its message is looked for in the channel and recorded if found,
   * otherwise posted now (the scheduler asks only once the claim is old enough that nothing is in flight).
   */
  async recoverOpening(guildId: string, pollId: string): Promise<void> {
    const { state, poster, logger } = this.#deps;
    const poll = await state.polls.get(guildId, pollId);
    if (!poll) return this.#dropSummary(guildId, pollId);
    if (poll.status !== 'opening') return this.#syncSummary(poll);
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
      await this.#tellProblem(poll, problemOf(error));
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
      const { poll: next, outcome } = castVote(poll, this.#crux(poll), userId, choice, clock());
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
      const crux = this.#crux(poll);
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
      const crux = this.#crux(poll);
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
   * Closes a poll: no more votes, a native poll ended and counted from Discord, the message showing the
   * final result, and the results posted once. A deleted message or channel does not stop the close: the
   * poll is closed with the problem recorded and the facilitators are told.
   */
  async close(guildId: string, pollId: string, closedBy: string | null): Promise<CloseReport> {
    const { state, clock } = this.#deps;
    const before = await state.polls.get(guildId, pollId);
    if (!before) {
      await this.#dropSummary(guildId, pollId);
      return { kind: 'missing' };
    }
    if (before.status === 'closed') {
      await this.#syncSummary(before);
      return { kind: 'already-closed', poll: before };
    }
    if (before.status === 'opening') {
      // Never shown to anyone: there is nothing to announce.
      return { kind: 'closed', poll: await this.#finish(guildId, pollId, undefined, 'message-missing') };
    }
    if (!this.#deps.corpus.cruxById.has(before.cruxId)) {
      // The crux left the reading list: its answers are kept and exported, but there is nothing to show.
      this.#deps.logger.warn(
        { guildId, pollId, cruxId: before.cruxId },
        'closing a poll on a crux no longer in the corpus',
      );
      return { kind: 'closed', poll: await this.#finish(guildId, pollId, undefined, 'rejected') };
    }
    await this.#quiet(guildId, pollId);
    const closing = await state.polls.change(guildId, pollId, (poll) => {
      const next = beginClose(poll, clock(), closedBy);
      return { record: next, result: next };
    });
    if (!closing) return { kind: 'missing' };
    await this.#syncSummary(closing);
    let problem: PollProblem | undefined;
    const counted = closing.style === 'native' ? await this.#countNative(closing) : { poll: closing };
    problem = counted.problem;
    const poll = counted.poll;
    const crux = this.#crux(poll);
    const final = tally(crux, Object.values(poll.ballots));
    if (poll.style === 'buttons' && poll.messageId && !problem) {
      problem = await this.#attempt(() =>
        this.#deps.poster.edit(
          poll.channelId,
          poll.messageId ?? '',
          pollMessage({ ...poll, status: 'closed' }, crux, final),
        ),
      );
    }
    if (problem === 'channel-missing' || problem === 'no-permission') {
      const closed = await this.#finish(guildId, pollId, undefined, problem);
      await this.#tellProblem(closed, problem);
      return { kind: 'closed', poll: closed, problem };
    }
    return this.#announce(poll, final, problem);
  }

  /** Posts the results once (claim → post → record), then marks the poll closed. */
  async #announce(
    poll: PollRecord,
    final: ReturnType<typeof tally>,
    problem: PollProblem | undefined,
  ): Promise<CloseReport> {
    const { state, clock, poster } = this.#deps;
    const claim = await state.polls.change(poll.guildId, poll.id, (current) => {
      const fresh = !current.results;
      const next = claimResults(current, clock());
      return { record: next, result: { poll: next, fresh } };
    });
    if (!claim) return { kind: 'missing' };
    const claimedAt = claim.poll.results?.claimedAt ?? clock().getTime();
    let messageId = claim.poll.results?.messageId;
    if (!messageId && !claim.fresh) {
      // A claim from before: its post may have landed, or may still be landing.
      // A refusal means there is nothing to find there; anything else (a 5xx) is retried later, since
      // posting without knowing could post the results twice.
      messageId = await poster
        .findPosted(poll.channelId, resultsMarkerId(poll.id), new Date(claimedAt - 60_000))
        .catch((error: unknown) => {
          if (error instanceof PostError) return undefined;
          throw error;
        });
      if (!messageId && clock().getTime() - claimedAt < CLAIM_SETTLE_MS)
        return { kind: 'in-progress', until: new Date(claimedAt + CLAIM_SETTLE_MS) };
    }
    if (!messageId) {
      const crux = this.#crux(poll);
      // This poll's answers count as shown: it is closing (results hidden until now are revealed here).
      const polls =
        poll.phase === 'after'
          ? (await this.#pollsOn(poll.guildId, crux.id)).map((p) =>
              p.id === poll.id ? { ...poll, status: 'closed' as const } : p,
            )
          : [];
      const moved = poll.phase === 'after' ? movement(crux, polls) : undefined;
      const chart = await resultsChart(crux, final, moved).catch((error: unknown) => {
        this.#deps.logger.warn({ err: error }, 'could not draw a results chart; posting the text alone');
        return undefined;
      });
      try {
        messageId = await poster.post(
          poll.channelId,
          resultsReply({ ...poll, status: 'closed' }, crux, final, chart, moved),
        );
      } catch (error) {
        if (!(error instanceof PostError)) throw error;
        problem = problemOf(error);
      }
    }
    const closed = await this.#finish(poll.guildId, poll.id, messageId, problem);
    if (problem) await this.#tellProblem(closed, problem);
    return { kind: 'closed', poll: closed, ...(problem ? { problem } : {}) };
  }

  /** Ends a native poll on Discord and takes its final voters from there; keeps the recorded ones if it cannot. */
  async #countNative(poll: PollRecord): Promise<{ poll: PollRecord; problem?: PollProblem }> {
    const { poster, state, clock } = this.#deps;
    if (!poll.messageId) return { poll };
    const messageId = poll.messageId;
    const problem = await this.#attempt(async () => {
      await poster.endPoll(poll.channelId, messageId);
      const crux = this.#crux(poll);
      const voters = new Map<number, string[]>();
      for (let answer = 1; answer <= pollChoices(crux).length; answer++)
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
      this.#deps.logger.warn(
        { guildId: poll.guildId, pollId: poll.id },
        'counted a native poll from its vote events only',
      );
      return { poll: counted };
    }
    return { poll: counted, ...(problem ? { problem } : {}) };
  }

  /** Runs a Discord call; a refusal becomes the poll's problem instead of an error. */
  async #attempt(call: () => Promise<void>): Promise<PollProblem | undefined> {
    try {
      await call();
      return undefined;
    } catch (error) {
      if (error instanceof PostError) return problemOf(error);
      throw error;
    }
  }

  async #finish(
    guildId: string,
    pollId: string,
    resultsMessageId: string | undefined,
    problem: PollProblem | undefined,
  ): Promise<PollRecord> {
    const { state, clock } = this.#deps;
    const closed = await state.polls.change(guildId, pollId, (poll) => {
      const next = finishClose(beginClose(poll, clock(), poll.closedBy ?? null), resultsMessageId, problem);
      return { record: next, result: next };
    });
    if (!closed) throw new Error(`poll ${pollId} vanished while closing`);
    await this.#syncSummary(closed);
    return closed;
  }

  async #tellProblem(poll: PollRecord, problem: PollProblem): Promise<void> {
    const record = await this.#deps.state.guilds.read(poll.guildId);
    await tellFacilitators(
      poll.guildId,
      pollProblemReply(poll, this.#crux(poll), problem, record.facilitatorRoleId),
      this.#deps,
    );
  }

  /** Every poll of the server on one crux. */
  async #pollsOn(guildId: string, cruxId: string): Promise<PollRecord[]> {
    const record = await this.#deps.state.guilds.read(guildId);
    const ids = record.polls.filter((p) => p.cruxId === cruxId).map((p) => p.id);
    return this.#deps.state.polls.getMany(guildId, ids);
  }

  async #syncSummary(poll: PollRecord): Promise<void> {
    await this.#deps.state.guilds.change(poll.guildId, (record) => {
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

  async #dropSummary(guildId: string, pollId: string): Promise<void> {
    await this.#deps.state.guilds.change(guildId, (record) =>
      record.polls.some((p) => p.id === pollId)
        ? { record: { ...record, polls: record.polls.filter((p) => p.id !== pollId) }, result: undefined }
        : { record, result: undefined },
    );
  }

  #crux(poll: PollRecord): Crux {
    const crux = this.#deps.corpus.cruxById.get(poll.cruxId);
    if (!crux) throw new Error(`poll ${poll.id} is on crux ${poll.cruxId}, which the corpus no longer has`);
    return crux;
  }
}

/** A member's vote and what became of it. */
export interface VoteResult {
  readonly poll: PollRecord;
  readonly outcome: VoteOutcome;
}

/** A short id for custom ids and commands: eight base-36 characters. */
function newPollId(random: () => number): string {
  return Math.floor(random() * 36 ** 8)
    .toString(36)
    .padStart(8, '0');
}

function problemOf(error: PostError): PollProblem {
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
