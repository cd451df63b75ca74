import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../../src/emulator/index.js';
import { GLOBAL_LIMIT, INVALID_REQUEST_LIMIT, ROUTE_LIMITS } from '../../../src/emulator/ratelimits.js';
import { RawGateway, rest } from '../raw.js';

/**
 * Discord's REST rate limits, as developers/topics/rate-limits.mdx documents them, driven with raw HTTP so
 * the emulator is tested on its own. Where a window must pass, the limiter's clock is moved (the `clock`
 * setting) or the window is at most a second of real time, so nothing depends on the machine's speed.
 */

let discord: Emulator;
let gateway: RawGateway | undefined;
afterEach(async () => {
  gateway?.close();
  gateway = undefined;
  await discord?.close();
});

/** A moveable clock for the limiter, in milliseconds. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let at = 1_000_000;
  return { now: () => at, advance: (ms) => (at += ms) };
}

async function setUp(options: EmulatorOptions = {}, channels = ['reading']) {
  discord = await startEmulator(options);
  const guild = discord.addGuild({ channels });
  return { guild, ids: channels.map((name) => guild.channel(name).id) };
}

/** A REST call on this file's emulator (raw.ts's `rest`). */
const call = (method: string, path: string, body?: unknown, options: { auth?: boolean } = {}) =>
  rest(discord, method, path, body, options);

const post = (channelId: string, content = 'hello') =>
  call('POST', `/channels/${channelId}/messages`, { content });

const DECIMAL_SECONDS = /^\d+\.\d{3}$/u;

describe('per-route buckets (topics/rate-limits.mdx)', () => {
  // The table is an example set; message creation is five per five seconds per channel.
  const messages = ROUTE_LIMITS['POST /channels/:channelId/messages'];

  it('"Header Format": within the limit every answer carries Limit, Remaining, Reset, Reset-After and Bucket', async () => {
    const { ids } = await setUp();
    const [reading = ''] = ids;
    expect(messages).toEqual({ limit: 5, windowMs: 5000 });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await post(reading, `m${i}`));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.map((a) => a.headers.get('x-ratelimit-remaining'))).toEqual(['4', '3', '2', '1', '0']);
    for (const { headers } of answers) {
      expect(headers.get('x-ratelimit-limit')).toBe('5');
      const resetAfter = headers.get('x-ratelimit-reset-after') ?? '';
      expect(resetAfter).toMatch(DECIMAL_SECONDS);
      expect(Number(resetAfter)).toBeGreaterThan(0);
      expect(Number(resetAfter)).toBeLessThanOrEqual(5);
      // Epoch seconds, with decimals as in "Example Exceeded User Rate Limit Response".
      const reset = Number(headers.get('x-ratelimit-reset'));
      expect(headers.get('x-ratelimit-reset')).toMatch(DECIMAL_SECONDS);
      expect(Math.abs(reset - (Date.now() / 1000 + Number(resetAfter)))).toBeLessThan(1);
      // Opaque: a hash, not the route.
      expect(headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]{32}$/u);
      // "Returned only on HTTP 429 responses".
      expect(headers.get('x-ratelimit-scope')).toBeNull();
      expect(headers.get('x-ratelimit-global')).toBeNull();
    }
    expect(new Set(answers.map((a) => a.headers.get('x-ratelimit-bucket'))).size).toBe(1);
  });

  it('"Exceeding A Rate Limit": past the limit, 429 with Discord\'s body, Retry-After and X-RateLimit-Scope: user, and nothing done', async () => {
    const { guild, ids } = await setUp();
    const [reading = ''] = ids;
    for (let i = 0; i < 5; i++) expect((await post(reading)).status).toBe(200);
    const refused = await post(reading, 'sixth');
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      message: 'You are being rate limited.',
      retry_after: expect.any(Number),
      global: false,
      code: 0,
    });
    const retryAfter = (refused.body as { retry_after: number }).retry_after;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(5);
    expect(refused.headers.get('retry-after')).toBe(String(Math.ceil(retryAfter)));
    expect(refused.headers.get('x-ratelimit-scope')).toBe('user');
    expect(refused.headers.get('x-ratelimit-global')).toBeNull();
    // "Note that normal route rate-limiting headers will also be sent in this response."
    expect(refused.headers.get('x-ratelimit-limit')).toBe('5');
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(refused.headers.get('x-ratelimit-reset-after'))).toBeCloseTo(retryAfter, 2);
    expect(
      guild
        .channel('reading')
        .messages()
        .map((m) => m.content),
    ).not.toContain('sixth');
    expect(discord.rateLimits.routeLimited).toBe(1);
    expect(discord.rateLimits.served).toEqual([
      {
        route: 'POST /channels/:channelId/messages',
        path: `/channels/${reading}/messages`,
        scope: 'user',
        retryAfterSeconds: retryAfter,
      },
    ]);
  });

  it('are counted per top-level resource: another channel has its own count under the same bucket id', async () => {
    // "an endpoint with two different top-level resources may calculate limits independently", and
    // X-RateLimit-Bucket is "non-inclusive of top-level resources in the path".
    const { ids } = await setUp({}, ['reading', 'general']);
    const [reading = '', general = ''] = ids;
    for (let i = 0; i < 5; i++) await post(reading);
    expect((await post(reading)).status).toBe(429);
    const other = await post(general);
    expect(other.status).toBe(200);
    expect(other.headers.get('x-ratelimit-remaining')).toBe('4');
    const first = await call('GET', `/channels/${reading}`);
    expect(first.headers.get('x-ratelimit-bucket')).not.toBe(other.headers.get('x-ratelimit-bucket'));
    expect(other.headers.get('x-ratelimit-bucket')).toBe(
      (await post(general)).headers.get('x-ratelimit-bucket'),
    );
  });

  it('"Exceeding A Rate Limit": after the reset the route accepts again (a one-second window, waited in real time)', async () => {
    const { ids } = await setUp({
      rateLimits: { routes: { 'POST /channels/:channelId/messages': { limit: 2, windowMs: 1000 } } },
    });
    const [reading = ''] = ids;
    expect((await post(reading)).status).toBe(200);
    expect((await post(reading)).status).toBe(200);
    const refused = await post(reading);
    expect(refused.status).toBe(429);
    await sleep(Number(refused.headers.get('x-ratelimit-reset-after')) * 1000 + 20);
    const again = await post(reading);
    expect(again.status).toBe(200);
    expect(again.headers.get('x-ratelimit-remaining')).toBe('1');
  });

  it('run in real time: moving the emulator clock by days neither empties nor refills a bucket', async () => {
    let offset = 0;
    const { ids } = await setUp({ now: () => Date.now() + offset });
    const [reading = ''] = ids;
    offset += 3 * 24 * 3_600_000;
    for (let i = 0; i < 5; i++) expect((await post(reading)).status).toBe(200);
    offset += 3 * 24 * 3_600_000;
    const refused = await post(reading);
    expect(refused.status).toBe(429);
    expect(Math.abs(Number(refused.headers.get('x-ratelimit-reset')) - Date.now() / 1000)).toBeLessThan(6);
  });

  it('can be turned off (`rateLimits: false`): no buckets, no headers', async () => {
    const { ids } = await setUp({ rateLimits: false });
    const [reading = ''] = ids;
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await post(reading));
    expect(answers.map((a) => a.status)).toEqual(new Array(8).fill(200));
    expect(answers[0]?.headers.get('x-ratelimit-limit')).toBeNull();
    expect(discord.rateLimits.served).toEqual([]);
  });

  it('leave fault injection as it was: `faults.rateLimit` is served as well, and kept apart', async () => {
    const { ids } = await setUp();
    const [reading = ''] = ids;
    discord.faults.rateLimit('POST /channels/:channelId/messages', { retryAfterSeconds: 0.5 });
    const faulted = await post(reading);
    expect(faulted.status).toBe(429);
    expect(faulted.body).toMatchObject({ retry_after: 0.5, global: false });
    expect(faulted.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(discord.faults.served).toHaveLength(1);
    expect(discord.rateLimits.served).toEqual([]);
    expect((await post(reading)).status).toBe(200);
  });
});

describe('the global rate limit (topics/rate-limits.mdx, "Global Rate Limit")', () => {
  it('"All bots can make up to 50 requests per second": the 51st in a second is refused with global: true, and a second later accepted', async () => {
    expect(GLOBAL_LIMIT).toEqual({ limit: 50, windowMs: 1000 });
    const clock = manualClock();
    // Fifty-one channels, so no route bucket runs out first.
    const names = Array.from({ length: 51 }, (_, i) => `c${i}`);
    const { ids } = await setUp({ rateLimits: { clock: clock.now } }, names);
    const answers = await Promise.all(ids.slice(0, 50).map((id) => rest(discord, 'GET', `/channels/${id}`)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const refused = await call('GET', `/channels/${ids[50]}`);
    expect(refused.status).toBe(429);
    // "Example Exceeded Global Rate Limit Response".
    expect(refused.body).toEqual({
      message: 'You are being rate limited.',
      retry_after: 1,
      global: true,
      code: 0,
    });
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('x-ratelimit-global')).toBe('true');
    expect(refused.headers.get('x-ratelimit-scope')).toBe('global');
    expect(refused.headers.get('x-ratelimit-bucket')).toBeNull();
    // Across all routes, not per route.
    expect((await rest(discord, 'GET', '/users/@me')).status).toBe(429);
    expect(discord.rateLimits.globalLimited).toBe(2);
    clock.advance(1000);
    expect((await rest(discord, 'GET', `/channels/${ids[50]}`)).status).toBe(200);
  });

  it('"Interaction endpoints are not bound to the bot\'s Global Rate Limit" (and interactions/receiving-and-responding.mdx, "Endpoints"): 60 callbacks and 60 follow-ups go through while everything else is refused', async () => {
    const clock = manualClock();
    const names = Array.from({ length: 50 }, (_, i) => `c${i}`);
    const { guild, ids } = await setUp({ rateLimits: { clock: clock.now } }, names);
    const ada = guild.addMember('ada');
    await rest(discord, 'PUT', `/applications/${discord.applicationId}/commands`, [
      { name: 'ping', description: 'Ping' },
    ]);
    gateway = await RawGateway.connect(discord);
    gateway.identify(discord, 1);
    await gateway.next((p) => p.t === 'READY');
    // Spend the rest of this second's budget.
    let spent = 0;
    while ((await rest(discord, 'GET', `/channels/${ids[spent]}`)).status === 200) spent++;
    expect(spent).toBe(48); // the command upload and GET /gateway/bot took two
    expect(discord.rateLimits.globalLimited).toBe(1);

    const runs = Array.from({ length: 60 }, () => ada.run('ping'));
    await gateway.next(() => (gateway?.dispatched('INTERACTION_CREATE').length ?? 0) >= 60);
    const interactions = gateway
      .dispatched('INTERACTION_CREATE')
      .map((p) => p.d as { id: string; token: string });
    const callbacks = await Promise.all(
      interactions.map(({ id, token }) =>
        rest(discord, 'POST', `/interactions/${id}/${token}/callback`, { type: 5 }, { auth: false }),
      ),
    );
    expect(callbacks.map((c) => c.status)).toEqual(new Array(60).fill(204));
    const followUps = await Promise.all(
      interactions.map(({ token }, i) =>
        call(
          'POST',
          `/webhooks/${discord.applicationId}/${token}`,
          { content: `pong ${i}` },
          { auth: false },
        ),
      ),
    );
    expect(followUps.map((f) => f.status)).toEqual(new Array(60).fill(200));
    // Their per-route buckets still apply: five per webhook and token.
    expect(followUps[0]?.headers.get('x-ratelimit-limit')).toBe('5');
    expect(followUps[0]?.headers.get('x-ratelimit-remaining')).toBe('4');
    expect((await Promise.all(runs)).map((m) => m.content).sort()).toEqual(
      interactions.map((_, i) => `pong ${i}`).sort(),
    );
    expect(discord.rateLimits.globalLimited).toBe(1);
    // Everything else is still refused until the second has passed.
    expect((await call('GET', '/users/@me')).headers.get('x-ratelimit-scope')).toBe('global');
  });

  it('applies to the IP address when no authorization header is provided', async () => {
    const clock = manualClock();
    // A roomy bucket for the route, so only the global limit is in play.
    await setUp({
      rateLimits: { clock: clock.now, routes: { 'GET /gateway': { limit: 100, windowMs: 1000 } } },
    });
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => rest(discord, 'GET', '/gateway', undefined, { auth: false })),
    );
    expect(answers.filter((a) => a.status === 429)).toEqual([]);
    // The bot's own budget is separate…
    expect((await rest(discord, 'GET', '/users/@me')).status).toBe(200);
    // …and the IP's is spent.
    expect((await rest(discord, 'GET', '/gateway', undefined, { auth: false })).body).toMatchObject({
      global: true,
    });
  });
});

describe('the invalid request limit (topics/rate-limits.mdx, "Invalid Request Limit aka Cloudflare bans")', () => {
  it('counts 401, 403 and 429 answers', async () => {
    expect(INVALID_REQUEST_LIMIT).toEqual({ limit: 10_000, windowMs: 600_000 });
    const clock = manualClock();
    const { guild, ids } = await setUp({ rateLimits: { clock: clock.now } });
    const [reading = ''] = ids;
    expect((await rest(discord, 'GET', '/users/@me', undefined, { auth: false })).status).toBe(401);
    guild.channel('reading').setBotPermissions({ deny: ['SendMessages'] });
    expect((await post(reading)).status).toBe(403);
    guild.channel('reading').setBotPermissions({});
    for (let i = 0; i < 4; i++) await post(reading);
    expect((await post(reading)).status).toBe(429);
    // 200s and 404s are not invalid requests.
    expect((await rest(discord, 'GET', '/guilds/1/bans')).status).toBe(404);
    expect(discord.rateLimits.invalidRequests).toBe(3);
    clock.advance(600_000);
    expect(discord.rateLimits.invalidRequests).toBe(0);
  });

  it('past the limit, every request is refused (429, "error code: 1015") until the window has passed', async () => {
    const clock = manualClock();
    await setUp({ rateLimits: { clock: clock.now, invalidRequests: { limit: 20, windowMs: 600_000 } } });
    for (let i = 0; i < 20; i++) {
      expect((await rest(discord, 'GET', '/users/@me', undefined, { auth: false })).status).toBe(401);
    }
    expect(discord.rateLimits.invalidRequests).toBe(20);
    expect(discord.rateLimits.banned).toBe(true);
    // Even a valid request, and an interaction endpoint.
    const refused = await call('GET', '/users/@me');
    expect(refused.status).toBe(429);
    expect(refused.text).toBe('error code: 1015');
    expect(refused.headers.get('retry-after')).toBe('600');
    expect(refused.headers.get('x-ratelimit-limit')).toBeNull();
    expect((await call('POST', '/interactions/1/x/callback', { type: 1 }, { auth: false })).status).toBe(429);
    clock.advance(599_000);
    expect((await call('GET', '/users/@me')).headers.get('retry-after')).toBe('1');
    clock.advance(1000);
    expect(discord.rateLimits.banned).toBe(false);
    expect((await rest(discord, 'GET', '/users/@me')).status).toBe(200);
    expect(discord.rateLimits.served.filter((s) => s.scope === 'ban')).toHaveLength(3);
  });
});

describe('latency (`restLatencyMs`)', () => {
  it('delays every request before it takes effect', async () => {
    const { guild, ids } = await setUp({ restLatencyMs: 150 });
    const [reading = ''] = ids;
    const started = performance.now();
    const posting = post(reading, 'late');
    await sleep(50);
    expect(guild.channel('reading').messages()).toEqual([]);
    expect((await posting).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect(
      guild
        .channel('reading')
        .messages()
        .map((m) => m.content),
    ).toEqual(['late']);
  });
});
