import type { PollSummary } from './model.js';

/** What is due for a server's polls, from the wake times their summaries carry (see `pollWakeTime`). */

export type PollAction =
  /** A poll whose message was being posted when the bot stopped: find it, or post it. */
  | { readonly kind: 'poll-recover'; readonly pollId: string }
  /** A poll past its deadline, or whose close was begun and not finished. */
  | { readonly kind: 'poll-close'; readonly pollId: string };

export function pollActions(polls: readonly PollSummary[], now: Date): PollAction[] {
  return polls.flatMap((poll): PollAction[] => {
    if (poll.wakeAt === null || poll.wakeAt > now.getTime()) return [];
    return [{ kind: poll.status === 'opening' ? 'poll-recover' : 'poll-close', pollId: poll.id }];
  });
}

/** The next instant a poll needs the scheduler. */
export function pollWakeAt(polls: readonly PollSummary[]): Date | undefined {
  const times = polls.flatMap((poll) => (poll.wakeAt === null ? [] : [poll.wakeAt]));
  return times.length > 0 ? new Date(Math.min(...times)) : undefined;
}
