import type { Corpus, Crux } from '../corpus/types.js';
import type { Ballot, PollPhase, PollRecord } from './model.js';
import { type Tally, tally } from './tally.js';

/**
 * Positions over time: each member's latest answer per crux and phase across every poll on it, how the group
 * moved between before and after, and the crux map. Only polls whose results may be shown count toward the
 * group's figures (an open poll with hidden results does not); a member always sees their own answers.
 */

/** Whether a poll's votes may be shown as totals now. */
export function resultsVisible(poll: PollRecord): boolean {
  return poll.status === 'closed' || !poll.hideResults;
}

/** Each member's latest ballot on `cruxId` in `phase`, across the polls given. */
export function latestBallots(
  polls: readonly PollRecord[],
  cruxId: string,
  phase?: PollPhase,
): Map<string, Ballot> {
  const latest = new Map<string, Ballot>();
  for (const poll of polls) {
    if (poll.cruxId !== cruxId || (phase && poll.phase !== phase)) continue;
    for (const [userId, ballot] of Object.entries(poll.ballots)) {
      const known = latest.get(userId);
      if (!known || ballot.at >= known.at) latest.set(userId, ballot);
    }
  }
  return latest;
}

/** A member's answers on one crux. `moved` compares before with after when both exist. */
export interface MemberPosition {
  readonly crux: Crux;
  readonly before?: Ballot;
  readonly after?: Ballot;
  readonly moved?: boolean;
}

/** Every crux a member answered, in reading order. */
export function memberPositions(
  corpus: Corpus,
  polls: readonly PollRecord[],
  userId: string,
): MemberPosition[] {
  return corpus.cruxes.flatMap((crux) => {
    const before = latestBallots(polls, crux.id, 'before').get(userId);
    const after = latestBallots(polls, crux.id, 'after').get(userId);
    if (!before && !after) return [];
    return [
      {
        crux,
        ...(before ? { before } : {}),
        ...(after ? { after } : {}),
        ...(before && after ? { moved: before.choice !== after.choice } : {}),
      },
    ];
  });
}

/** How the group's answers on a crux moved from before to after. */
export interface Movement {
  readonly crux: Crux;
  readonly before: Tally;
  readonly after: Tally;
  /** Distinct members who answered in either phase. */
  readonly voters: number;
  /** Members who answered in both phases, and how many of them changed position. */
  readonly answeredBoth: number;
  readonly changed: number;
  /** Per choice: after share minus before share, in percentage points. */
  readonly net: readonly { readonly id: string; readonly label: string; readonly points: number }[];
}

export function movement(crux: Crux, polls: readonly PollRecord[]): Movement {
  const shown = polls.filter(resultsVisible);
  const before = latestBallots(shown, crux.id, 'before');
  const after = latestBallots(shown, crux.id, 'after');
  const beforeTally = tally(crux, before.values());
  const afterTally = tally(crux, after.values());
  let answeredBoth = 0;
  let changed = 0;
  for (const [userId, ballot] of after) {
    const earlier = before.get(userId);
    if (!earlier) continue;
    answeredBoth++;
    if (earlier.choice !== ballot.choice) changed++;
  }
  return {
    crux,
    before: beforeTally,
    after: afterTally,
    voters: new Set([...before.keys(), ...after.keys()]).size,
    answeredBoth,
    changed,
    net: afterTally.choices.map((c, i) => ({
      id: c.id,
      label: c.label,
      points: Math.round((c.share - (beforeTally.choices[i]?.share ?? 0)) * 100),
    })),
  };
}

/** One crux on the map: where the group stands now (each member's latest answer in either phase). */
export interface MapEntry {
  readonly crux: Crux;
  readonly now: Tally;
  readonly changed: number;
  readonly answeredBoth: number;
}

/**
 * The group's crux map: every crux with answers, from the most agreed (consensus) to the most divided,
 * and separately the cruxes where the most members changed position between before and after.
 */
export function cruxMap(
  corpus: Corpus,
  polls: readonly PollRecord[],
): { readonly entries: readonly MapEntry[]; readonly mostChanged: readonly MapEntry[] } {
  const shown = polls.filter(resultsVisible);
  const entries = corpus.cruxes.flatMap((crux): MapEntry[] => {
    const now = tally(crux, latestBallots(shown, crux.id).values());
    if (now.voters === 0) return [];
    const { changed, answeredBoth } = movement(crux, shown);
    return [{ crux, now, changed, answeredBoth }];
  });
  const ordered = [...entries].sort(
    (a, b) => (b.now.consensus ?? -1) - (a.now.consensus ?? -1) || b.now.voters - a.now.voters,
  );
  const mostChanged = entries
    .filter((e) => e.changed > 0)
    .sort((a, b) => b.changed - a.changed || b.answeredBoth - a.answeredBoth)
    .slice(0, 5);
  return { entries: ordered, mostChanged };
}
