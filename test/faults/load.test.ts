import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ChannelHandle, Member, MessageView } from '../../src/emulator/index.js';
import { kickoffSessions } from '../e2e/groups.js';
import { first, positionsOf, sessionOneCrux, shippedCorpus } from '../helpers/context.js';
import { type BotProcess, type ChildWorld, childWorld } from './harness.js';

/**
 * 1,000 clicks in one second while 200 servers' kickoffs are being posted, the bot a process of its own:
 * every click is answered within Discord's window and stored, and every kickoff posted once. Scheduled
 * posts share Discord's rate limit, so they take most of a minute; the clicks must not wait behind them.
 */
const SERVERS = 200;
const CLICKS = 1000;
const { corpus } = await shippedCorpus();
const crux = sessionOneCrux(corpus);
const [a, b] = positionsOf(crux, 2);

let world: ChildWorld;
let bot: BotProcess;
let channels: ChannelHandle[];
let members: Member[];
let poll: MessageView;
let facilitator: Member;
const TUESDAY_19H = Date.parse('2027-06-08T19:00:00Z');

beforeAll(async () => {
  world = await childWorld({ start: '2027-06-07T12:00:00Z' });
  const guilds = Array.from({ length: SERVERS }, (_, i) => {
    const guild = world.discord.addGuild({ name: `Group ${i}`, channels: ['reading'] });
    return { guild, ada: guild.addMember(`ada${i}`, { permissions: ['ManageGuild'] }) };
  });
  channels = guilds.map(({ guild }) => guild.channel('reading'));
  const host = first(guilds, 'server');
  members = Array.from({ length: CLICKS }, (_, i) => host.guild.addMember(`reader${i}`));
  facilitator = host.ada;
  bot = await world.start();
  for (let i = 0; i < SERVERS; i += 20) {
    await Promise.all(
      guilds.slice(i, i + 20).map(({ guild, ada }) =>
        ada.run('schedule setup', {
          channel: guild.channel('reading'),
          weekday: 2,
          time: '19:00',
          zone: 'UTC',
          reminder: 0,
        }),
      ),
    );
  }
  await host.ada.run('poll open', { crux: crux.id, hours: 48 }, host.guild.channel('reading'));
  poll = first(
    host.guild
      .channel('reading')
      .messages()
      .filter((m) => m.embeds[0]?.author?.name.startsWith('Position poll')),
    'poll message',
  );
}, 180_000);
afterAll(async () => world?.close());

it(`${CLICKS} clicks in one second during ${SERVERS} kickoffs: all answered in time, all stored, each kickoff once`, async () => {
  const ticking = bot.tick(TUESDAY_19H);
  const answers = await Promise.all(
    members.map(async (member, i) => {
      await sleep(i % 1000);
      return member.click(poll, i % 2 === 0 ? `A. ${a.label}` : `B. ${b.label}`).then(
        (reply) => ({ reply }),
        (error: unknown) => ({ error: String(error) }),
      );
    }),
  );
  const failed = answers.flatMap((answer) => ('error' in answer ? [answer.error] : []));
  expect(failed).toEqual([]);
  expect(
    answers.filter((answer) => 'reply' in answer && answer.reply.content.startsWith('Your answer: ')),
  ).toHaveLength(CLICKS);

  expect((await ticking).report).toEqual({ servers: SERVERS, failed: 0 });
  await bot.tick(TUESDAY_19H + 60_000);
  expect(channels.map((c) => kickoffSessions(c).length)).toEqual(new Array(SERVERS).fill(1));

  // Every confirmed answer is in the result.
  await facilitator.run('poll close', { poll: pollId(poll) }, channels[0]);
  const results = await facilitator.run('poll results', { poll: pollId(poll) }, channels[0]);
  expect(results.text).toContain(`${CLICKS} answers`);
  expect(results.text.match(/ 500 \(50%\)/gu)).toHaveLength(2);
  expect(bot.alive()).toBe(true);
  expect(world.discord.violations).toEqual([]);
}, 300_000);

function pollId(message: MessageView): string {
  const button = message.buttons.find((x) => x.customId.startsWith('poll:'));
  return new URLSearchParams(button?.customId.split(':')[2]).get('p') ?? '';
}
