import { describe, expect, it } from 'vitest';
import type { Crux } from '../../src/core/corpus/types.js';
import { createSchedule, moveSession } from '../../src/core/schedule/plan.js';
import { PostError } from '../../src/jobs/poster.js';
import { forgetMember } from '../../src/state/index.js';
import { first, positionsOf } from '../helpers/context.js';
import { jobHarness, pollRequest } from '../helpers/jobs.js';

/** The poll service with Discord behind a FakePoster: the cases the end-to-end tests cannot force. */
const GUILD = '500000000000000021';
const HOUR = 3_600_000;

async function withPoll(
  style: 'buttons' | 'native',
  options: { hideResults?: boolean; phase?: 'before' | 'after' } = {},
) {
  const h = await jobHarness();
  const crux: Crux = first(
    h.corpus.cruxes.filter((c) => c.positions.length === 2),
    'crux',
  );
  const open = (phase: 'before' | 'after', hideResults = false) =>
    h.deps.polls.open(pollRequest(GUILD, crux, new Date(h.now() + 24 * HOUR), { phase, style, hideResults }));
  const poll = await open(options.phase ?? 'before', options.hideResults);
  if (!poll) throw new Error('poll not opened');
  return {
    ...h,
    crux,
    poll,
    open,
    results: () => h.poster.posts.filter((p) => p.reply.embeds?.[0]?.author?.startsWith('Poll closed')),
  };
}

describe('deleting one’s data', () => {
  it('on an open native poll, the vote Discord still lists is not counted back at the close', async () => {
    const h = await withPoll('native');
    const [a, b] = positionsOf(h.crux, 2);
    await h.deps.polls.nativeVote(h.poll.messageId ?? '', '42', 1, true);
    const forgotten = await forgetMember(h.state, GUILD, '42', 8);
    expect(forgotten).toMatchObject({ answers: 1, nativeStillShown: 1, openPolls: [h.poll.id] });
    // Discord still lists 42 under answer 1, and 43 voted B without the bot hearing of it.
    h.poster.voters.set(
      h.poll.messageId ?? '',
      new Map([
        [1, ['42']],
        [2, ['43']],
      ]),
    );
    await h.deps.polls.close(GUILD, h.poll.id, null);
    const closed = await h.state.polls.get(GUILD, h.poll.id);
    expect(closed?.ballots).toEqual({ 43: expect.objectContaining({ choice: b.id }) });
    expect(a.id).not.toBe(b.id);
  });

  it('voting again after deleting counts the new vote', async () => {
    const h = await withPoll('native');
    await h.deps.polls.nativeVote(h.poll.messageId ?? '', '42', 1, true);
    await forgetMember(h.state, GUILD, '42', 8);
    await h.deps.polls.nativeVote(h.poll.messageId ?? '', '42', 2, true);
    h.poster.voters.set(h.poll.messageId ?? '', new Map([[2, ['42']]]));
    await h.deps.polls.close(GUILD, h.poll.id, null);
    expect(Object.keys((await h.state.polls.get(GUILD, h.poll.id))?.ballots ?? {})).toEqual(['42']);
  });
});

describe('the results post', () => {
  it('is not posted twice when looking for a landed post fails with a server error', async () => {
    const h = await withPoll('buttons');
    // The results post lands, but its answer is lost.
    h.poster.fail('post', new Error('socket hang up'), { landed: true });
    await h.at(h.poll.closesAt).catch(() => undefined);
    expect(h.results()).toHaveLength(1);
    // The retry cannot look: Discord answers 503. It must not post blind.
    h.poster.fail('findPosted', new Error('503 Service Unavailable'));
    await h.at(h.poll.closesAt + 5 * 60_000);
    expect(h.results()).toHaveLength(1);
    await h.at(h.poll.closesAt + 10 * 60_000);
    expect(h.results()).toHaveLength(1);
    expect((await h.state.polls.get(GUILD, h.poll.id))?.status).toBe('closed');
  });

  it('of an "after" poll whose results were hidden shows its own answers in the movement', async () => {
    const h = await withPoll('buttons', { phase: 'before' });
    const [a, b] = positionsOf(h.crux, 2);
    await h.deps.polls.vote(GUILD, h.poll.id, '1', a.id);
    await h.deps.polls.close(GUILD, h.poll.id, '9');
    const after = await h.open('after', true);
    await h.deps.polls.vote(GUILD, after?.id ?? '', '1', b.id);
    await h.deps.polls.close(GUILD, after?.id ?? '', '9');
    const posted = first(h.results().slice(-1), 'results');
    expect(posted.reply.embeds?.[0]?.description).toContain(
      'Of the 1 member who answered before and after, 1 changed position.',
    );
    expect(posted.reply.files?.[0]?.description).toContain(`B. ${b.label}: Before 0%, After 100%`);
  });
});

describe('polls and the reading schedule', () => {
  it('a weekly poll closes at the next kickoff when that session was moved earlier', async () => {
    const h = await jobHarness();
    const schedule = createSchedule(
      { channelId: '1', weekday: 2, time: '19:00', zone: 'UTC', reminderMinutes: null },
      8,
      new Date(h.now()),
    );
    await h.state.guilds.change(GUILD, (record) => ({ record: { ...record, schedule }, result: undefined }));
    const session1 = Date.parse('2027-01-05T19:00:00Z');
    await h.at(session1);
    const [poll] = (await h.state.guilds.read(GUILD)).polls;
    expect(poll?.closesAt).toBe(session1 + 7 * 24 * HOUR - HOUR);
    // Session 2 moves three days earlier than planned.
    await h.state.guilds.change(GUILD, (record) => ({
      record: record.schedule
        ? { ...record, schedule: moveSession(record.schedule, 2, '2027-01-09', 8, new Date(session1 + HOUR)) }
        : record,
      result: undefined,
    }));
    await h.at(Date.parse('2027-01-09T19:00:00Z'));
    const polls = (await h.state.guilds.read(GUILD)).polls;
    expect(polls.map((p) => [p.session, p.status])).toEqual([
      [1, 'closed'],
      [2, 'open'],
    ]);
  });
});

describe('a crash while opening a poll', () => {
  it.each(['buttons', 'native'] as const)(
    'a %s poll that landed is found and recorded, not posted again',
    async (style) => {
      const h = await jobHarness();
      const crux = first(
        h.corpus.cruxes.filter((c) => c.positions.length === 2),
        'crux',
      );
      h.poster.fail('post', new Error('socket hang up'), { landed: true });
      // Unanswered, the opener learns the poll is still on its way, not that it failed.
      const pending = await h.deps.polls.open(
        pollRequest(GUILD, crux, new Date(h.now() + 24 * HOUR), { style }),
      );
      expect(pending?.status).toBe('opening');
      expect((await h.state.guilds.read(GUILD)).polls.map((p) => p.status)).toEqual(['opening']);
      await h.at(h.now() + 3 * 60_000);
      const [summary] = (await h.state.guilds.read(GUILD)).polls;
      expect(summary?.status).toBe('open');
      expect(h.poster.posts).toHaveLength(1);
      expect((await h.state.polls.get(GUILD, summary?.id ?? ''))?.messageId).toBe(h.poster.posts[0]?.id);
    },
  );
});

describe('refusals', () => {
  it('a native poll cannot hide its results', async () => {
    const h = await jobHarness();
    const crux = first(h.corpus.cruxes, 'crux');
    await expect(
      h.deps.polls.open(
        pollRequest(GUILD, crux, new Date(h.now() + HOUR), { style: 'native', hideResults: true }),
      ),
    ).rejects.toThrow('A Discord poll always shows its totals and who voted');
  });

  it('a poll Discord refuses to post is closed with the problem, and nothing is left open', async () => {
    const h = await jobHarness();
    const crux = first(h.corpus.cruxes, 'crux');
    h.poster.fail('post', new PostError('no-permission', 'Missing Permissions'));
    await expect(h.deps.polls.open(pollRequest(GUILD, crux, new Date(h.now() + HOUR)))).rejects.toThrow(
      PostError,
    );
    expect((await h.state.guilds.read(GUILD)).polls.map((p) => p.status)).toEqual(['closed']);
  });
});

describe('a crash while a recovery post is in flight, then an immediate restart', () => {
  it('posts the poll message exactly once', async () => {
    const h = await jobHarness();
    const crux = first(h.corpus.cruxes, 'crux');
    // The first post goes unanswered and never lands: the poll stays opening.
    h.poster.fail('post', new Error('503 Service Unavailable'));
    const poll = await h.deps.polls.open(pollRequest(GUILD, crux, new Date(h.now() + 24 * HOUR)));
    expect(poll?.status).toBe('opening');
    // Recovery posts it again; the process dies with that post still in flight.
    const inFlight = h.poster.holdNextPost();
    void h.at(h.now() + 3 * 60_000);
    await inFlight.sent;
    h.restart();
    // The new process must not judge the fresh claim before it settles: nothing is posted yet.
    await h.at(h.now() + 10_000);
    inFlight.land();
    await h.at(h.now() + 3 * 60_000);
    await h.at(h.now() + 3 * 60_000);
    expect(
      h.poster.posts.filter((p) => p.reply.embeds?.[0]?.author?.startsWith('Position poll')),
    ).toHaveLength(1);
    expect((await h.state.polls.get(GUILD, poll?.id ?? ''))?.status).toBe('open');
  });

  it('posts the results exactly once', async () => {
    const h = await jobHarness();
    const crux = first(h.corpus.cruxes, 'crux');
    const poll = await h.deps.polls.open(pollRequest(GUILD, crux, new Date(h.now() + HOUR)));
    // At the deadline the results post goes unanswered, without landing.
    h.poster.fail('post', new Error('503 Service Unavailable'));
    await h.at(poll?.closesAt ?? 0);
    const results = () =>
      h.poster.posts.filter((p) => p.reply.embeds?.[0]?.author?.startsWith('Poll closed'));
    expect(results()).toHaveLength(0);
    // The retry posts again and the process dies with the post in flight.
    const inFlight = h.poster.holdNextPost();
    void h.at(h.now() + 3 * 60_000);
    await inFlight.sent;
    h.restart();
    await h.at(h.now() + 10_000);
    inFlight.land();
    await h.at(h.now() + 3 * 60_000);
    await h.at(h.now() + 3 * 60_000);
    expect(results()).toHaveLength(1);
    expect((await h.state.polls.get(GUILD, poll?.id ?? ''))?.status).toBe('closed');
  });

  it('a manual close whose results post goes unanswered: the result follows minutes later, not at the deadline', async () => {
    const h = await jobHarness();
    const crux = first(h.corpus.cruxes, 'crux');
    const poll = await h.deps.polls.open(pollRequest(GUILD, crux, new Date(h.now() + 24 * HOUR)));
    h.poster.fail('post', new Error('503 Service Unavailable'));
    const report = await h.deps.polls.close(GUILD, poll?.id ?? '', '9');
    expect(report.kind).toBe('result-pending');
    const results = () =>
      h.poster.posts.filter((p) => p.reply.embeds?.[0]?.author?.startsWith('Poll closed'));
    await h.at(h.now() + 3 * 60_000);
    expect(results()).toHaveLength(1);
  });
});
