import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { type Group, iso, kickoffSessions, newGroup } from './groups.js';
import { worldForFile } from './harness.js';

/**
 * Where Discord's documented behaviour would break the bot if it trusted the friendlier assumptions: role
 * pings that notify nobody, embeds dropped without Embed Links, a history it cannot read during recovery,
 * and an upload limit. Each test fails on a bot that ignored the rule.
 */
const world = await worldForFile({
  start: '2027-03-01T12:00:00Z',
  // A small upload limit, so the export's handling of it is exercised without 10 MiB of votes.
  emulator: { fileSizeLimitBytes: 600 },
});

/** Everything posted in the group's channels: a facilitator notice goes wherever the bot can post. */
const allText = (group: Group) =>
  [...group.reading.messages(), ...group.general.messages()].map((m) => m.content).join('\n');

/** The group's schedule again, as its facilitator sets it up, pinging `roleId`. */
const setUpPinging = (group: Group, roleId: string) =>
  group.ada.run('schedule setup', {
    channel: group.reading,
    weekday: new Date(group.session(1)).getUTCDay() || 7,
    time: '19:00',
    zone: 'UTC',
    reminder: 0,
    ping: { id: roleId },
  });

describe('role pings (resources/message.mdx, "Allowed Mentions Object")', () => {
  it('a role that cannot be pinged is named at setup, its members are not notified until it can be', async () => {
    const group = await newGroup(world, 'Pings');
    const readers = group.guild.addRole('Readers');
    group.bo.giveRole(readers.id);
    await sleep(50);
    const setup = await setUpPinging(group, readers.id);
    expect(setup.content).toContain(`<@&${readers.id}> cannot be pinged by me`);
    expect(setup.content).toContain('Allow anyone to @mention this role');
    await world.at(iso(group.session(1)));
    expect(kickoffSessions(group.reading)).toEqual([1]);
    expect(group.bo.notifications()).toHaveLength(0);

    group.guild.setRoleMentionable(readers.id, true);
    await sleep(50);
    const again = await setUpPinging(group, readers.id);
    expect(again.content).not.toContain('cannot be pinged');
    await world.at(iso(group.session(2)));
    const notified = group.bo.notifications();
    expect(notified).toHaveLength(1);
    expect(notified[0]?.content).toContain(`<@&${readers.id}>`);
  });

  it('a facilitator role that cannot be pinged is named when it is set', async () => {
    const group = await newGroup(world, 'Facilitator pings');
    const organisers = group.guild.addRole('Organisers');
    await sleep(50);
    const reply = await group.ada.run('schedule facilitator', { role: { id: organisers.id } });
    expect(reply.content).toContain(`<@&${organisers.id}> cannot be pinged by me`);
  });
});

describe('Embed Links (discord-api-docs#2601: content with embeds is posted without them)', () => {
  it('the kickoff is not posted bare: the schedule pauses and the facilitators are told what to grant', async () => {
    const group = await newGroup(world, 'No embeds');
    group.reading.setBotPermissions({ deny: ['EmbedLinks'] });
    await sleep(50);
    await world.at(iso(group.session(1)));
    expect(kickoffSessions(group.reading)).toEqual([]);
    expect(group.reading.messages().filter((m) => m.content.includes('Session 1'))).toEqual([]);
    const told = allText(group);
    expect(told).toContain('I could not post session 1');
    expect(told).toContain('Embed Links');
  });
});

describe('Read Message History during recovery (Get Channel Messages: none returned without it)', () => {
  it('a post whose answer was lost is never made again blind: the schedule pauses instead', async () => {
    const group = await newGroup(world, 'No history');
    // The kickoff lands, but every answer is lost: the bot cannot know it was posted.
    world.discord.faults.serverErrorAfter(`POST /channels/${group.reading.id}/messages`, {
      times: 4,
      matching: 'progress:checkin',
    });
    await world.at(iso(group.session(1)));
    expect(kickoffSessions(group.reading)).toEqual([1]);
    group.reading.setBotPermissions({ deny: ['ReadMessageHistory'] });
    await sleep(50);
    await world.at(iso(group.session(1) + 3 * 60_000));
    await world.at(iso(group.session(1) + 10 * 60_000));
    expect(kickoffSessions(group.reading)).toEqual([1]);
    expect(allText(group)).toContain('I could not post session 1');
    expect(allText(group)).toContain('Read Message History');
  });
});

describe('upload limits (attachment_size_limit)', () => {
  it('/export compresses a file over the limit, and says so', async () => {
    const group = await newGroup(world, 'Export');
    await group.ada.run('poll open', { crux: world.bot.corpus.cruxes[0]?.id ?? '', hours: 1 }, group.reading);
    const reply = await group.ada.run('export');
    expect(reply.content).toContain('Files here are limited to');
    expect(reply.attachments.some((a) => a.filename.endsWith('.gz'))).toBe(true);
    expect(reply.attachments.every((a) => a.size <= 600)).toBe(true);
  });
});
