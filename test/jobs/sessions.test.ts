import { describe, expect, it } from 'vitest';
import { createSchedule, type Schedule } from '../../src/core/schedule/plan.js';
import { PostError } from '../../src/jobs/poster.js';
import { type JobDeps, runGuild, wakeAtFor } from '../../src/jobs/sessions.js';
import { silentLogger } from '../../src/logger.js';
import { openState } from '../../src/state/index.js';
import { seededRandom, shippedCorpus } from '../helpers/context.js';
import { FakePoster } from './fake-poster.js';

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
  const { corpus, search } = await shippedCorpus();
  let now = new Date('2027-01-04T12:00:00Z');
  const clock = () => now;
  const state = openState(
    'memory:',
    (error) => {
      throw error;
    },
    { scheduleWakeAt: wakeAtFor(corpus, clock) },
  );
  const poster = new FakePoster(clock);
  const deps: JobDeps = {
    corpus,
    search,
    state,
    poster,
    clock,
    random: seededRandom(3),
    logger: silentLogger(),
  };
  const schedule = createSchedule(
    { channelId: CHANNEL, weekday: 2, time: '19:00', zone: 'UTC', reminderMinutes: null },
    corpus.sessions.length,
    now,
  );
  await state.guilds.change(GUILD, (record) => ({
    record: { ...record, schedule: adjust(schedule) },
    result: undefined,
  }));
  return {
    corpus,
    poster,
    state,
    /** Sets the clock and runs the server's due work, as a scheduler tick would. */
    async at(ms: number) {
      now = new Date(ms);
      await runGuild(GUILD, deps);
    },
    async schedule(): Promise<Schedule> {
      const current = (await state.guilds.read(GUILD)).schedule;
      if (!current) throw new Error('no schedule');
      return current;
    },
    kickoffs: () => poster.posts.filter((p) => p.reply.content?.includes('starts now')),
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
    await g.at(session(1) + 60_000);
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
