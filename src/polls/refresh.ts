import { cruxOfPoll } from '../core/polls/model.js';
import { tally } from '../core/polls/tally.js';
import { pollMessage } from '../core/replies/poll.js';
import type { BaseDeps } from '../jobs/deps.js';

/** How long after the last vote the poll message's totals are refreshed: votes in a burst share one edit. */
const REFRESH_DELAY_MS = 1500;

/**
 * Keeps the totals on button polls' messages current: one edit per burst of votes, after a short pause,
 * never one after the poll's close (a pending refresh is dropped and one under way awaited first).
 */
export class TotalsRefresher {
  readonly #deps: BaseDeps;
  readonly #pending = new Map<string, NodeJS.Timeout>();
  readonly #running = new Map<string, Promise<void>>();

  constructor(deps: BaseDeps) {
    this.#deps = deps;
  }

  /** Refreshes a poll's totals once votes pause for a moment. */
  soon(guildId: string, pollId: string): void {
    const key = `${guildId}:${pollId}`;
    if (this.#pending.has(key)) return;
    const timer = setTimeout(() => {
      this.#pending.delete(key);
      const running = this.#refresh(guildId, pollId).finally(() => this.#running.delete(key));
      this.#running.set(key, running);
    }, REFRESH_DELAY_MS);
    timer.unref();
    this.#pending.set(key, timer);
  }

  /** Drops a pending refresh of a poll and waits for one under way, so it cannot land after the close. */
  async quiet(guildId: string, pollId: string): Promise<void> {
    const key = `${guildId}:${pollId}`;
    clearTimeout(this.#pending.get(key));
    this.#pending.delete(key);
    await this.#running.get(key);
  }

  /** Runs pending refreshes now and waits for them (the playground, tests). */
  async settle(): Promise<void> {
    for (const [key, timer] of this.#pending) {
      clearTimeout(timer);
      this.#pending.delete(key);
      const [guildId, pollId] = key.split(':');
      if (guildId && pollId) await this.#refresh(guildId, pollId);
    }
    await Promise.all(this.#running.values());
  }

  /** Stops refreshing (shutdown). */
  stop(): void {
    for (const timer of this.#pending.values()) clearTimeout(timer);
    this.#pending.clear();
  }

  async #refresh(guildId: string, pollId: string): Promise<void> {
    const { state, poster, logger, corpus } = this.#deps;
    try {
      const poll = await state.polls.get(guildId, pollId);
      if (poll?.status !== 'open' || poll.style !== 'buttons' || !poll.messageId) return;
      const crux = cruxOfPoll(corpus, poll);
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
}
