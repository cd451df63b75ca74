import type { Crux } from '../corpus/types.js';
import { type Ballot, pollChoices, UNSURE } from './model.js';

/** Counting a poll's ballots, and how far a group agrees. */

/** One choice's count: its share is of all voters, Unsure included. */
export interface ChoiceCount {
  readonly id: string;
  readonly label: string;
  readonly count: number;
  readonly share: number;
  /** Mean credence of those who gave one, or undefined. */
  readonly meanCredence?: number;
}

export interface Tally {
  readonly voters: number;
  /** Voters who chose a position (not Unsure). */
  readonly decided: number;
  /** Every choice in poll order: the positions, then Unsure. */
  readonly choices: readonly ChoiceCount[];
  /**
   * How much the decided voters agree: 1 when all chose one position, 0 for an even split over the
   * positions, null with nobody decided. Defined as (top share − 1/k) / (1 − 1/k) over k positions.
   */
  readonly consensus: number | null;
  /** The position(s) with the most votes, when anyone decided. */
  readonly leading: readonly ChoiceCount[];
}

/** Counts ballots on `crux`. Ballots for choices the crux no longer has are ignored. */
export function tally(crux: Crux, ballots: Iterable<Ballot>): Tally {
  const choices = pollChoices(crux);
  const counts = new Map(choices.map((c) => [c.id, { count: 0, credences: [] as number[] }]));
  for (const ballot of ballots) {
    const entry = counts.get(ballot.choice);
    if (!entry) continue;
    entry.count++;
    if (ballot.credence !== undefined) entry.credences.push(ballot.credence);
  }
  const voters = [...counts.values()].reduce((sum, e) => sum + e.count, 0);
  const counted: ChoiceCount[] = choices.map((c) => {
    const { count, credences } = counts.get(c.id) ?? { count: 0, credences: [] };
    return {
      id: c.id,
      label: c.label,
      count,
      share: voters === 0 ? 0 : count / voters,
      ...(credences.length > 0
        ? { meanCredence: credences.reduce((a, b) => a + b, 0) / credences.length }
        : {}),
    };
  });
  const positions = counted.filter((c) => c.id !== UNSURE);
  const decided = positions.reduce((sum, c) => sum + c.count, 0);
  const top = Math.max(0, ...positions.map((c) => c.count));
  return {
    voters,
    decided,
    choices: counted,
    consensus: decided === 0 ? null : agreement(top / decided, positions.length),
    leading: decided === 0 ? [] : positions.filter((c) => c.count === top),
  };
}

/** (top − 1/k) / (1 − 1/k): 1 for unanimity, 0 for an even split over k positions. */
export function agreement(topShare: number, positions: number): number {
  if (positions < 2) return 1;
  const even = 1 / positions;
  return Math.max(0, (topShare - even) / (1 - even));
}

/** "strong consensus", "leaning", "divided": words for a consensus score. */
export function describeAgreement(consensus: number | null): string {
  if (consensus === null) return 'no positions yet';
  if (consensus >= 0.75) return 'strong consensus';
  if (consensus >= 0.4) return 'leaning one way';
  if (consensus >= 0.15) return 'split';
  return 'evenly divided';
}
