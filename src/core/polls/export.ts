import { createHmac } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import type { Corpus } from '../corpus/types.js';
import { type PollRecord, pollChoices } from './model.js';
import { resultsVisible } from './positions.js';
import { tally } from './tally.js';

/** A server's polls, votes and progress as CSV (one row per vote) and JSON (everything), for /export. */

/** How members appear in an export. */
export type MemberIds = 'pseudonyms' | 'ids';

/**
 * A member's stable pseudonym in one server: an HMAC of their id under the server's own secret, so the same
 * member reads the same in every export of that server, cannot be matched across servers, and cannot be
 * turned back into an id without the secret.
 */
export function pseudonym(secret: string, userId: string): string {
  return `member-${createHmac('sha256', secret).update(userId).digest('hex').slice(0, 12)}`;
}

export interface ExportInput {
  readonly corpus: Corpus;
  readonly guildId: string;
  readonly polls: readonly PollRecord[];
  readonly progress: {
    readonly session: number;
    readonly sessionsDone: readonly number[];
    readonly covered: readonly string[];
  };
  /** Who checked in, per session. */
  readonly checkIns: ReadonlyMap<number, readonly string[]>;
  readonly members: MemberIds;
  readonly secret: string;
  readonly now: Date;
}

export interface ExportFiles {
  readonly csv: string;
  readonly json: string;
  readonly votes: number;
}

const CSV_COLUMNS = [
  'poll_id',
  'crux_id',
  'question',
  'phase',
  'style',
  'poll_status',
  'opened_at',
  'closes_at',
  'closed_at',
  'member',
  'choice',
  'choice_label',
  'credence',
  'voted_at',
] as const;

export function exportServer(input: ExportInput): ExportFiles {
  const who = (userId: string) => (input.members === 'ids' ? userId : pseudonym(input.secret, userId));
  const iso = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString());
  const rows: (string | number)[][] = [];
  const polls = [...input.polls].sort((a, b) => a.createdAt - b.createdAt);
  const jsonPolls = polls.map((poll) => {
    const crux = input.corpus.cruxById.get(poll.cruxId);
    const labels = new Map(crux ? pollChoices(crux).map((c) => [c.id, c.label]) : []);
    // A poll still hiding its results keeps them from facilitators too, until it closes.
    const shown = resultsVisible(poll);
    const ballots = Object.entries(shown ? poll.ballots : {})
      .sort(([, a], [, b]) => a.at - b.at)
      .map(([userId, ballot]) => ({ member: who(userId), ...ballot }));
    for (const ballot of ballots) {
      rows.push([
        poll.id,
        poll.cruxId,
        crux?.question ?? '',
        poll.phase,
        poll.style,
        poll.status,
        iso(poll.createdAt),
        iso(poll.closesAt),
        iso(poll.closedAt),
        ballot.member,
        ballot.choice,
        labels.get(ballot.choice) ?? '',
        ballot.credence ?? '',
        iso(ballot.at),
      ]);
    }
    return {
      id: poll.id,
      crux: poll.cruxId,
      question: crux?.question ?? null,
      phase: poll.phase,
      style: poll.style,
      status: poll.status,
      session: poll.session ?? null,
      openedAt: iso(poll.createdAt),
      closesAt: iso(poll.closesAt),
      closedAt: poll.closedAt === undefined ? null : iso(poll.closedAt),
      resultsHidden: !shown,
      totals:
        crux && shown
          ? tally(crux, Object.values(poll.ballots)).choices.map((c) => ({
              choice: c.id,
              label: c.label,
              votes: c.count,
            }))
          : [],
      votes: ballots.map((b) => ({
        member: b.member,
        choice: b.choice,
        credence: b.credence ?? null,
        at: iso(b.at),
      })),
    };
  });
  const json = {
    server: input.guildId,
    exportedAt: input.now.toISOString(),
    members: input.members === 'ids' ? 'Discord user ids' : 'pseudonyms, stable within this server',
    progress: {
      currentSession: input.progress.session,
      sessionsDone: input.progress.sessionsDone,
      sectionsCovered: input.progress.covered,
      checkIns: Object.fromEntries(
        [...input.checkIns]
          .filter(([, members]) => members.length > 0)
          .map(([session, members]) => [session, members.map(who)]),
      ),
    },
    polls: jsonPolls,
  };
  return {
    csv: stringify(rows, { header: true, columns: [...CSV_COLUMNS] }),
    json: `${JSON.stringify(json, null, 2)}\n`,
    votes: rows.length,
  };
}
