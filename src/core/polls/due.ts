import { CLAIM_SETTLE_MS } from '../schedule/model.js';
import type { PollSummary } from './model.js';

/** What is due for a server's polls, from the summaries its record keeps. */

export type PollAction =
  /** A poll whose message was being posted when the bot stopped: find it, or post it. */
  | { readonly kind: 'poll-recover'; readonly pollId: string }
  /** A poll past its deadline, or whose close was begun and not finished. */
  | { readonly kind: 'poll-close'; readonly pollId: string };

export function pollActions(polls: readonly PollSummary[], now: Date): PollAction[] {
  const t = now.getTime();
  return polls.flatMap((poll): PollAction[] => {
    if (poll.status === 'closed') return [];
    if (poll.status === 'opening')
      return t >= poll.createdAt + CLAIM_SETTLE_MS ? [{ kind: 'poll-recover', pollId: poll.id }] : [];
    return t >= poll.closesAt || poll.status === 'closing' ? [{ kind: 'poll-close', pollId: poll.id }] : [];
  });
}

/** The next instant a poll needs the scheduler: a claim to settle, or a deadline. */
export function pollWakeAt(polls: readonly PollSummary[]): Date | undefined {
  const times = polls.flatMap((poll) => {
    if (poll.status === 'closed') return [];
    if (poll.status === 'opening') return [poll.createdAt + CLAIM_SETTLE_MS];
    return [poll.closesAt];
  });
  return times.length > 0 ? new Date(Math.min(...times)) : undefined;
}
