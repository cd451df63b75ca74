import { z } from 'zod';

/**
 * The one way Crux posts something exactly once: claim → post → record. A claim records that a post is
 * about to be attempted, and is refreshed at every attempt (`at`); it remembers the first (`firstAt`) so a
 * search for a post that landed covers every attempt. After a crash, a claim is judged only once it is
 * settled: no request of the old process can still be landing, so a post not found by then never happened
 * and may be made (under a refreshed claim). Sessions, reminders, notices, poll messages and results posts
 * all use this, so none can be posted twice by a recovery racing an attempt still in flight.
 */

/**
 * How old a claim's latest attempt must be before a missing post is taken to have never happened. After a
 * crash the old process's request can still be landing; no request stays in flight anywhere near this long.
 */
export const CLAIM_SETTLE_MS = 2 * 60_000;

/** How far before the first attempt a search for the post looks, for clocks that disagree a little. */
const SEARCH_MARGIN_MS = 60_000;

export const ClaimSchema = z.object({ firstAt: z.number(), at: z.number() }).readonly();

/** A post about to be attempted: when it was first attempted, and when last. */
export type Claim = z.infer<typeof ClaimSchema>;

/** A claim for an attempt now: a fresh one, or `previous` refreshed. */
export function claimAt(previous: Claim | undefined, now: Date): Claim {
  return { firstAt: previous?.firstAt ?? now.getTime(), at: now.getTime() };
}

/** Whether nothing of the latest attempt can still be landing. */
export function isSettled(claim: Claim, now: Date): boolean {
  return now.getTime() - claim.at >= CLAIM_SETTLE_MS;
}

/** When the latest attempt will be settled. */
export function settlesAt(claim: Claim): Date {
  return new Date(claim.at + CLAIM_SETTLE_MS);
}

/** From when a search for the claimed post looks: just before the first attempt. */
export function searchFrom(claim: Claim): Date {
  return new Date(claim.firstAt - SEARCH_MARGIN_MS);
}
