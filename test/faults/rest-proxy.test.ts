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

it('two processes posting as fast as each may share one budget through the proxy: every post made, in its time', async () => {
  // A budget of 10 a second for the two together, where each would allow itself 40: 40 posts cannot all be
  // made in less than three seconds if the proxy holds them to one budget. (A lower bound: a loaded machine
  // only makes it longer, never shorter. Whether Discord's own 429s appear depends on timing, so they are not
  // what is checked.)
  const slow = await startRestProxy({ port: 0, api: world.discord.apiUrl, requestsPerSecond: 10 });
  try {
    // Forty channels, so each channel's own limit (5 posts in 5 s) never holds a post back.
    const channels = Array.from({ length: 40 }, (_, i) => `c${i}`);
    const guild = world.discord.addGuild({ name: 'Busy', channels });
    const processes = [
      boundedRest(world.discord.token, { api: slow.url }),
      boundedRest(world.discord.token, { api: slow.url }),
    ];
    const started = performance.now();
    await Promise.all(
      processes.flatMap((rest, p) =>
        Array.from({ length: 20 }, (_, i) =>
          rest.post(Routes.channelMessages(guild.channel(`c${p * 20 + i}`).id), {
            body: { content: `process ${p} post ${i}` },
          }),
        ),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    expect(channels.map((name) => guild.channel(name).messages().length)).toEqual(new Array(40).fill(1));
    expect(seconds).toBeGreaterThanOrEqual(2.9);
  } finally {
    await slow.close();
  }
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
