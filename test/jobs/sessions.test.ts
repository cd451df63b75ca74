import { describe, expect, it } from 'vitest';
import {
  createSchedule,
  pauseSchedule,
  rescheduleWith,
  resumeSchedule,
  type Schedule,
  upcoming,
} from '../../src/core/schedule/plan.js';
import { PostError } from '../../src/jobs/poster.js';
import { postSession } from '../../src/jobs/posting.js';
import { first, positionsOf, shippedCorpus } from '../helpers/context.js';
import type { FakePoster } from '../helpers/fake-poster.js';
import { jobHarness } from '../helpers/jobs.js';

/**
 * The scheduler's work for one server, with Discord behind a `FakePoster` that keeps what was posted and
 * fails on demand, on a clock moved by hand. Sessions are Tuesdays at 19:00 UTC from 5 January 2027, with
 * no reminders and the default 6-hour grace window.
 */
const GUILD = '500000000000000001';
const CHANNEL = '600000000000000001';
const session = (n: number) => Date.parse('2027-01-05T19:00:00Z') + (n - 1) * 7 * 86_400_000;
const HOUR = 3_600_000;

async function group(adjust: (schedule: Schedule) => Schedule = (s) => s) {
  const harness = await jobHarness();
  const { corpus, state, poster, deps } = harness;
  const schedule = createSchedule(
    { channelId: CHANNEL, weekday: 2, time: '19:00', zone: 'UTC', reminderMinutes: null },
    corpus.sessions.length,
    new Date(harness.now()),
  );
  await state.guilds.change(GUILD, (record) => ({
    record: {
      ...record,
      schedule: adjust({ ...schedule, settings: { ...schedule.settings, polls: 'off' } }),
    },
    result: undefined,
  }));
  return {
    corpus,
    poster,
    state,
    deps,
    set: harness.set,
    /** Changes the server's schedule, as a facilitator's command would. */
    async change(fn: (schedule: Schedule) => Schedule) {
      await state.guilds.change(GUILD, (record) => ({
        record: record.schedule ? { ...record, schedule: fn(record.schedule) } : record,
        result: undefined,
      }));
    },
    at: harness.at,
    async schedule(): Promise<Schedule> {
      const current = (await state.guilds.read(GUILD)).schedule;
      if (!current) throw new Error('no schedule');
      return current;
    },
    kickoffs: () => poster.posts.filter((p) => p.reply.content?.includes('starts now')),
    reminders: () => poster.posts.filter((p) => p.reply.content?.includes('Reminder: session')),
  };
}

describe('posting a session', () => {
  it('claims, posts, records and opens the thread, once', async () => {
    const g = await group();
    await g.at(session(1));
    await g.at(session(1) + 60_000);
    expect(g.kickoffs()).toHaveLength(1);
    const record = (await g.schedule()).sessions[1];
    expect(record).toMatchObject({
      status: 'posted',
      messageId: g.kickoffs()[0]?.id,
      threadId: g.kickoffs()[0]?.id,
    });
    expect(g.poster.threads).toHaveLength(1);
    expect((await g.state.guilds.read(GUILD)).progress.session).toBe(1);
    // The record's change left the wake-up for session 2.
    const wakeUps = await g.state.wakeUps.due(new Date(session(2)));
    expect(wakeUps.some((w) => w.guildId === GUILD && w.at === session(2))).toBe(true);
  });

  it('after an answer lost once Discord took the post, recovery adopts the post instead of posting again', async () => {
    const g = await group();
    g.poster.fail('post', new Error('socket hang up'), { landed: true });
    await g.at(session(1));
    expect((await g.schedule()).sessions[1]?.status).toBe('claimed');
    // Woken once the claim has settled, it finds the post and records it.
    await g.at(session(1) + 2 * 60_000);
    expect(g.kickoffs()).toHaveLength(1);
    expect((await g.schedule()).sessions[1]).toMatchObject({
      status: 'posted',
      messageId: g.kickoffs()[0]?.id,
    });
  });

  it('a post that never landed is made once the claim has settled, with the excerpt and crux chosen at the claim', async () => {
    const g = await group();
    g.poster.fail('post', new Error('500 Internal Server Error'));
    await g.at(session(1));
    const claim = (await g.schedule()).sessions[1];
    expect(claim?.status).toBe('claimed');
    // Too soon to tell a lost post from one still landing: nothing is posted.
    await g.at(session(1) + 60_000);
    expect(g.kickoffs()).toHaveLength(0);
    await g.at(session(1) + 3 * 60_000);
    expect(g.kickoffs()).toHaveLength(1);
    expect((await g.schedule()).sessions[1]).toMatchObject({
      status: 'posted',
      excerptId: claim?.excerptId,
      cruxId: claim?.cruxId,
    });
  });

  it('a claim found unposted beyond the grace window is reported missed, not posted late', async () => {
    const g = await group();
    g.poster.fail('post', new Error('500 Internal Server Error'));
    await g.at(session(1));
    await g.at(session(1) + 7 * HOUR);
    expect(g.kickoffs()).toHaveLength(0);
    expect(g.poster.postsWith('I could not post session 1')).toHaveLength(1);
    const schedule = await g.schedule();
    expect(schedule.sessions[1]?.status).toBe('missed');
    expect(schedule.next).toBe(2);
    expect(schedule.notices).toEqual([]);
  });
});

describe('when Discord refuses', () => {
  it('pauses, releases the claim, tells the facilitators once, and tries nothing more', async () => {
    const g = await group();
    g.poster.fail('post', new PostError('rejected', '50035: Invalid Form Body'));
    await g.at(session(1));
    const schedule = await g.schedule();
    expect(schedule).toMatchObject({ status: 'paused', pause: { reason: 'rejected' } });
    expect(schedule.sessions[1]).toBeUndefined();
    expect(g.poster.told.map((r) => r.content)).toEqual([
      expect.stringContaining('I could not post session 1: Discord refused the post'),
    ]);
    await g.at(session(1) + HOUR);
    await g.at(session(2));
    expect(g.poster.posts).toHaveLength(0);
    expect(g.poster.told).toHaveLength(1);
  });

  it('a thread that cannot be opened is recorded, told when it is a permission, and holds nothing up', async () => {
    const g = await group();
    g.poster.fail('openThread', new PostError('no-permission', 'Missing Permissions'));
    await g.at(session(1));
    expect((await g.schedule()).sessions[1]).toMatchObject({ status: 'posted', threadFailed: true });
    expect(g.poster.told[0]?.content).toContain('Session 1 is posted');
    expect(g.poster.told[0]?.content).toContain('I could not open its discussion thread: I need');
    // A failure of another kind is recorded too, without a message; the next session is not held up.
    g.poster.fail('openThread', new Error('500 Internal Server Error'));
    await g.at(session(2));
    await g.at(session(2) + 60_000);
    expect((await g.schedule()).sessions[2]).toMatchObject({ status: 'posted', threadFailed: true });
    expect(g.poster.told).toHaveLength(1);
    await g.at(session(3));
    expect(g.kickoffs()).toHaveLength(3);
    expect(g.poster.threads).toHaveLength(1);
  });

  it('a removed bot: paused quietly, nothing posted', async () => {
    const g = await group();
    g.poster.present = false;
    await g.at(session(1));
    expect((await g.schedule()).pause?.reason).toBe('bot-removed');
    expect(g.poster.posts).toEqual([]);
    expect(g.poster.told).toEqual([]);
  });
});

describe('notices the channel is owed', () => {
  it('a missed-sessions notice that fails to post stays owed and goes out once later', async () => {
    const g = await group();
    g.poster.fail('post', new Error('500 Internal Server Error'));
    await g.at(session(2) + 7 * HOUR);
    expect(g.poster.posts).toHaveLength(0);
    expect((await g.schedule()).notices).toHaveLength(1);
    await g.at(session(2) + 8 * HOUR);
    await g.at(session(2) + 9 * HOUR);
    const notices = g.poster.postsWith('I could not post session 1');
    expect(notices).toHaveLength(1);
    expect(notices[0]?.content).toContain('and session 2');
    expect(notices[0]?.content).toContain(`Next up: session 3, <t:${session(3) / 1000}:F>.`);
    expect((await g.schedule()).notices).toEqual([]);
  });

  it('the wrap-up goes out once after the last session, even when the first try fails', async () => {
    const { corpus } = await shippedCorpus();
    const total = corpus.sessions.length;
    const g = await group((s) => ({ ...s, next: total + 1, dates: {} }));
    const wrapUpAt = session(total + 1);
    g.poster.fail('post', new Error('500 Internal Server Error'));
    await g.at(wrapUpAt);
    expect((await g.schedule()).status).toBe('finished');
    await g.at(wrapUpAt + HOUR);
    await g.at(wrapUpAt + 2 * HOUR);
    expect(g.poster.postsWith('whole reading list')).toHaveLength(1);
    expect((await g.schedule()).notices).toEqual([]);
  });

  it('a finished schedule whose channel is gone gives up its wrap-up instead of retrying forever', async () => {
    const { corpus } = await shippedCorpus();
    const total = corpus.sessions.length;
    const g = await group((s) => ({ ...s, next: total + 1, dates: {} }));
    g.poster.fail('post', new PostError('channel-missing', 'Unknown Channel'));
    await g.at(session(total + 1));
    expect(await g.schedule()).toMatchObject({ status: 'finished', notices: [] });
    await g.at(session(total + 1) + HOUR);
    expect(g.poster.posts).toEqual([]);
  });
});

describe('races with facilitators', () => {
  it('a post the scheduler decided on is not made once a facilitator paused the schedule', async () => {
    const g = await group();
    g.set(session(1));
    // The facilitator's pause lands between the scheduler reading the schedule and claiming the session.
    await g.change((s) => pauseSchedule(s, 'facilitator', new Date(session(1))));
    await postSession(GUILD, 1, g.deps);
    expect(g.poster.posts).toEqual([]);
    expect((await g.schedule()).sessions[1]).toBeUndefined();
  });

  it('each attempt refreshes the claim, so a change waits while a re-post is in flight', async () => {
    const g = await group();
    g.poster.fail('post', new Error('500 Internal Server Error'), { times: 2 });
    await g.at(session(1));
    await g.at(session(1) + 3 * 60_000);
    const claim = (await g.schedule()).sessions[1];
    expect(claim).toMatchObject({ status: 'claimed', at: session(1) + 3 * 60_000, firstAt: session(1) });
    await g.at(session(1) + 6 * 60_000);
    expect(g.kickoffs()).toHaveLength(1);
  });

  it('a post that landed before the channel was changed is found where it was made, and its thread opened there', async () => {
    const g = await group();
    g.poster.fail('post', new Error('socket hang up'), { landed: true });
    await g.at(session(1));
    await g.change((s) => pauseSchedule(s, 'facilitator', new Date(session(1))));
    g.set(session(1) + 5 * 60_000);
    const other = '600000000000000002';
    await g.change((s) =>
      rescheduleWith(
        s,
        createSchedule(
          { channelId: other, weekday: 2, time: '19:00', zone: 'UTC', reminderMinutes: null, polls: 'off' },
          8,
          new Date(session(1) + 5 * 60_000),
        ),
        8,
        new Date(session(1) + 5 * 60_000),
      ),
    );
    await g.change((s) => resumeSchedule(s, 8, new Date(session(1) + 5 * 60_000)));
    await g.at(session(1) + 6 * 60_000);
    expect(g.kickoffs().map((k) => k.channelId)).toEqual([CHANNEL]);
    expect((await g.schedule()).sessions[1]).toMatchObject({ status: 'posted', channelId: CHANNEL });
    expect(g.poster.threads).toHaveLength(1);
    // The next session goes to the new channel, at the date the new setup planned for it.
    const [next] = upcoming(await g.schedule(), 8);
    expect(next?.session).toBe(2);
    await g.at(next?.at.getTime() ?? 0);
    expect(g.kickoffs().map((k) => k.channelId)).toEqual([CHANNEL, other]);
  });

  it('a notice whose answer was lost is found, not posted again', async () => {
    const g = await group();
    g.poster.fail('post', new Error('socket hang up'), { landed: true });
    await g.at(session(1) + 7 * HOUR);
    await g.at(session(1) + 7 * HOUR + 3 * 60_000);
    expect(g.poster.postsWith('I could not post session 1')).toHaveLength(1);
    expect((await g.schedule()).notices).toEqual([]);
  });
});

describe('weekly crux polls', () => {
  const withPolls = (polls: 'before' | 'before-and-after') => (s: Schedule) => ({
    ...s,
    settings: { ...s.settings, polls },
  });
  const pollMessages = (poster: FakePoster) =>
    poster.posts.filter((p) => p.reply.embeds?.[0]?.author?.startsWith('Position poll'));

  it('the kickoff opens a "before" poll on the week’s crux, closed with its results an hour before the next kickoff', async () => {
    const g = await group(withPolls('before'));
    await g.at(session(1));
    const poll = first(pollMessages(g.poster), 'poll message');
    const kickoff = first(g.kickoffs(), 'kickoff');
    expect(poll.reply.embeds?.[0]?.author).toBe('Position poll, before the discussion · session 1');
    expect(g.poster.posts.indexOf(poll)).toBe(g.poster.posts.indexOf(kickoff) + 1);
    const record = await g.state.guilds.read(GUILD);
    const pollId = record.schedule?.sessions[1]?.polls?.before ?? '';
    expect(record.polls.map((p) => [p.id, p.status, p.closesAt])).toEqual([
      [pollId, 'open', session(2) - HOUR],
    ]);
    expect((await g.state.polls.get(GUILD, pollId))?.cruxId).toBe(record.schedule?.sessions[1]?.cruxId);
    await g.at(session(2) - HOUR - 60_000);
    expect(g.poster.postsWith('Poll closed')).toHaveLength(0);
    await g.at(session(2) - HOUR);
    expect(g.poster.postsWith('Poll closed')).toHaveLength(1);
    expect((await g.state.polls.get(GUILD, pollId))?.status).toBe('closed');
    // The next week opens the next poll, once.
    await g.at(session(2));
    await g.at(session(2) + 60_000);
    expect(pollMessages(g.poster)).toHaveLength(2);
  });

  it('"before and after" opens the "after" poll two days into the week, and its results say who moved', async () => {
    const g = await group(withPolls('before-and-after'));
    await g.at(session(1));
    const { schedule } = await g.state.guilds.read(GUILD);
    const before = schedule?.sessions[1]?.polls?.before ?? '';
    const crux = g.corpus.cruxById.get(schedule?.sessions[1]?.cruxId ?? '');
    if (!crux) throw new Error('the session has no crux');
    const [a, b] = positionsOf(crux, 2);
    await g.deps.polls.vote(GUILD, before, 'u1', a.id);
    await g.deps.polls.vote(GUILD, before, 'u2', a.id);
    await g.at(session(1) + 48 * HOUR - 60_000);
    expect(pollMessages(g.poster)).toHaveLength(1);
    await g.at(session(1) + 48 * HOUR);
    expect(pollMessages(g.poster).map((p) => p.reply.embeds?.[0]?.author)).toEqual([
      'Position poll, before the discussion · session 1',
      'Position poll, after the discussion · session 1',
    ]);
    const after = (await g.state.guilds.read(GUILD)).schedule?.sessions[1]?.polls?.after ?? '';
    await g.deps.polls.vote(GUILD, after, 'u1', b.id);
    await g.deps.polls.vote(GUILD, after, 'u2', a.id);
    await g.at(session(2) - HOUR);
    const results = g.poster
      .postsWith('after the discussion')
      .filter((r) => r.embeds?.[0]?.author?.startsWith('Poll closed'));
    expect(results).toHaveLength(1);
    expect(results[0]?.embeds?.[0]?.description).toContain(
      'Of the 2 members who answered before and after, 1 changed position.',
    );
    expect(results[0]?.files?.[0]?.description).toMatch(/^Bar chart\. /u);
  });

  it('a poll whose window passed while the bot was down is skipped, not opened late', async () => {
    const g = await group(withPolls('before'));
    g.poster.fail('post', new Error('socket hang up'), { landed: true });
    await g.at(session(1));
    // Down until after the week: recovery adopts the kickoff, but its poll's window is over.
    await g.at(session(2) - 30 * 60_000);
    expect(g.kickoffs()).toHaveLength(1);
    expect(pollMessages(g.poster)).toHaveLength(0);
    expect((await g.schedule()).sessions[1]?.polls).toEqual({ before: 'skipped' });
  });
});

describe('reminders, exactly once', () => {
  const withReminder = (schedule: Schedule) => ({
    ...schedule,
    settings: { ...schedule.settings, reminderMinutes: 24 * 60 },
  });
  const remindAt = session(1) - 24 * HOUR;

  it('an unanswered reminder is posted again once its claim settles, and only once', async () => {
    const g = await group(withReminder);
    g.poster.fail('post', new Error('503 Service Unavailable'));
    await g.at(remindAt);
    expect(g.reminders()).toHaveLength(0);
    // Not before the attempt has settled: a request of it could still land.
    await g.at(remindAt + 60_000);
    expect(g.reminders()).toHaveLength(0);
    await g.at(remindAt + 3 * 60_000);
    await g.at(remindAt + 10 * 60_000);
    expect(g.reminders()).toHaveLength(1);
    expect((await g.schedule()).reminded).toEqual([1]);
  });

  it('a reminder that landed though its answer was lost is found, not posted again', async () => {
    const g = await group(withReminder);
    g.poster.fail('post', new Error('socket hang up'), { landed: true });
    await g.at(remindAt);
    await g.at(remindAt + 3 * 60_000);
    await g.at(remindAt + 10 * 60_000);
    expect(g.reminders()).toHaveLength(1);
    expect((await g.schedule()).reminded).toEqual([1]);
  });

  it('a reminder Discord never takes before the session is dropped, and the kickoff still goes out', async () => {
    const g = await group(withReminder);
    // One failure for every attempt the day before: each tick three hours apart retries once.
    g.poster.fail('post', new Error('503 Service Unavailable'), { times: 8 });
    for (let t = remindAt; t < session(1); t += 3 * HOUR) await g.at(t);
    await g.at(session(1));
    expect(g.reminders()).toHaveLength(0);
    expect(g.kickoffs()).toHaveLength(1);
    expect((await g.schedule()).reminding).toBeNull();
  });
});
