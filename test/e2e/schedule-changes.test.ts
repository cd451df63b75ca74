import { describe, expect, it } from 'vitest';
import { iso, kickoffSessions, newGroup, until } from './groups.js';
import { worldForFile } from './harness.js';

/**
 * Facilitators changing a running schedule, and correcting the group's progress, with the real bot on the
 * emulator: every change answers with what changed and when the next session is, and a member without the
 * rights is told privately who can.
 */
const world = await worldForFile({ start: '2027-02-01T12:00:00Z' });

const next = (group: { session: (n: number) => number }, n: number) =>
  `Next: session ${n}, <t:${group.session(n) / 1000}:F>`;

describe('changing the schedule', () => {
  it('pause and resume, each confirmed; pausing twice says so privately', async () => {
    const group = await newGroup(world, 'Pause');
    const paused = await group.ada.run('schedule pause');
    expect(paused.ephemeral).toBe(false);
    expect(paused.content).toContain('The reading schedule is paused');
    const again = await group.ada.run('schedule pause');
    expect(again.ephemeral).toBe(true);
    expect(again.content).toContain('already paused');
    await world.at(iso(group.session(1)));
    expect(kickoffSessions(group.reading)).toEqual([]);
    const resumed = await group.ada.run('schedule resume');
    expect(resumed.content).toContain('The reading schedule is running again.');
    // Session 1's date passed during the pause: it moves to the next slot instead of being posted late.
    expect(resumed.content).toContain(next(group, 2).replace('session 2', 'session 1'));
  });

  it('skip moves on without posting; the next session keeps its date', async () => {
    const group = await newGroup(world, 'Skip');
    const reply = await group.ada.run('schedule skip');
    expect(reply.content).toBe(
      `Session 1 is skipped; the schedule moves on without posting it.\n${next(group, 2)} (<t:${group.session(2) / 1000}:R>).`,
    );
    await world.at(iso(group.session(1)));
    await world.at(iso(group.session(2)));
    expect(kickoffSessions(group.reading)).toEqual([2]);
  });

  it('move puts one session on another date, in each member’s time; refuses one out of order', async () => {
    const group = await newGroup(world, 'Move');
    const date = iso(group.session(1) + 2 * 86_400_000).slice(0, 10);
    const moved = await group.ada.run('schedule move', { session: 1, date });
    const at = group.session(1) + 2 * 86_400_000;
    expect(moved.content).toContain(`Session 1 moves to <t:${at / 1000}:F>.`);
    const late = iso(group.session(3)).slice(0, 10);
    const refused = await group.ada.run('schedule move', { session: 2, date: late });
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toContain('Session 2 must stay in order');
    await world.at(iso(group.session(1)));
    expect(kickoffSessions(group.reading)).toEqual([]);
    await world.at(iso(at));
    expect(kickoffSessions(group.reading)).toEqual([1]);
  });

  it('next chooses the session posted next', async () => {
    const group = await newGroup(world, 'Next');
    const reply = await group.ada.run('schedule next', { session: 3 });
    expect(reply.content).toMatch(/^Session 3 is posted next\.\nNext: session 3, /u);
    await world.at(iso(group.session(1)));
    expect(kickoffSessions(group.reading)).toEqual([3]);
  });

  it('reset asks first, privately; Keep it changes nothing, Start over announces it', async () => {
    const group = await newGroup(world, 'Reset');
    await world.at(iso(group.session(1)));
    const ask = await group.ada.run('schedule reset');
    expect(ask.ephemeral).toBe(true);
    expect(ask.buttons.map((b) => b.label)).toEqual(['Start over', 'Keep it']);
    const kept = await group.ada.click(ask, 'Keep it');
    expect(kept.content).toBe('Nothing changed.');
    const ask2 = await group.ada.run('schedule reset');
    const done = await group.ada.click(ask2, 'Start over');
    expect(done.ephemeral).toBe(false);
    expect(done.content).toMatch(/^The reading schedule starts over from session 1\.\nNext: session 1, /u);
    await world.at(iso(group.session(2)));
    expect(kickoffSessions(group.reading)).toEqual([1, 1]);
  });

  it('Start over pressed twice at once starts over and announces once', async () => {
    const group = await newGroup(world, 'Reset twice');
    await world.at(iso(group.session(1)));
    const ask = await group.ada.run('schedule reset');
    const announcements = () =>
      group.reading.messages().filter((m) => m.content.startsWith('The reading schedule starts over')).length;
    const [first, second] = await Promise.all([
      group.ada.click(ask, 'Start over'),
      group.ada.click(ask, 'Start over'),
    ]);
    expect(announcements()).toBe(1);
    const answers = [first, second].map((m) => m.content);
    expect(answers).toContainEqual('The schedule has already started over; nothing more changed.');
    expect((await world.bot.state.guilds.read(group.guild.id)).schedule?.resets).toBe(1);
  });

  it('setup refuses a channel that is not a text channel of this server', async () => {
    const group = await newGroup(world, 'Setup elsewhere');
    const other = await newGroup(world, 'Other server');
    const reply = await group.ada.run('schedule setup', {
      channel: other.reading,
      weekday: 2,
      time: '19:00',
      zone: 'Europe/Berlin',
    });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe(
      'Pick a text channel of this server for **channel**, from the list Discord shows.',
    );
    const { schedule } = await world.bot.state.guilds.read(group.guild.id);
    expect(schedule?.settings.channelId).toBe(group.reading.id);
  });

  it('setup stores a zone as its canonical IANA name and refuses abbreviations', async () => {
    const group = await newGroup(world, 'Zones');
    const refused = await group.ada.run('schedule setup', {
      channel: group.reading,
      weekday: 2,
      time: '19:00',
      zone: 'IST',
    });
    expect(refused.content).toMatch(/^“IST” is not a time zone I can keep to.*It may mean .*Asia\/Kolkata/su);
    await group.ada.run('schedule setup', {
      channel: group.reading,
      weekday: 2,
      time: '19:00',
      zone: 'europe/berlin',
    });
    expect((await world.bot.state.guilds.read(group.guild.id)).schedule?.settings.zone).toBe('Europe/Berlin');
  });

  it('setup again keeps the group’s place and re-plans the rest', async () => {
    const group = await newGroup(world, 'Setup again');
    await world.at(iso(group.session(1)));
    const weekday = ((new Date(group.session(2)).getUTCDay() + 6) % 7) + 1;
    const reply = await group.ada.run('schedule setup', {
      channel: group.general,
      weekday,
      time: '08:00',
      zone: 'UTC',
      reminder: 0,
    });
    expect(reply.text).toContain('Reading schedule updated');
    const at = group.session(2) - 11 * 3_600_000;
    expect(reply.text).toContain(`**Session 2** · <t:${at / 1000}:F>`);
    await world.at(iso(at));
    expect(kickoffSessions(group.general)).toEqual([2]);
  });

  it('is refused while a session is being posted, and the post is recorded as usual', async () => {
    const group = await newGroup(world, 'Race');
    world.clock.set(iso(group.session(1)));
    // Other groups on this world may be due too: slow only this group's post.
    world.discord.faults.slow(`POST /channels/${group.reading.id}/messages`, 1500, { times: 1 });
    const tick = world.bot.scheduler.tick();
    await until(
      async () =>
        (await world.bot.state.guilds.read(group.guild.id)).schedule?.sessions[1]?.status === 'claimed',
      2000,
    );
    const refused = await group.ada.run('schedule skip');
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toBe('Session 1 is being posted right now. Try again in a couple of minutes.');
    await tick;
    expect(kickoffSessions(group.reading)).toEqual([1]);
    expect((await world.bot.state.guilds.read(group.guild.id)).schedule?.sessions[1]?.status).toBe('posted');
  });
});

describe('who may change it', () => {
  it('a facilitator role set by Manage Server lets its members manage the schedule', async () => {
    const group = await newGroup(world, 'Roles');
    const refused = await group.bo.run('schedule pause');
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toContain('ask an admin to set a facilitator role with `/schedule facilitator`');
    const role = group.guild.addRole('Facilitators');
    expect((await group.bo.run('schedule facilitator', { role: { id: role.id } })).content).toBe(
      'Only members with the **Manage Server** permission can do that.',
    );
    const set = await group.ada.run('schedule facilitator', { role: { id: role.id } });
    expect(set.content).toContain(`Members with the <@&${role.id}> role can now manage the reading schedule`);
    expect(set.content).toContain(next(group, 1));
    group.bo.giveRole(role.id);
    const paused = await group.bo.run('schedule pause');
    expect(paused.content).toContain('The reading schedule is paused');
  });
});

describe('correcting progress', () => {
  it('mark and unmark a text, set the week, and take back a check-in', async () => {
    const group = await newGroup(world, 'Progress');
    const count = world.bot.corpus.textById.get('persona-selection')?.sections.length;
    const marked = await group.ada.run('progress mark', { text: 'persona-selection' });
    expect(marked.content).toMatch(
      new RegExp(
        `^“Persona selection and the road to superintelligence” is now marked covered \\(${count} sections\\)\\. `,
        'u',
      ),
    );
    expect((await group.bo.run('progress show')).text).toContain(
      `Persona selection and the road to superintelligence: ${count} of ${count} sections`,
    );
    const unmarked = await group.ada.run('progress unmark', { text: 'persona-selection' });
    expect(unmarked.content).toContain(`is now marked not covered (${count} sections)`);
    expect((await group.bo.run('progress mark', { session: 1 })).content).toMatch(/^Only facilitators/u);

    const set = await group.ada.run('progress set', { session: 3 });
    expect(set.content).toContain('The group is now on session 3');
    expect(set.content).toContain('To post session 4 next instead, use `/schedule next session:4`.');
    const excerpt = await group.bo.run('excerpt');
    expect(excerpt.embeds[0]?.footer?.text).toMatch(/^Session 3 /u);

    await world.at(iso(group.session(1)));
    const kickoff = group.reading.messages().find((m) => m.buttons.some((b) => b.label === 'I’ve read it'));
    if (!kickoff) throw new Error('no kickoff');
    const checkedIn = await group.bo.click(kickoff, 'I’ve read it');
    expect(checkedIn.content).toBe('Checked in for session 1. You are the first.');
    const undone = await group.bo.click(checkedIn, 'Take it back');
    expect(undone.via).toBe('update');
    expect(undone.content).toContain('Your check-in for session 1 is taken back.');
    expect((await group.ada.run('progress checkins', { session: 1 })).content).toBe(
      'Nobody has checked in for session 1 yet.',
    );
  });
});
