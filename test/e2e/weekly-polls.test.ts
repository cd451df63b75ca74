import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelHandle, MessageView } from '../../src/emulator/index.js';
import { first } from '../helpers/context.js';
import { type Group, iso, newGroup } from './groups.js';
import { startWorld, type World } from './harness.js';

/**
 * The weekly crux polls over a whole schedule, the clock moved week by week: each kickoff opens a "before"
 * poll on the week's crux, an "after" poll opens a day later, both close an hour before the next kickoff
 * with their results, and at the end the crux map and each member's movement reflect every week's answers.
 */
let world: World;
let group: Group;
beforeAll(async () => {
  world = await startWorld({ start: '2027-06-07T12:00:00Z' });
  group = await newGroup(world, 'Weekly polls');
});
afterAll(async () => world?.close());
afterEach(() => {
  expect(world.discord.violations).toEqual([]);
});

const HOUR = 3_600_000;
const pollsOf = (channel: ChannelHandle, phase: 'before' | 'after') =>
  channel
    .messages()
    .filter((m) => m.embeds[0]?.author?.name.startsWith(`Position poll, ${phase} the discussion`));
const resultsOf = (channel: ChannelHandle, phase: 'before' | 'after') =>
  channel
    .messages()
    .filter((m) => m.embeds[0]?.author?.name.startsWith(`Poll closed, ${phase} the discussion`));
const latest = (messages: MessageView[]) => first(messages.slice(-1), 'message');

describe('weekly crux polls', () => {
  it('/schedule polls sets before-and-after, and says what changes', async () => {
    const reply = await group.ada.run('schedule polls', { mode: 'before-and-after', after_hours: 24 });
    expect(reply.content).toContain('and another 1 day later for after it');
    expect(reply.content).toContain(`Next: session 1, <t:${group.session(1) / 1000}:F>`);
    expect((await group.bo.run('schedule polls', { mode: 'off' })).content).toMatch(/^Only facilitators/u);
  });

  it('runs every week of the schedule: polls opened and closed on time, each with its result', async () => {
    const total = 8;
    for (let session = 1; session <= total; session++) {
      const kickoff = group.session(session);
      await world.at(iso(kickoff));
      await world.at(iso(kickoff + 60_000));
      const before = latest(pollsOf(group.reading, 'before'));
      expect(before.embeds[0]?.author?.name).toBe(
        `Position poll, before the discussion · session ${session}`,
      );
      expect(pollsOf(group.reading, 'before')).toHaveLength(session);
      const [first, second] = before.buttons;
      await group.ada.click(before, first?.label ?? '');
      await group.bo.click(before, first?.label ?? '');
      // A day later the "after" poll opens; ada changes her mind.
      await world.at(iso(kickoff + 24 * HOUR));
      const after = latest(pollsOf(group.reading, 'after'));
      expect(after.embeds[0]?.author?.name).toBe(`Position poll, after the discussion · session ${session}`);
      await group.ada.click(after, second?.label ?? '');
      await group.bo.click(after, first?.label ?? '');
      // Both close an hour before the next kickoff, each with its result; the after poll's says who moved.
      const closesAt = group.session(session + 1) - HOUR;
      await world.at(iso(closesAt - 60_000));
      expect(resultsOf(group.reading, 'after')).toHaveLength(session - 1);
      await world.at(iso(closesAt));
      expect(resultsOf(group.reading, 'before')).toHaveLength(session);
      expect(resultsOf(group.reading, 'after')).toHaveLength(session);
      expect(latest(resultsOf(group.reading, 'after')).embeds[0]?.description).toContain(
        'Of the 2 members who answered before and after, 1 changed position.',
      );
    }
  }, 120_000);

  it('the map and each member’s movement cover every week', async () => {
    const map = await group.bo.run('map', {}, group.reading);
    expect(map.text.match(/· 2 voters ·/gu)).toHaveLength(8);
    expect(map.text).toContain('Where members changed their minds');
    const mine = await group.ada.run('positions me', {}, group.reading);
    expect(mine.text).toContain(
      'You answered 8 cruxes; of the 8 you answered before and after, you changed position on 8.',
    );
  });
});
