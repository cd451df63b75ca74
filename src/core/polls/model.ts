import { claimAt } from '../claims.js';
import type { Corpus, Crux } from '../corpus/types.js';
import { UserError } from '../errors.js';
import {
  type Ballot,
  type PollPhase,
  type PollProblem,
  type PollRecord,
  type PollStyle,
  type PollSummary,
  pollWakeTime,
} from './schema.js';

export type { Ballot, PollPhase, PollProblem, PollRecord, PollStyle, PollSummary } from './schema.js';

/**
 * A position poll on a crux as plain data, and every change to it as a pure function. Votes live in the
 * poll's own record (one ballot per member), so a change of mind replaces the member's ballot and can never
 * count twice, and closing and voting are ordered by the same per-poll serialization in src/state.
 */

/** The choice for members who have not made up their mind; the others are the crux's position ids. */
export const UNSURE = 'unsure';

/** Credence is a percentage in steps of ten. */
export const CREDENCE_STEPS = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100] as const;

/** The summary a server's record keeps of a poll. */
export function summarize(poll: PollRecord): PollSummary {
  return {
    id: poll.id,
    cruxId: poll.cruxId,
    phase: poll.phase,
    status: poll.status,
    createdAt: poll.createdAt,
    closesAt: poll.closesAt,
    ...(poll.session !== undefined ? { session: poll.session } : {}),
    wakeAt: pollWakeTime(poll),
  };
}

/** A new poll id: eight base-36 characters, short enough for custom ids and for typing. */
export function newPollId(random: () => number): string {
  return Math.floor(random() * 36 ** 8)
    .toString(36)
    .padStart(8, '0');
}

/** Whether text can be a poll id; anything else a member types cannot name a poll. */
export function isPollId(text: string): boolean {
  return /^[0-9a-z]{8}$/u.test(text);
}

/** A poll that cannot be made or changed as asked, with what to do instead. */
export class PollError extends UserError {
  override name = 'PollError';
}

/** Native polls last 1–768 hours (32 days); button polls are held to the same range. */
export const MIN_POLL_HOURS = 1;
export const MAX_POLL_HOURS = 768;
/** Without a schedule, a poll runs a day. */
export const DEFAULT_POLL_HOURS = 24;

/** What opening a poll needs. */
export interface NewPoll {
  readonly id: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly crux: Crux;
  readonly phase: PollPhase;
  readonly style: PollStyle;
  readonly hideResults: boolean;
  readonly openedBy: string | null;
  readonly session?: number;
  readonly closesAt: Date;
}

/** A new poll, recorded before its message is posted. */
export function createPoll(input: NewPoll, now: Date): PollRecord {
  if (input.style === 'native' && input.hideResults) {
    throw new PollError(
      'A Discord poll always shows its totals and who voted, so it cannot hide its results. Leave **style** on buttons to hide them until the close.',
    );
  }
  const hours = (input.closesAt.getTime() - now.getTime()) / 3_600_000;
  if (hours < MIN_POLL_HOURS - 1 / 60 || hours > MAX_POLL_HOURS) {
    throw new PollError(`A poll runs ${MIN_POLL_HOURS} to ${MAX_POLL_HOURS} hours (32 days).`);
  }
  return {
    id: input.id,
    guildId: input.guildId,
    channelId: input.channelId,
    cruxId: input.crux.id,
    phase: input.phase,
    style: input.style,
    hideResults: input.hideResults,
    openedBy: input.openedBy,
    ...(input.session !== undefined ? { session: input.session } : {}),
    createdAt: now.getTime(),
    closesAt: input.closesAt.getTime(),
    status: 'opening',
    claim: claimAt(undefined, now),
    ballots: {},
  };
}

/** The post of an opening poll's message is about to be attempted again: its claim refreshed. */
export function claimOpening(poll: PollRecord, now: Date): PollRecord {
  return poll.status === 'opening' ? { ...poll, claim: claimAt(poll.claim, now) } : poll;
}

/** The crux a poll is on. A poll on a crux the corpus no longer has is a state the caller must handle. */
export function cruxOfPoll(corpus: Corpus, poll: Pick<PollRecord, 'id' | 'cruxId'>): Crux {
  const crux = corpus.cruxById.get(poll.cruxId);
  if (!crux) throw new Error(`poll ${poll.id} is on crux ${poll.cruxId}, which the corpus no longer has`);
  return crux;
}

/** The choices of a poll on `crux`, in order: its positions, then Unsure. */
export function pollChoices(crux: Crux): { readonly id: string; readonly label: string }[] {
  return [...crux.positions.map((p) => ({ id: p.id, label: p.label })), { id: UNSURE, label: 'Unsure' }];
}

/** The poll's message is posted: it takes votes from now on. */
export function recordOpened(
  poll: PollRecord,
  messageId: string,
  answerIds: readonly number[] = [],
): PollRecord {
  if (poll.status !== 'opening') return poll;
  const { claim: _posted, ...rest } = poll;
  return {
    ...rest,
    status: 'open',
    messageId,
    ...(poll.style === 'native' && answerIds.length > 0 ? { answerIds } : {}),
  };
}

/**
 * A native poll's answer ids in the order of its choices: as Discord gave them, or, for a poll recorded
 * before they were kept, 1, 2, 3… (what Discord gave then).
 */
export function nativeAnswerIds(poll: PollRecord, crux: Crux): readonly number[] {
  return poll.answerIds ?? pollChoices(crux).map((_, index) => index + 1);
}

/** The choice a native poll's answer id stands for. */
export function choiceOfAnswer(poll: PollRecord, crux: Crux, answerId: number): string | undefined {
  const index = nativeAnswerIds(poll, crux).indexOf(answerId);
  return index < 0 ? undefined : pollChoices(crux)[index]?.id;
}

/** What happened to a member's vote. */
export type VoteOutcome =
  | { readonly kind: 'recorded'; readonly previous?: Ballot; readonly ballot: Ballot }
  | { readonly kind: 'retracted'; readonly previous: Ballot }
  | { readonly kind: 'nothing-to-retract' }
  | { readonly kind: 'closed' };

/**
 * Records, changes or (with `choice` null) retracts a member's vote. Choosing the same position again keeps
 * the credence they gave; a different position starts without one.
 */
export function castVote(
  poll: PollRecord,
  crux: Crux,
  userId: string,
  choice: string | null,
  now: Date,
): { readonly poll: PollRecord; readonly outcome: VoteOutcome } {
  if (poll.status !== 'open') return { poll, outcome: { kind: 'closed' } };
  const previous = poll.ballots[userId];
  if (choice === null) {
    if (!previous) return { poll, outcome: { kind: 'nothing-to-retract' } };
    const { [userId]: _removed, ...ballots } = poll.ballots;
    return { poll: { ...poll, ballots }, outcome: { kind: 'retracted', previous } };
  }
  if (!pollChoices(crux).some((c) => c.id === choice))
    throw new PollError('That is not one of this poll’s positions.');
  const ballot: Ballot = {
    choice,
    at: now.getTime(),
    ...(previous?.choice === choice && previous.credence !== undefined
      ? { credence: previous.credence }
      : {}),
  };
  // Voting again after deleting one's data is a new answer, to be counted.
  const forgotten = poll.forgotten?.filter((id) => id !== userId);
  return {
    poll: {
      ...poll,
      ballots: { ...poll.ballots, [userId]: ballot },
      ...(forgotten && forgotten.length !== poll.forgotten?.length ? { forgotten } : {}),
    },
    outcome: { kind: 'recorded', ballot, ...(previous ? { previous } : {}) },
  };
}

/** Sets how sure a member is of the position they chose. */
export function setCredence(
  poll: PollRecord,
  userId: string,
  credence: number,
  now: Date,
): { readonly poll: PollRecord; readonly outcome: VoteOutcome } {
  if (poll.status !== 'open') return { poll, outcome: { kind: 'closed' } };
  if (!(CREDENCE_STEPS as readonly number[]).includes(credence))
    throw new PollError('Credence is a percentage in steps of 10.');
  const previous = poll.ballots[userId];
  if (!previous) throw new PollError('Pick a position first, then say how sure you are.');
  const ballot: Ballot = { ...previous, credence, at: now.getTime() };
  return {
    poll: { ...poll, ballots: { ...poll.ballots, [userId]: ballot } },
    outcome: { kind: 'recorded', previous, ballot },
  };
}

/**
 * Replaces the ballots of a native poll with Discord's final voter lists (by answer id, see
 * `nativeAnswerIds`), keeping when each member first voted where it is known.
 */
export function reconcileNative(
  poll: PollRecord,
  crux: Crux,
  votersByAnswer: ReadonlyMap<number, readonly string[]>,
  now: Date,
): PollRecord {
  const forgotten = new Set(poll.forgotten ?? []);
  const ballots: Record<string, Ballot> = {};
  for (const [answerId, voters] of votersByAnswer) {
    const choice = choiceOfAnswer(poll, crux, answerId);
    if (!choice) continue;
    for (const userId of voters) {
      if (forgotten.has(userId)) continue;
      const known = poll.ballots[userId];
      ballots[userId] = { choice, at: known?.choice === choice ? known.at : now.getTime() };
    }
  }
  return { ...poll, ballots };
}

/** Stops taking votes: from here on the result is fixed and announced. */
export function beginClose(poll: PollRecord, now: Date, closedBy: string | null): PollRecord {
  if (poll.status === 'closing' || poll.status === 'closed') return poll;
  return { ...poll, status: 'closing', closedAt: now.getTime(), closedBy };
}

/** The results post is about to be attempted (again): a crash after this is recovered by finding it. */
export function claimResults(poll: PollRecord, now: Date): PollRecord {
  if (poll.results?.messageId) return poll;
  return { ...poll, results: { claim: claimAt(poll.results?.claim, now) } };
}

/** The results post went out (or, with no message id, could not: `problem` says why); the poll is closed. */
export function finishClose(poll: PollRecord, resultsMessageId?: string, problem?: PollProblem): PollRecord {
  return {
    ...poll,
    status: 'closed',
    results: {
      claim: poll.results?.claim ?? { firstAt: poll.closedAt ?? 0, at: poll.closedAt ?? 0 },
      ...(resultsMessageId ? { messageId: resultsMessageId } : {}),
    },
    ...(problem ? { problem } : {}),
  };
}

/**
 * Forgets a member's ballot (a member asking for their data to be deleted). On an open native poll, where
 * Discord keeps listing the vote, the member is also remembered as forgotten, so the count at the close
 * does not bring the vote back.
 */
export function withoutMember(poll: PollRecord, userId: string): PollRecord {
  if (!poll.ballots[userId]) return poll;
  const { [userId]: _removed, ...ballots } = poll.ballots;
  const remember = poll.style === 'native' && poll.status !== 'closed';
  return { ...poll, ballots, ...(remember ? { forgotten: [...(poll.forgotten ?? []), userId] } : {}) };
}
