import { describe, expect, it } from 'vitest';
import { createSchedule } from '../../src/core/schedule/plan.js';
import { serverJoined, serverLeft } from '../../src/jobs/servers.js';
import { first, RETENTION_MS } from '../helpers/context.js';
import { jobHarness, pollRequest } from '../helpers/jobs.js';

/** A server the bot leaves: its schedule pauses, its data is kept for the retention period, then deleted. */
const GUILD = '500000000000000009';
const DAY = 86_400_000;

async function server() {
  const harness = await jobHarness();
  const { corpus, state, deps } = harness;
  const now = new Date(harness.now());
  const schedule = createSchedule(
    { channelId: '1', weekday: 2, time: '19:00', zone: 'UTC' },
    corpus.sessions.length,
    now,
  );
  await state.guilds.change(GUILD, (record) => ({ record: { ...record, schedule }, result: undefined }));
  const crux = first(corpus.cruxes, 'crux');
  const poll = await deps.polls.open(pollRequest(GUILD, crux, new Date(now.getTime() + 20 * DAY)));
  await deps.polls.vote(GUILD, poll?.id ?? '', '8', first(crux.positions, 'position').id);
  await state.checkIns.add(GUILD, 1, '8');
  return { ...harness, pollId: poll?.id ?? '' };
}

describe('when the bot leaves a server', () => {
  it('pauses the schedule, keeps the data for the retention period, then deletes all of it', async () => {
    const s = await server();
    s.poster.present = false;
    await serverLeft(GUILD, s.deps);
    const left = await s.state.guilds.read(GUILD);
    expect(left.leftAt).toBe(s.now());
    expect(left.schedule?.pause?.reason).toBe('bot-removed');
    await s.at(s.now() + RETENTION_MS - DAY);
    expect((await s.state.guilds.read(GUILD)).polls).toHaveLength(1);
    expect(await s.state.checkIns.forSession(GUILD, 1)).toEqual(['8']);
    await s.at(s.now() + DAY);
    expect(await s.state.guilds.read(GUILD)).toMatchObject({ schedule: null, polls: [], leftAt: null });
    expect(await s.state.polls.get(GUILD, s.pollId)).toBeUndefined();
    expect(await s.state.checkIns.forSession(GUILD, 1)).toEqual([]);
    expect(s.poster.posts.filter((p) => p.reply.embeds?.[0]?.author?.startsWith('Poll closed'))).toEqual([]);
  });

  it('keeps everything when invited back in time', async () => {
    const s = await server();
    await serverLeft(GUILD, s.deps);
    await serverJoined(GUILD, s.deps);
    await s.at(s.now() + RETENTION_MS + DAY);
    const record = await s.state.guilds.read(GUILD);
    expect(record.leftAt).toBeNull();
    expect(record.polls).toHaveLength(1);
    expect(await s.state.checkIns.forSession(GUILD, 1)).toEqual(['8']);
  });

  it('notices a removal it missed while offline, at the server’s next wake-up', async () => {
    const s = await server();
    s.poster.present = false;
    await s.at(Date.parse('2027-01-05T19:00:00Z'));
    expect((await s.state.guilds.read(GUILD)).leftAt).toBe(Date.parse('2027-01-05T19:00:00Z'));
    expect(s.poster.posts.filter((p) => p.reply.content?.includes('starts now'))).toEqual([]);
  });
});

describe('concluding the bot was removed', () => {
  it('deletes nothing when Discord says the bot is back by the deletion date, and tells the facilitators', async () => {
    const s = await server();
    await serverLeft(GUILD, s.deps);
    // Invited back while its events went to a process that is gone: no GuildCreate ever cleared the flag.
    await s.at(s.now() + RETENTION_MS + DAY);
    const record = await s.state.guilds.read(GUILD);
    expect(record.leftAt).toBeNull();
    expect(record.polls).toHaveLength(1);
    expect(await s.state.checkIns.forSession(GUILD, 1)).toEqual(['8']);
    expect(s.poster.told.map((reply) => reply.content ?? '').join('\n')).toContain(
      'I am back in this server',
    );
  });

  it('concludes nothing while Discord cannot be asked, and does the work once it answers', async () => {
    const s = await server();
    s.poster.fail('presence', new Error('503 Service Unavailable'));
    await s.at(Date.parse('2027-01-05T19:00:00Z'));
    const during = await s.state.guilds.read(GUILD);
    expect(during.leftAt).toBeNull();
    expect(during.schedule?.status).toBe('active');
    await s.at(Date.parse('2027-01-05T19:06:00Z'));
    expect(s.poster.posts.filter((p) => p.reply.content?.includes('Session 1 starts now'))).toHaveLength(1);
  });
});
