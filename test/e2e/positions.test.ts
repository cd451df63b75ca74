import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelHandle, MessageView } from '../../src/emulator/index.js';
import { first, positionsOf, shippedCorpus } from '../helpers/context.js';
import { startWorld, type World } from './harness.js';

/**
 * Positions over time with the real bot: a "before" and an "after" poll on one crux, then each member's own
 * movement, the group's movement with a chart, the crux map, the export, and a member deleting their data.
 */
const { corpus } = await shippedCorpus();
const crux = first(
  corpus.cruxes.filter((c) => c.positions.length === 2 && c.session === 1),
  'crux',
);
const divided = first(
  corpus.cruxes.filter((c) => c.positions.length === 2 && c.id !== crux.id),
  'second crux',
);
const [a, b] = positionsOf(crux, 2);

let world: World;
let reading: ChannelHandle;
beforeAll(async () => {
  world = await startWorld({ start: '2027-05-03T12:00:00Z' });
  reading = world.guild.channel('reading');
  const cy = world.guild.addMember('cy');
  // Before: ada A, bo A, cy B. After: ada B, bo A, cy B. On the second crux: an even split.
  const before = await openPoll(crux.id, 'before');
  await world.ada.click(before, `A. ${a.label}`);
  await world.bo.click(before, `A. ${a.label}`);
  await cy.click(before, `B. ${b.label}`);
  await world.ada.run('poll close', { poll: pollIdOf(before) });
  const after = await openPoll(crux.id, 'after');
  await world.ada.click(after, `B. ${b.label}`);
  await world.bo.click(after, `A. ${a.label}`);
  await cy.click(after, `B. ${b.label}`);
  await world.ada.run('poll close', { poll: pollIdOf(after) });
  const [x, y] = positionsOf(divided, 2);
  const split = await openPoll(divided.id, 'before');
  await world.ada.click(split, `A. ${x.label}`);
  await world.bo.click(split, `B. ${y.label}`);
  await world.ada.run('poll close', { poll: pollIdOf(split) });
});
afterAll(async () => world?.close());
afterEach(() => {
  expect(world.discord.violations).toEqual([]);
});

async function openPoll(cruxId: string, phase: 'before' | 'after'): Promise<MessageView> {
  await world.ada.run('poll open', { crux: cruxId, phase, hours: 24, ahead: true });
  return first(
    reading
      .messages()
      .filter((m) => m.embeds[0]?.author?.name.startsWith('Position poll'))
      .slice(-1),
    'poll',
  );
}

function pollIdOf(message: MessageView): string {
  return (
    new URLSearchParams(
      message.buttons.find((x) => x.customId.startsWith('poll:'))?.customId.split(':')[2],
    ).get('p') ?? ''
  );
}

describe('/positions', () => {
  it('me: a member’s own answers before and after, and where they moved, privately', async () => {
    const mine = await world.ada.run('positions me');
    expect(mine.ephemeral).toBe(true);
    expect(mine.text).toContain('of the 1 you answered before and after, you changed position on 1');
    expect(mine.text).toContain(
      `Before: **A. ${a.label}** · After: **B. ${b.label}**\n↳ You changed position.`,
    );
  });

  it('crux: the distribution before and after, the net movement and the voters, with a chart', async () => {
    const reply = await world.bo.run('positions crux', { crux: crux.id });
    expect(reply.ephemeral).toBe(false);
    expect(reply.text).toContain(`**Before** (3): A. ${a.label} 67% · B. ${b.label} 33%`);
    expect(reply.text).toContain(`**After** (3): A. ${a.label} 33% · B. ${b.label} 67%`);
    expect(reply.text).toContain(
      '3 members answered; 3 answered both before and after, and 1 of them changed position.',
    );
    expect(reply.text).toContain(`Net movement: A. ${a.label} -33 points · B. ${b.label} +33 points`);
    const [chart] = reply.attachments;
    expect(chart?.description).toContain('Before 67%, After 33%');
  });
});

describe('/map', () => {
  it('orders cruxes from consensus to divided, with voters, and lists where minds changed, with a chart', async () => {
    const reply = await world.bo.run('map');
    const text = reply.text;
    expect(text.indexOf(crux.question)).toBeLessThan(text.indexOf(divided.question));
    expect(text).toContain(`**0%** evenly divided · 2 voters · \`${divided.id}\``);
    expect(text).toContain(`Where members changed their minds\n1 of 3 · ${crux.question}`);
    expect(reply.attachments[0]?.description).toMatch(/^Bar chart\. Where the group agrees/u);
  });
});

describe('/export', () => {
  it('is for facilitators; gives a CSV of every answer with stable pseudonyms, and a JSON of everything', async () => {
    expect((await world.bo.run('export')).content).toMatch(/^Only facilitators/u);
    const reply = await world.ada.run('export');
    expect(reply.ephemeral).toBe(true);
    const [csvFile, jsonFile] = reply.attachments;
    const rows = parse(Buffer.from(world.discord.file(csvFile ?? { id: '' })), { columns: true }) as Record<
      string,
      string
    >[];
    expect(rows).toHaveLength(8);
    expect(rows.every((row) => /^member-[0-9a-f]{12}$/u.test(row.member ?? ''))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(world.ada.id);
    const again = await world.ada.run('export');
    const rowsAgain = parse(Buffer.from(world.discord.file(again.attachments[0] ?? { id: '' })), {
      columns: true,
    }) as Record<string, string>[];
    expect(rowsAgain.map((r) => r.member)).toEqual(rows.map((r) => r.member));
    const json = JSON.parse(Buffer.from(world.discord.file(jsonFile ?? { id: '' })).toString('utf8'));
    expect(json.polls).toHaveLength(3);
    expect(json.progress.currentSession).toBe(1);
    const withIds = await world.ada.run('export', { member_ids: true });
    expect(withIds.content).toContain('Members appear by their Discord ids');
    expect(Buffer.from(world.discord.file(withIds.attachments[0] ?? { id: '' })).toString('utf8')).toContain(
      world.ada.id,
    );
  });
});

describe('/data delete-me', () => {
  it('asks first; Keep it deletes nothing; Delete removes the member’s answers and check-ins', async () => {
    const ask = await world.bo.run('data delete-me');
    expect(ask.ephemeral).toBe(true);
    expect(ask.buttons.map((x) => x.label)).toEqual(['Delete my data', 'Keep it']);
    expect((await world.bo.click(ask, 'Keep it')).content).toBe('Nothing was deleted.');
    expect((await world.bo.run('positions me')).text).toContain('Your positions');
    const ask2 = await world.bo.run('data delete-me');
    const done = await world.bo.click(ask2, 'Delete my data');
    expect(done.content).toBe(
      'Deleted: your answers to 3 polls and 0 check-ins. Crux keeps nothing else about you in this server.',
    );
    expect((await world.bo.run('positions me')).content).toMatch(
      /^You have not answered any position poll yet/u,
    );
    // Others' answers stay.
    expect((await world.ada.run('positions me')).text).toContain('Your positions');
  });
});
