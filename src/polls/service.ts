import {
  castVote,
  choiceOfAnswer,
  cruxOfPoll,
  type PollRecord,
  setCredence,
  type VoteOutcome,
} from '../core/polls/model.js';
import type { BaseDeps } from '../jobs/deps.js';
import type { GuildRecord } from '../state/index.js';
import { type CloseReport, closePoll } from './close.js';
import { type OpenRequest, openPoll, recoverOpening } from './open.js';
import { TotalsRefresher } from './refresh.js';

export type { CloseReport } from './close.js';
export type { OpenRequest } from './open.js';

/**
 * Position polls, as commands and the scheduler use them: opening (open.ts), votes from buttons and from
 * native poll events (here), the totals on a poll's message kept current (refresh.ts), and closing with the
 * results posted once (close.ts).
 */

/** What commands use of the poll service. */
export type PollService = Pick<Polls, 'open' | 'close' | 'vote' | 'credence' | 'refreshSoon'>;

/** A member's vote and what became of it. */
export interface VoteResult {
  readonly poll: PollRecord;
  readonly outcome: VoteOutcome;
}

export class Polls {
  readonly #deps: BaseDeps;
  readonly #totals: TotalsRefresher;

  constructor(deps: BaseDeps) {
    this.#deps = deps;
    this.#totals = new TotalsRefresher(deps);
  }

  /** Opens a poll: see `openPoll`. */
  open(
    request: OpenRequest,
    link?: (record: GuildRecord, poll: PollRecord) => GuildRecord | null,
  ): Promise<PollRecord | undefined> {
    return openPoll(this.#deps, request, link);
  }

  /** Finishes opening a poll a crash or an unanswered post left 'opening': see `recoverOpening`. */
  recoverOpening(guildId: string, pollId: string): Promise<Date | undefined> {
    return recoverOpening(this.#deps, guildId, pollId);
  }

  /** A member's vote from a button (or `null` to take it back); the totals on the message follow shortly. */
  async vote(
    guildId: string,
    pollId: string,
    userId: string,
    choice: string | null,
  ): Promise<VoteResult | undefined> {
    const { state, clock, corpus } = this.#deps;
    const result = await state.polls.change(guildId, pollId, (poll) => {
      const { poll: next, outcome } = castVote(poll, cruxOfPoll(corpus, poll), userId, choice, clock());
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

  /** A vote added or removed on a native poll, from Discord's events (by Discord's answer id). */
  async nativeVote(messageId: string, userId: string, answerId: number, added: boolean): Promise<void> {
    const { state, clock, corpus } = this.#deps;
    const ref = await state.polls.byMessage(messageId);
    if (!ref) return;
    await state.polls.change(ref.guildId, ref.pollId, (poll) => {
      const crux = cruxOfPoll(corpus, poll);
      const choice = choiceOfAnswer(poll, crux, answerId);
      if (!choice || poll.style !== 'native') return { record: poll, result: undefined };
      if (!added && poll.ballots[userId]?.choice !== choice) return { record: poll, result: undefined };
      return { record: castVote(poll, crux, userId, added ? choice : null, clock()).poll, result: undefined };
    });
  }

  /** Refreshes the totals on a button poll's message once votes pause for a moment. */
  refreshSoon(guildId: string, pollId: string): void {
    this.#totals.soon(guildId, pollId);
  }

  /** Runs pending refreshes now and waits for them (the playground, tests). */
  settle(): Promise<void> {
    return this.#totals.settle();
  }

  /** Stops refreshing (shutdown). */
  stop(): void {
    this.#totals.stop();
  }

  /**
   * Closes a poll now (a facilitator) or at its deadline (the scheduler, `closedBy` null): see close.ts. A
   * refresh of its totals still pending or under way is dropped or waited for first, so it cannot land
   * after the final result.
   */
  close(guildId: string, pollId: string, closedBy: string | null): Promise<CloseReport> {
    return closePoll(this.#deps, guildId, pollId, closedBy, () => this.#totals.quiet(guildId, pollId));
  }
}
