import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { iso, newGroup } from '../e2e/groups.js';
import { worldForFile } from '../e2e/harness.js';
import { MINUTE, POST, POST_KINDS, postsOf, postsTo } from './post-kinds.js';

/**
 * Discord failing on every kind of post the bot makes by itself: each fault, on each kind, still ends with
 * the post in the channel exactly once. The hard cases are the ones where the bot cannot tell whether the
 * post landed: a 5xx after Discord created the message, retried with the same nonce, and a burst of
 * failures longer than the client's retries, recovered by a later tick that looks before posting again.
 */
const world = await worldForFile({ start: '2027-03-01T12:00:00Z' });

const faults: Record<string, (discord: Emulator, posts: string, matching: string) => void> = {
  'two 500s (retried at once)': (discord, posts, matching) =>
    discord.faults.serverError(posts, { times: 2, matching }),
  'a 502 after the post landed (retried with the same nonce)': (discord, posts, matching) =>
    discord.faults.serverErrorAfter(posts, { times: 1, matching }),
  '500s for longer than the retries (recovered by a later tick)': (discord, posts, matching) =>
    discord.faults.serverError(posts, { times: 6, matching }),
  '502s after landing, for longer than the retries (found, not reposted)': (discord, posts, matching) =>
    discord.faults.serverErrorAfter(posts, { times: 6, matching }),
  'two 429s': (discord, posts, matching) =>
    discord.faults.rateLimit(posts, { retryAfterSeconds: 0.2, times: 2, matching }),
  'a slow answer (1.5 s)': (discord, posts, matching) => discord.faults.slow(posts, 1500, { matching }),
};

let servers = 0;
describe.each(Object.entries(POST_KINDS))('a %s', (_kind, kind) => {
  it.each(Object.keys(faults))('%s: posted exactly once', async (faultName) => {
    const group = await newGroup(world, `Posts ${++servers}`);
    const due = await kind.prepare(group, (at) => world.at(iso(at)));
    faults[faultName]?.(world.discord, postsTo(group.reading), kind.marker);
    // Ticks as the scheduler makes them: at the due time, and on until any claim has settled.
    for (const after of [0, 1, 3, 6, 10]) await world.at(iso(due + after * MINUTE));
    expect(world.discord.faults.served.some((s) => s.route === POST)).toBe(true);
    expect(postsOf(group.reading, kind.marker)).toBe(1);
    // And nothing more later.
    await world.at(iso(due + 30 * MINUTE));
    expect(postsOf(group.reading, kind.marker)).toBe(1);
  });
});
