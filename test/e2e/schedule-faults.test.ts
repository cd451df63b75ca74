import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { iso, kickoffSessions, newGroup, until } from './groups.js';
import { startTestBot, worldForFile } from './harness.js';

/**
 * What happens to a weekly schedule when things go wrong: restarts, downtime, crashes mid-post, a deleted
 * channel, a missing permission, a removed bot. Each scenario gets its own server on one shared timeline;
 * sessions are at 19:00 UTC with no reminder, so only kickoffs and notices appear in the channels.
 */
const world = await worldForFile({ start: '2027-01-04T12:00:00Z' });

/** Stops the bot, moves the clock while it is down, and starts it again; its first tick catches up. */
async function downUntil(when: number): Promise<void> {
  await world.bot.stop();
  world.clock.set(iso(when));
  world.bot = await startTestBot(world.discord, world.keyvUrl, { clock: world.clock });
  await world.bot.scheduler.tick();
}

describe('restarts and downtime', () => {
  it('a restart mid-schedule, just after a post, neither repeats nor skips a session', async () => {
    const group = await newGroup(world, 'Restart');
    await world.at(iso(group.session(1)));
    await world.restart();
    await world.at(iso(group.session(1) + 60_000));
    await world.at(iso(group.session(2)));
    expect(kickoffSessions(group.reading)).toEqual([1, 2]);
  });

  it('a session missed while down is posted once on recovery, within the grace window', async () => {
    const group = await newGroup(world, 'Down briefly');
    await downUntil(group.session(1) + 2 * 3_600_000);
    await world.bot.scheduler.tick();
    expect(kickoffSessions(group.reading)).toEqual([1]);
  });

  it('beyond the grace window, the channel is told the sessions were skipped, and the schedule moves on', async () => {
    const group = await newGroup(world, 'Down for weeks');
    await downUntil(group.session(2) + 7 * 3_600_000);
    expect(kickoffSessions(group.reading)).toEqual([]);
    const notices = group.reading.messages().filter((m) => m.content.startsWith('I could not post'));
    expect(notices).toHaveLength(1);
    expect(notices[0]?.content).toContain(
      `I could not post session 1 (<t:${group.session(1) / 1000}:F>) and session 2 (<t:${group.session(2) / 1000}:F>) on time`,
    );
    const notice = notices[0];
    expect(notice?.content).toContain(`Next up: session 3, <t:${group.session(3) / 1000}:F>.`);
    await world.at(iso(group.session(3)));
    expect(kickoffSessions(group.reading)).toEqual([3]);
  });
});

describe('a crash between claiming a session and recording its post', () => {
  it('when the post went out: recovery waits for it to land, finds it, and posts nothing more', async () => {
    const group = await newGroup(world, 'Crash after post');
    world.clock.set(iso(group.session(1)));
    // The post is slow to land, so the crash comes while it is in flight (the client's retry is slow too).
    world.discord.faults.slow('POST /channels/:channelId/messages', 2500, { times: 2 });
    const tick = world.bot.scheduler.tick().catch(() => undefined);
    await until(
      async () =>
        (await world.bot.state.guilds.read(group.guild.id)).schedule?.sessions[1]?.status === 'claimed',
      2000,
    );
    await world.crash();
    // The restarted bot looks while the old post is still in flight: it finds nothing, and must not post.
    await world.at(iso(group.session(1) + 30_000));
    expect(kickoffSessions(group.reading)).toEqual([]);
    await tick;
    // The old process's request lands a few seconds later (slow twice, then through).
    await until(() => kickoffSessions(group.reading).length > 0, 10_000);
    expect(kickoffSessions(group.reading)).toEqual([1]);
    // Once the claim is old enough, it looks again and adopts the post that landed.
    await world.at(iso(group.session(1) + 3 * 60_000));
    expect(kickoffSessions(group.reading)).toEqual([1]);
    const record = (await world.bot.state.guilds.read(group.guild.id)).schedule?.sessions[1];
    expect(record?.status).toBe('posted');
    expect(group.reading.threads().map((t) => t.id)).toEqual([record?.messageId]);
  });

  it('when the post never went out (Discord kept failing): it is posted once, later', async () => {
    const group = await newGroup(world, 'Crash before post');
    world.discord.faults.serverError('POST /channels/:channelId/messages', { times: 20 });
    await world.at(iso(group.session(1)));
    expect(kickoffSessions(group.reading)).toEqual([]);
    expect((await world.bot.state.guilds.read(group.guild.id)).schedule?.sessions[1]?.status).toBe('claimed');
    world.discord.faults.clear();
    await world.restart();
    await world.at(iso(group.session(1) + 6 * 60_000));
    await world.at(iso(group.session(1) + 12 * 60_000));
    expect(kickoffSessions(group.reading)).toEqual([1]);
  });
});

describe('when posting is impossible, the schedule pauses and the facilitators are told', () => {
  it('a deleted channel', async () => {
    const group = await newGroup(world, 'Deleted channel');
    group.reading.delete();
    await sleep(50);
    await world.at(iso(group.session(1)));
    const told = group.general.messages().map((m) => m.content);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(`I could not post session 1: the channel <#${group.reading.id}> is gone.`);
    expect((await world.bot.state.guilds.read(group.guild.id)).schedule?.status).toBe('paused');
    // No error loop: later ticks leave it alone.
    const requests = world.discord.requests.length;
    await world.at(iso(group.session(2)));
    expect(world.discord.requests.slice(requests).filter((r) => r.path.includes(group.reading.id))).toEqual(
      [],
    );
    const show = await group.ada.run('schedule show', {}, group.general);
    expect(show.text).toContain(`The schedule is paused (the channel <#${group.reading.id}> is gone)`);
  });

  it('a missing permission, and after the fix /schedule resume carries on', async () => {
    const group = await newGroup(world, 'No permission');
    group.reading.setBotPermissions({ deny: ['SendMessages'] });
    await sleep(50);
    await world.at(iso(group.session(1)));
    expect(group.general.messages()[0]?.content).toContain(
      'I could not post session 1: I am not allowed to post in',
    );
    expect((await world.bot.state.guilds.read(group.guild.id)).schedule?.pause?.reason).toBe('no-permission');
    group.reading.setBotPermissions({ allow: ['SendMessages'] });
    const resumed = await group.ada.run('schedule resume', {}, group.general);
    expect(resumed.content).toMatch(/^The reading schedule is running again\.\nNext: session 1, /u);
    await world.at(iso(group.session(2)));
    expect(kickoffSessions(group.reading)).toEqual([1]);
  });

  it('a removed bot: paused quietly, nothing posted', async () => {
    const group = await newGroup(world, 'Removed');
    group.guild.removeBot();
    await sleep(50);
    await world.at(iso(group.session(1)));
    expect(kickoffSessions(group.reading)).toEqual([]);
    expect(group.general.messages()).toEqual([]);
    expect((await world.bot.state.guilds.read(group.guild.id)).schedule?.pause?.reason).toBe('bot-removed');
  });
});
