import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Member, MessageView } from '../../src/emulator/index.js';
import { first, positionsOf, sessionOneCrux, shippedCorpus } from '../helpers/context.js';
import { type BotProcess, type ChildWorld, childWorld } from './harness.js';

/**
 * A log reader that stops reading (`npm start | pino-pretty` with a slow terminal): the pipe fills, and a
 * bot that wrote its logs synchronously would stall on the next line. Crux's logs are asynchronous, so
 * members are still answered.
 */
const CLICKS = 600;
const { corpus } = await shippedCorpus();
const crux = sessionOneCrux(corpus);
const [a] = positionsOf(crux, 2);

let world: ChildWorld;
let bot: BotProcess;
let members: Member[];
let facilitator: Member;
let poll: MessageView;
beforeAll(async () => {
  world = await childWorld();
  const guild = world.discord.addGuild({ name: 'Stalled logs', channels: ['reading'] });
  const ada = guild.addMember('ada', { permissions: ['ManageGuild'] });
  facilitator = ada;
  members = Array.from({ length: CLICKS }, (_, i) => guild.addMember(`reader${i}`));
  // Every answer logs a line at debug level (about 200 bytes each, 120 KB in all): more than a pipe holds (64 KiB).
  bot = await world.start({ LOG_LEVEL: 'debug' }, { stalledOutput: true });
  await ada.run('poll open', { crux: crux.id, hours: 24 }, guild.channel('reading'));
  poll = first(
    guild
      .channel('reading')
      .messages()
      .filter((m) => m.embeds[0]?.author?.name.startsWith('Position poll')),
    'poll',
  );
}, 60_000);
afterAll(async () => world?.close());

it(`${CLICKS} answers while nobody reads the logs: every one answered, and the bot still answering after`, async () => {
  const answers = await Promise.all(
    members.map(async (member, i) => {
      // Spread over a second, as members press: the point is the full pipe, not a burst.
      await sleep((i * 1000) / CLICKS);
      return member.click(poll, `A. ${a.label}`).then(
        (reply) => reply.content,
        (error: unknown) => `failed: ${String(error)}`,
      );
    }),
  );
  expect(answers.filter((text) => !text.startsWith('Your answer: '))).toEqual([]);
  // And it is still answering afterwards, with the pipe still full.
  expect((await facilitator.run('poll list')).text).toContain('**Open**');
  expect(bot.alive()).toBe(true);
}, 120_000);
