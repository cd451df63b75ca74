import { Routes } from 'discord.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { boundedRest } from '../../src/discord/rest.js';
import { type RestProxy, startRestProxy } from '../../src/discord/rest-proxy.js';
import { kickoffSessions, newGroup } from '../e2e/groups.js';
import { type ChildWorld, childWorld } from './harness.js';

/**
 * Discord's global limit is per bot token, however many processes share it. Each process's REST client
 * keeps under it alone; two together would not. Through the shared proxy they do.
 */
let world: ChildWorld;
let proxy: RestProxy;

beforeAll(async () => {
  world = await childWorld({ start: '2027-05-03T12:00:00Z' });
  proxy = await startRestProxy({ port: 0, api: world.discord.apiUrl });
});
afterAll(async () => {
  await proxy?.close();
  await world?.close();
});

it('two processes posting as fast as each may, through the proxy: every post made, no global 429', async () => {
  // Thirty channels, so each channel's own limit (5 posts in 5 s) never holds a post back: only the
  // global one is in play.
  const channels = Array.from({ length: 30 }, (_, i) => `c${i}`);
  const guild = world.discord.addGuild({ name: 'Busy', channels });
  const processes = [
    boundedRest(world.discord.token, { api: proxy.url }),
    boundedRest(world.discord.token, { api: proxy.url }),
  ];
  const before = world.discord.rateLimits.globalLimited;
  await Promise.all(
    processes.flatMap((rest, p) =>
      Array.from({ length: 60 }, (_, i) =>
        rest.post(Routes.channelMessages(guild.channel(`c${i % 30}`).id), {
          body: { content: `process ${p} post ${i}` },
        }),
      ),
    ),
  );
  expect(channels.reduce((sum, name) => sum + guild.channel(name).messages().length, 0)).toBe(120);
  expect(world.discord.rateLimits.globalLimited - before).toBe(0);
}, 30_000);

it('a post held back by a 429 at the proxy is sent again, whole, and once', async () => {
  const guild = world.discord.addGuild({ name: 'Limited', channels: ['reading'] });
  const channel = guild.channel('reading');
  world.discord.faults.rateLimit(`POST /channels/${channel.id}/messages`, {
    times: 2,
    retryAfterSeconds: 0.2,
  });
  const rest = boundedRest(world.discord.token, { api: proxy.url });
  await rest.post(Routes.channelMessages(channel.id), { body: { content: 'held back twice' } });
  world.discord.faults.clear();
  expect(channel.messages().map((m) => m.content)).toEqual(['held back twice']);
}, 30_000);

it('a bot process configured with DISCORD_REST_PROXY posts its sessions through it', async () => {
  const bot = await world.start({ DISCORD_REST_PROXY: proxy.url });
  const group = await newGroup(world, 'Proxied');
  await bot.tick(group.session(1));
  expect(kickoffSessions(group.reading)).toEqual([1]);
  // With the proxy gone, the bot's own posts cannot reach Discord: they went through it.
  await proxy.close();
  await bot.tick(group.session(2));
  expect(kickoffSessions(group.reading)).toEqual([1]);
  proxy = await startRestProxy({ port: proxy.port, api: world.discord.apiUrl });
  await bot.tick(group.session(2) + 6 * 60_000);
  expect(kickoffSessions(group.reading)).toEqual([1, 2]);
}, 60_000);
