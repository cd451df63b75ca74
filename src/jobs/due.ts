import { type PollAction, pollActions, pollWakeAt } from '../core/polls/due.js';
import { type DueAction, dueActions, nextWakeAt } from '../core/schedule/plan.js';
import type { GuildRecord } from '../state/index.js';

/**
 * Everything due for one server, from its record: its data to forget after the bot left, its polls, then its
 * reading schedule. One place decides, so the scheduler's work and its wake-ups can never disagree.
 */

/** Something the scheduler should do for a server now. */
export type ServerAction = { readonly kind: 'forget-server' } | PollAction | DueAction;

/** What the rules for a server depend on besides its record. */
export interface DueRules {
  readonly totalSessions: number;
  /** How long a server's data is kept after the bot left it. */
  readonly retentionMs: number;
}

export function serverActions(record: GuildRecord, rules: DueRules, now: Date): ServerAction[] {
  if (record.leftAt !== null)
    return now.getTime() >= record.leftAt + rules.retentionMs ? [{ kind: 'forget-server' }] : [];
  const polls = pollActions(record.polls, now);
  // A weekly poll closes by the next kickoff at the latest, even when that kickoff came earlier than
  // planned (a session moved or brought forward).
  const lastPosted = Math.max(
    0,
    ...Object.entries(record.schedule?.sessions ?? {})
      .filter(([, session]) => session.status === 'posted')
      .map(([number]) => Number(number)),
  );
  const overtaken = record.polls.filter(
    (p) =>
      p.session !== undefined &&
      p.session < lastPosted &&
      p.status === 'open' &&
      !polls.some((a) => a.pollId === p.id),
  );
  return [
    ...polls,
    ...overtaken.map((p): PollAction => ({ kind: 'poll-close', pollId: p.id })),
    ...(record.schedule ? dueActions(record.schedule, rules.totalSessions, now) : []),
  ];
}

/** The next instant anything will be due for the server. */
export function serverWakeAt(record: GuildRecord, rules: DueRules, now: Date): Date | undefined {
  if (record.leftAt !== null) return new Date(record.leftAt + rules.retentionMs);
  const times = [
    pollWakeAt(record.polls),
    record.schedule ? nextWakeAt(record.schedule, rules.totalSessions, now) : undefined,
  ].filter((t): t is Date => t !== undefined);
  // Something already due wakes the server now, never at the past instant it became due.
  return times.length > 0
    ? new Date(Math.max(now.getTime(), Math.min(...times.map((t) => t.getTime()))))
    : undefined;
}
