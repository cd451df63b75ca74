import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Bot } from '../../src/app.js';
import { type ChannelHandle, type Emulator, startEmulator } from '../../src/emulator/index.js';
import { startTestBot, testClock } from './harness.js';

/**
 * 250 servers whose sessions fall in the same minute: each is posted exactly once, and a second tick
 * posts nothing more. The posts keep under Discord's global limit of 50 requests a second, so this takes
 * a while; the time is the platform's. The 1,000-server figure is measured in bench/, not here.
 */
const SERVERS = 250;
let discord: Emulator;
let bot: Bot;
let channels: ChannelHandle[];
const dir = mkdtempSync(path.join(tmpdir(), 'crux-scale-'));
const clock = testClock('2027-01-04T12:00:00Z');

beforeAll(async () => {
  discord = await startEmulator({ now: () => clock.now().getTime() });
  const facilitators = Array.from({ length: SERVERS }, (_, i) => {
    const guild = discord.addGuild({ name: `Group ${i}`, channels: ['reading'] });
    return { guild, ada: guild.addMember(`ada${i}`, { permissions: ['ManageGuild'] }) };
  });
  channels = facilitators.map(({ guild }) => guild.channel('reading'));
  bot = await startTestBot(discord, `sqlite://${path.join(dir, 'state.sqlite')}`, { clock });
  // Every server sets up its schedule the way a facilitator does: Tuesdays at 19:00 UTC, no reminder.
  for (const { guild, ada } of facilitators) {
    await ada.run('schedule setup', {
      channel: guild.channel('reading'),
      weekday: 2,
      time: '19:00',
      zone: 'UTC',
      reminder: 0,
    });
  }
}, 300_000);

afterAll(async () => {
  await bot?.stop();
  await discord?.close();
  rmSync(dir, { recursive: true, force: true });
});

const kickoffs = (channel: ChannelHandle) =>
  channel.messages().filter((m) => m.buttons.some((b) => b.customId.startsWith('progress:checkin:')));

it(`posts ${SERVERS} servers due in the same minute, each exactly once`, { timeout: 300_000 }, async () => {
  clock.set('2027-01-05T19:00:00Z');
  const report = await bot.scheduler.tick();
  expect(report).toEqual({ servers: SERVERS, failed: 0 });
  expect(channels.map((c) => kickoffs(c).length)).toEqual(new Array(SERVERS).fill(1));
  expect(channels.map((c) => c.threads().length)).toEqual(new Array(SERVERS).fill(1));

  clock.set('2027-01-05T19:01:00Z');
  await bot.scheduler.tick();
  expect(channels.map((c) => kickoffs(c).length)).toEqual(new Array(SERVERS).fill(1));
  expect(discord.violations).toEqual([]);
});
