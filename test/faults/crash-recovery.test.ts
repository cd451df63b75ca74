import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newGroup, until } from '../e2e/groups.js';
import { type ChildWorld, childWorld } from './harness.js';
import { MINUTE, POST_KINDS, postsOf, postsTo } from './post-kinds.js';

/**
 * A crash while a *recovery* post is in flight, then an immediate restart, for every kind of post the bot
 * makes by itself. The first attempt goes unanswered (more 5xx than the client retries), so the post is
 * left claimed; once the claim settles a tick makes it again, slowly, and the bot is killed (SIGKILL) while
 * that request is still landing. The new process must see the refreshed claim, wait for it to settle,
 * find the post and not make it again.
 */
let world: ChildWorld;
beforeAll(async () => {
  world = await childWorld({ start: '2027-03-01T12:00:00Z' });
});
afterAll(async () => world?.close());
afterEach(() => {
  world.discord.faults.clear();
  expect(world.discord.violations).toEqual([]);
});

/** Long enough that the new process starts and ticks while the killed one's post is still landing. */
const LANDS_AFTER_MS = 8000;

let servers = 0;
describe.each(Object.entries(POST_KINDS))('a %s', (_kind, kind) => {
  it('killed while its recovery post is in flight, restarted at once: posted exactly once', async () => {
    let bot = await world.start();
    const group = await newGroup(world, `Crash ${++servers}`);
    const due = await kind.prepare(group, (at) => bot.tick(at));

    // Faults on this server's channel only: other servers on the same timeline post too.
    const posts = postsTo(group.reading);
    world.discord.faults.serverError(posts, { times: 6, matching: kind.marker });
    await bot.tick(due);
    expect(postsOf(group.reading, kind.marker)).toBe(0);

    world.discord.faults.slow(posts, LANDS_AFTER_MS, { matching: kind.marker });
    const served = world.discord.faults.served.length;
    bot.tickInBackground(due + 3 * MINUTE);
    await until(() => world.discord.faults.served.slice(served).some((s) => s.fault.type === 'slow'), 15_000);
    await bot.kill();

    bot = await world.start();
    await bot.tick(due + 3 * MINUTE + 1000);
    await until(() => postsOf(group.reading, kind.marker) > 0, 15_000);
    for (const after of [4, 6, 10, 30]) await bot.tick(due + after * MINUTE);
    // The killed process's post has landed by now, whatever the order.
    await world.discord.idle();
    expect(postsOf(group.reading, kind.marker)).toBe(1);
    expect(bot.alive()).toBe(true);
    await bot.kill();
  }, 60_000);
});
