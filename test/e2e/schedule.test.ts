import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelHandle, MessageView } from '../../src/emulator/index.js';
import { shippedCorpus } from '../helpers/context.js';
import { startWorld, type World } from './harness.js';

/**
 * A whole reading schedule on the emulator with the real bot, the clock moved by hand: Tuesdays at 19:00 in
 * Berlin from 9 March 2027, across the change to summer time on 28 March (19:00 is 18:00 UTC before it and
 * 17:00 UTC after).
 */
const { corpus } = await shippedCorpus();
const TOTAL = corpus.sessions.length;
let world: World;
let reading: ChannelHandle;
let role: { id: string };

beforeAll(async () => {
  world = await startWorld({ start: '2027-03-08T12:00:00Z' });
  reading = world.guild.channel('reading');
  role = world.guild.addRole('Readers');
});
afterAll(async () => world?.close());
afterEach(() => {
  expect(world.discord.violations).toEqual([]);
});

/** The kickoff posts in the channel, by the session their check-in button names. */
function kickoffs(): { session: number; message: MessageView }[] {
  return reading.messages().flatMap((message) => {
    const checkIn = message.buttons.find((b) => b.customId.startsWith('progress:checkin:'));
    return checkIn
      ? [{ session: Number(new URLSearchParams(checkIn.customId.split(':')[2]).get('s')), message }]
      : [];
  });
}
const reminders = () => reading.messages().filter((m) => m.content.includes('Reminder: session'));

describe('setting up', () => {
  it('is refused to a member without rights, privately, saying who can', async () => {
    const reply = await world.bo.run('schedule setup', {
      channel: reading,
      weekday: 2,
      time: '19:00',
      zone: 'Europe/Berlin',
    });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(
      /^Only facilitators can do that: members with the \*\*Manage Server\*\* permission/u,
    );
  });

  it.each([
    [{ zone: 'Mars/Olympus' }, /“Mars\/Olympus” is not a time zone I can keep to/u],
    [{ time: '7pm' }, /“7pm” is not a time\. Use the 24-hour clock/u],
    [{ start: '2027-03-02' }, /has already passed/u],
    [{ start: '2027-03-10' }, /Wednesday 10 March 2027 is not a Tuesday/u],
  ])('answers bad input %o privately with what is accepted', async (bad, message) => {
    const reply = await world.ada.run('schedule setup', {
      channel: reading,
      weekday: 2,
      time: '19:00',
      zone: 'Europe/Berlin',
      ...bad,
    });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(message);
  });

  it('suggests time zones by city', async () => {
    const choices = await world.ada.autocomplete('schedule setup', { zone: 'berlin' }, 'zone');
    expect(choices[0]?.value).toBe('Europe/Berlin');
  });

  it('by a facilitator: previews the first three sessions in every member’s own time and says what will be posted', async () => {
    const reply = await world.ada.run('schedule setup', {
      channel: reading,
      weekday: 2,
      time: '19:00',
      zone: 'Europe/Berlin',
      ping: { id: role.id },
    });
    expect(reply.ephemeral).toBe(false);
    const text = reply.text;
    expect(text).toContain(
      `Sessions on Tuesdays at 19:00 (Europe/Berlin) in <#${reading.id}>, ${TOTAL} in all.`,
    );
    // 9, 16 and 23 March 2027 at 18:00 UTC, as Discord timestamps.
    for (const iso of ['2027-03-09T18:00:00Z', '2027-03-16T18:00:00Z', '2027-03-23T18:00:00Z']) {
      expect(text).toContain(`<t:${Date.parse(iso) / 1000}:F>`);
    }
    expect(text).toContain(`pinging <@&${role.id}>`);
    expect(text).toContain('A reminder goes out 1 day before each session.');
  });

  it('shows the sessions to come to everyone, privately', async () => {
    const reply = await world.bo.run('schedule show');
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toMatch(/Next: session 1, <t:\d+:F>/u);
    expect(reply.text).toContain('**Session 1** · <t:');
  });
});

describe('a whole schedule, week by week', () => {
  it('posts a reminder a day ahead, then the kickoff at the local time, each once, with a thread', async () => {
    const sessionTimes = [
      '2027-03-09T18:00:00Z',
      '2027-03-16T18:00:00Z',
      '2027-03-23T18:00:00Z',
      // Summer time from 28 March: 19:00 in Berlin is 17:00 UTC.
      '2027-03-30T17:00:00Z',
      '2027-04-06T17:00:00Z',
      '2027-04-13T17:00:00Z',
      '2027-04-20T17:00:00Z',
      '2027-04-27T17:00:00Z',
      '2027-05-04T17:00:00Z',
      '2027-05-11T17:00:00Z',
    ].slice(0, TOTAL);
    expect(sessionTimes).toHaveLength(TOTAL);
    for (const [index, iso] of sessionTimes.entries()) {
      const session = index + 1;
      const due = Date.parse(iso);
      await world.at(new Date(due - 24 * 3_600_000 - 60_000).toISOString());
      expect(reminders()).toHaveLength(session - 1);
      await world.at(new Date(due - 24 * 3_600_000).toISOString());
      expect(reminders()).toHaveLength(session);
      expect(reminders().at(-1)?.content).toContain(`<@&${role.id}> Reminder: session ${session}`);
      // Its button opens the session's readings privately, though the group has not reached it yet.
      const read = await world.bo.click(reminders().at(-1) as MessageView, 'Read them now');
      expect(read.ephemeral).toBe(true);
      expect(read.embeds[0]?.footer?.text).toMatch(new RegExp(`^Session ${session} · section 1 of `, 'u'));

      await world.at(new Date(due - 60_000).toISOString());
      expect(kickoffs()).toHaveLength(session - 1);
      await world.at(iso);
      await world.at(new Date(due + 60_000).toISOString());
      expect(kickoffs().map((k) => k.session)).toEqual(Array.from({ length: session }, (_, i) => i + 1));

      const { message } = kickoffs().at(-1) ?? {};
      expect(message?.content).toContain(`<@&${role.id}> Session ${session} starts now`);
      expect(message?.embeds[0]?.title).toMatch(new RegExp(`^Session ${session} of ${TOTAL}: `, 'u'));
      expect(message?.buttons.map((b) => b.label)).toEqual(['I’ve read it', 'Read', 'Context', 'Quotes']);
      expect(message?.embeds).toHaveLength(3);
      const thread = reading.threads().find((t) => t.id === message?.id);
      expect(thread?.name).toMatch(new RegExp(`^Session ${session}: `, 'u'));
      expect(thread?.messages()).toHaveLength(1);
    }
    expect(reading.threads()).toHaveLength(TOTAL);
    // Nine weeks pass in seconds of real time: Discord's 5 posts per 5 s in a channel set the pace.
  }, 120_000);

  it('lets members check in on the kickoff, and facilitators see who has', async () => {
    const latest = kickoffs().at(-1)?.message;
    if (!latest) throw new Error('no kickoff');
    const first = await world.bo.click(latest, 'I’ve read it');
    expect(first.ephemeral).toBe(true);
    expect(first.content).toBe(`Checked in for session ${TOTAL}. You are the first.`);
    expect((await world.bo.click(latest, 'I’ve read it')).content).toMatch(
      new RegExp(`^You had already checked in for session ${TOTAL}`, 'u'),
    );
    const mine = await world.bo.run('progress me');
    expect(mine.text).toContain(`✓ Session ${TOTAL}`);
    const checkins = await world.ada.run('progress checkins');
    expect(checkins.content).toBe(`Checked in for session ${TOTAL} (1): <@${world.bo.id}>`);
    const refused = await world.bo.run('progress checkins');
    expect(refused.content).toMatch(/^Only facilitators can do that/u);
  });

  it('shows the group’s progress', async () => {
    const reply = await world.bo.run('progress show');
    expect(reply.text).toContain(`▰▰▰▰▰▰▰▰▰▰ ${TOTAL}/${TOTAL} sessions done`);
    const text = corpus.texts[0];
    expect(reply.text).toContain(
      `${text?.title}: ${text?.sections.length} of ${text?.sections.length} sections`,
    );
  });

  it('posts the wrap-up a week after the last session, once', async () => {
    // A week after the last session, at the same local time.
    const wrapUp = Date.parse('2027-05-04T17:00:00Z') + (TOTAL - 8) * 7 * 86_400_000;
    await world.at(new Date(wrapUp - 60_000).toISOString());
    expect(reading.messages().some((m) => m.embeds[0]?.title === 'That’s the whole reading list')).toBe(
      false,
    );
    await world.at(new Date(wrapUp).toISOString());
    await world.at(new Date(wrapUp + 7 * 86_400_000).toISOString());
    const wrapUps = reading.messages().filter((m) => m.embeds[0]?.title === 'That’s the whole reading list');
    expect(wrapUps).toHaveLength(1);
    expect(wrapUps[0]?.embeds[0]?.description).toContain(`${TOTAL}/${TOTAL} sessions covered`);
  });
});
