import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Corpus, Crux } from '../../../src/core/corpus/types.js';
import { exportServer, pseudonym } from '../../../src/core/polls/export.js';
import {
  beginClose,
  castVote,
  createPoll,
  PollError,
  type PollRecord,
  reconcileNative,
  recordOpened,
  setCredence,
  UNSURE,
  withoutMember,
} from '../../../src/core/polls/model.js';
import { cruxMap, memberPositions, movement } from '../../../src/core/polls/positions.js';
import { agreement, describeAgreement, tally } from '../../../src/core/polls/tally.js';
import { first, positionsOf, shippedCorpus } from '../../helpers/context.js';

let corpus: Corpus;
let crux: Crux;
let other: Crux;
beforeAll(async () => {
  ({ corpus } = await shippedCorpus());
  crux = first(
    corpus.cruxes.filter((c) => c.positions.length === 2),
    'two-position crux',
  );
  other = first(
    corpus.cruxes.filter((c) => c.id !== crux.id && c.positions.length >= 3),
    'three-position crux',
  );
});

const NOW = new Date('2027-01-05T19:00:00Z');
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

function openPoll(overrides: Partial<Parameters<typeof createPoll>[0]> = {}, on = crux): PollRecord {
  const poll = createPoll(
    {
      id: 'p1',
      guildId: '1',
      channelId: '2',
      crux: on,
      phase: 'before',
      style: 'buttons',
      hideResults: false,
      openedBy: '9',
      closesAt: later(24 * 60),
      ...overrides,
    },
    NOW,
  );
  return recordOpened(poll, 'm1');
}

/** Casts each member's vote in turn. */
function withVotes(poll: PollRecord, votes: Record<string, string>, on = crux): PollRecord {
  let current = poll;
  let minute = 1;
  for (const [userId, choice] of Object.entries(votes))
    current = castVote(current, on, userId, choice, later(minute++)).poll;
  return current;
}

describe('voting', () => {
  it('records a vote, replaces it on a change of mind, and never counts a member twice', () => {
    const [a, b] = positionsOf(crux, 2);
    let poll = openPoll();
    const first = castVote(poll, crux, 'u1', a.id, later(1));
    expect(first.outcome).toMatchObject({ kind: 'recorded', ballot: { choice: a.id } });
    expect(first.outcome).not.toHaveProperty('previous');
    poll = setCredence(first.poll, 'u1', 70, later(2)).poll;
    const change = castVote(poll, crux, 'u1', b.id, later(3));
    expect(change.outcome).toMatchObject({ kind: 'recorded', previous: { choice: a.id, credence: 70 } });
    expect(Object.keys(change.poll.ballots)).toEqual(['u1']);
    expect(tally(crux, Object.values(change.poll.ballots)).voters).toBe(1);
    // A new position starts without a credence; the same one keeps it.
    expect(change.poll.ballots.u1?.credence).toBeUndefined();
    const again = castVote(setCredence(change.poll, 'u1', 40, later(4)).poll, crux, 'u1', b.id, later(5));
    expect(again.poll.ballots.u1?.credence).toBe(40);
  });

  it('retracts, and says when there was nothing to retract', () => {
    const poll = withVotes(openPoll(), { u1: UNSURE });
    const retracted = castVote(poll, crux, 'u1', null, later(9));
    expect(retracted.outcome).toMatchObject({ kind: 'retracted', previous: { choice: UNSURE } });
    expect(retracted.poll.ballots).toEqual({});
    expect(castVote(retracted.poll, crux, 'u1', null, later(10)).outcome.kind).toBe('nothing-to-retract');
  });

  it('refuses votes once closing, unknown choices, credence off the steps, and credence before a position', () => {
    const closing = beginClose(openPoll(), later(5), null);
    expect(castVote(closing, crux, 'u1', UNSURE, later(6)).outcome.kind).toBe('closed');
    expect(() => castVote(openPoll(), crux, 'u1', 'nope', later(1))).toThrow(PollError);
    const voted = withVotes(openPoll(), { u1: UNSURE });
    expect(() => setCredence(voted, 'u1', 35, later(2))).toThrow('steps of 10');
    expect(() => setCredence(openPoll(), 'u2', 50, later(2))).toThrow('Pick a position first');
  });

  it('keeps poll lengths within what Discord allows native polls', () => {
    expect(() => openPoll({ closesAt: later(30) })).toThrow('1 to 768 hours');
    expect(() => openPoll({ closesAt: later(769 * 60) })).toThrow('1 to 768 hours');
  });

  it('takes a native poll’s final voters from Discord, keeping when each member first voted', () => {
    const [a, b] = positionsOf(crux, 2);
    const poll = withVotes(openPoll({ style: 'native' }), { u1: a.id, u2: a.id });
    const reconciled = reconcileNative(
      poll,
      crux,
      new Map([
        [1, ['u1']],
        [2, ['u2', 'u3']],
        [99, ['u4']],
      ]),
      later(60),
    );
    expect(Object.keys(reconciled.ballots).sort()).toEqual(['u1', 'u2', 'u3']);
    expect(reconciled.ballots.u1).toEqual(poll.ballots.u1);
    expect(reconciled.ballots.u2).toEqual({ choice: b.id, at: later(60).getTime() });
  });

  it('forgets one member on request', () => {
    const poll = withVotes(openPoll(), { u1: UNSURE, u2: UNSURE });
    expect(Object.keys(withoutMember(poll, 'u1').ballots)).toEqual(['u2']);
  });
});

describe('tallies and agreement', () => {
  it('counts each choice, shares of all voters, and consensus among the decided', () => {
    const [a, b] = positionsOf(crux, 2);
    const poll = withVotes(openPoll(), { u1: a.id, u2: a.id, u3: a.id, u4: b.id, u5: UNSURE });
    const result = tally(crux, Object.values(poll.ballots));
    expect(result.voters).toBe(5);
    expect(result.decided).toBe(4);
    expect(result.choices.map((c) => [c.id, c.count])).toEqual([
      [a.id, 3],
      [b.id, 1],
      [UNSURE, 1],
    ]);
    expect(result.choices[0]?.share).toBeCloseTo(0.6);
    // Two positions, 3 of 4 decided on one: (0.75 − 0.5) / 0.5.
    expect(result.consensus).toBeCloseTo(0.5);
    expect(result.leading.map((c) => c.id)).toEqual([a.id]);
  });

  it.each([
    [1, 2, 1],
    [0.5, 2, 0],
    [1 / 3, 3, 0],
    [0.6, 3, 0.4],
    [0.2, 3, 0],
  ])('agreement(top share %f, %i positions) = %f', (top, k, expected) => {
    expect(agreement(top, k)).toBeCloseTo(expected);
  });

  it('has no consensus with nobody decided, and words for each band', () => {
    const poll = withVotes(openPoll(), { u1: UNSURE });
    expect(tally(crux, Object.values(poll.ballots)).consensus).toBeNull();
    expect([null, 0.9, 0.5, 0.2, 0].map(describeAgreement)).toEqual([
      'no positions yet',
      'strong consensus',
      'leaning one way',
      'split',
      'evenly divided',
    ]);
  });

  it('averages the credence of those who gave one', () => {
    const [a] = positionsOf(crux, 2);
    let poll = withVotes(openPoll(), { u1: a.id, u2: a.id, u3: a.id });
    poll = setCredence(poll, 'u1', 60, later(10)).poll;
    poll = setCredence(poll, 'u2', 90, later(11)).poll;
    expect(tally(crux, Object.values(poll.ballots)).choices[0]?.meanCredence).toBe(75);
  });
});

describe('positions over time', () => {
  function beforeAndAfter(): PollRecord[] {
    const [a, b] = positionsOf(crux, 2);
    const before = withVotes(openPoll({ id: 'b' }), { u1: a.id, u2: a.id, u3: b.id, u4: UNSURE });
    const after = withVotes(openPoll({ id: 'a', phase: 'after' }), {
      u1: b.id,
      u2: a.id,
      u3: b.id,
      u5: b.id,
    });
    return [before, after];
  }

  it('shows a member their own answers before and after, and whether they moved', () => {
    const [a, b] = positionsOf(crux, 2);
    const mine = memberPositions(corpus, beforeAndAfter(), 'u1');
    expect(mine).toEqual([
      {
        crux,
        before: expect.objectContaining({ choice: a.id }),
        after: expect.objectContaining({ choice: b.id }),
        moved: true,
      },
    ]);
    expect(memberPositions(corpus, beforeAndAfter(), 'u4')[0]).not.toHaveProperty('moved');
    expect(memberPositions(corpus, beforeAndAfter(), 'nobody')).toEqual([]);
  });

  it('measures the group’s movement: distributions, net change in points, voters, and who changed', () => {
    const [a, b] = positionsOf(crux, 2);
    const moved = movement(crux, beforeAndAfter());
    expect(moved.voters).toBe(5);
    expect(moved.answeredBoth).toBe(3);
    expect(moved.changed).toBe(1);
    // Before: a 2/4, b 1/4, unsure 1/4. After: a 1/4, b 3/4.
    expect(moved.net).toEqual([
      { id: a.id, label: a.label, points: -25 },
      { id: b.id, label: b.label, points: 50 },
      { id: UNSURE, label: 'Unsure', points: -25 },
    ]);
  });

  it('leaves out an open poll whose results are hidden until it closes', () => {
    const [before, after] = beforeAndAfter() as [PollRecord, PollRecord];
    const hidden = { ...after, hideResults: true };
    expect(movement(crux, [before, hidden]).after.voters).toBe(0);
    expect(movement(crux, [before, { ...hidden, status: 'closed' as const }]).after.voters).toBe(4);
    // The member still sees their own answer.
    expect(memberPositions(corpus, [before, hidden], 'u5')[0]?.after).toBeDefined();
  });

  it('orders the crux map from consensus to divided, and lists where members changed', () => {
    const [x, y, z] = positionsOf(other, 3);
    const divided = withVotes(openPoll({ id: 'o' }, other), { u1: x.id, u2: y.id, u3: z.id }, other);
    const map = cruxMap(corpus, [...beforeAndAfter(), divided]);
    expect(map.entries.map((e) => e.crux.id)).toEqual([crux.id, other.id]);
    expect(map.entries[1]?.now.consensus).toBe(0);
    expect(map.mostChanged.map((e) => [e.crux.id, e.changed])).toEqual([[crux.id, 1]]);
  });
});

describe('export', () => {
  const input = (members: 'pseudonyms' | 'ids', polls: PollRecord[]) => ({
    corpus,
    guildId: '1',
    polls,
    progress: { session: 2, sessionsDone: [1], covered: ['s1'] },
    checkIns: new Map([[1, ['u1', 'u2']]]),
    members,
    secret: 'server-secret',
    now: later(100),
  });

  it('writes one CSV row per vote, with stable pseudonyms instead of member ids', () => {
    const [a] = positionsOf(crux, 2);
    const poll = setCredence(withVotes(openPoll(), { u1: a.id, 'u2,"x"': UNSURE }), 'u1', 80, later(5)).poll;
    const files = exportServer(input('pseudonyms', [poll]));
    const rows = parse(files.csv, { columns: true }) as Record<string, string>[];
    expect(files.votes).toBe(2);
    // In the order of each member's latest answer: u1 last said how sure they were.
    expect(rows.map((r) => [r.member, r.choice, r.credence])).toEqual([
      [pseudonym('server-secret', 'u2,"x"'), UNSURE, ''],
      [pseudonym('server-secret', 'u1'), a.id, '80'],
    ]);
    expect(rows[0]?.question).toBe(crux.question);
    expect(files.csv).not.toContain('u1');
    // Stable within a server, different in another.
    expect(pseudonym('server-secret', 'u1')).toBe(pseudonym('server-secret', 'u1'));
    expect(pseudonym('other-secret', 'u1')).not.toBe(pseudonym('server-secret', 'u1'));
  });

  it('leaves out the answers of a poll still hiding its results', () => {
    const [a] = positionsOf(crux, 2);
    const hidden = withVotes(openPoll({ hideResults: true }), { u1: a.id });
    const files = exportServer(input('ids', [hidden]));
    expect(files.votes).toBe(0);
    expect(JSON.parse(files.json).polls[0]).toMatchObject({ resultsHidden: true, totals: [], votes: [] });
    const closed = exportServer(input('ids', [{ ...hidden, status: 'closed' }]));
    expect(closed.votes).toBe(1);
  });

  it('writes JSON with polls, totals, votes and progress, with ids when asked', () => {
    const [a] = positionsOf(crux, 2);
    const poll = withVotes(openPoll(), { u1: a.id });
    const json = JSON.parse(exportServer(input('ids', [poll])).json);
    expect(json.members).toBe('Discord user ids');
    expect(json.progress).toEqual({
      currentSession: 2,
      sessionsDone: [1],
      sectionsCovered: ['s1'],
      checkIns: { 1: ['u1', 'u2'] },
    });
    expect(json.polls[0]).toMatchObject({
      id: 'p1',
      crux: crux.id,
      phase: 'before',
      votes: [{ member: 'u1', choice: a.id }],
    });
    expect(json.polls[0].totals[0]).toEqual({ choice: a.id, label: a.label, votes: 1 });
  });
});
