import { afterEach, describe, expect, it } from 'vitest';
import {
  type HealthReport,
  type HealthServer,
  type HealthServerOptions,
  healthStatus,
  type ShardHealth,
  STORE_CHECK_TIMEOUT_MS,
  startHealthServer,
} from '../../src/observability/health.js';
import { Metrics } from '../../src/observability/metrics.js';

const TICK_MS = 30_000;
const T0 = new Date('2026-01-05T12:00:00Z').getTime();

let servers: HealthServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

/** A server on a free port with everything healthy unless overridden; the clock is `now.ms`. */
async function start(overrides: Partial<HealthServerOptions> = {}, now = { ms: T0 }) {
  const server = await startHealthServer({
    port: 0,
    shards: () => [
      { id: 0, connected: true, pingMs: 41 },
      { id: 1, connected: true, pingMs: 57 },
    ],
    lastTickAt: () => new Date(now.ms - 5_000),
    tickIntervalMs: TICK_MS,
    checkStore: async () => true,
    metrics: new Metrics({ defaultMetrics: false }),
    clock: () => new Date(now.ms),
    ...overrides,
  });
  servers.push(server);
  const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;
  return { server, url, now };
}

async function healthz(url: (path: string) => string) {
  const response = await fetch(url('/healthz'));
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: (await response.json()) as HealthReport,
  };
}

const shards = (...connected: boolean[]): (() => ShardHealth[]) => {
  return () => connected.map((c, id) => ({ id, connected: c, pingMs: c ? 40 + id : -1 }));
};

describe('GET /healthz', () => {
  it('answers 200 ok with every shard, the tick age and the store', async () => {
    const { url } = await start();
    expect(await healthz(url)).toEqual({
      status: 200,
      type: 'application/json',
      body: {
        status: 'ok',
        shards: [
          { id: 0, connected: true, pingMs: 41 },
          { id: 1, connected: true, pingMs: 57 },
        ],
        lastTickAgeSeconds: 5,
        store: 'reachable',
      },
    });
  });

  it('is degraded (503) when a shard is disconnected', async () => {
    const { url } = await start({ shards: shards(true, false) });
    const { status, body } = await healthz(url);
    expect(status).toBe(503);
    expect(body).toMatchObject({
      status: 'degraded',
      shards: [
        { id: 0, connected: true, pingMs: 40 },
        { id: 1, connected: false, pingMs: null },
      ],
      store: 'reachable',
    });
  });

  it('is degraded when the last tick is older than 3 tick intervals, and ok at exactly 3', async () => {
    const now = { ms: T0 };
    let lastTick = new Date(T0 - 3 * TICK_MS);
    const { url } = await start({ lastTickAt: () => lastTick }, now);
    expect(await healthz(url)).toMatchObject({ status: 200, body: { status: 'ok', lastTickAgeSeconds: 90 } });
    lastTick = new Date(T0 - 3 * TICK_MS - 1_000);
    expect(await healthz(url)).toMatchObject({
      status: 503,
      body: { status: 'degraded', lastTickAgeSeconds: 91 },
    });
  });

  it('counts a scheduler that never ticked from the server start: ok at first, degraded once overdue', async () => {
    const now = { ms: T0 };
    const { url } = await start({ lastTickAt: () => undefined }, now);
    expect(await healthz(url)).toMatchObject({
      status: 200,
      body: { status: 'ok', lastTickAgeSeconds: null },
    });
    now.ms += 3 * TICK_MS + 1;
    expect(await healthz(url)).toMatchObject({
      status: 503,
      body: { status: 'degraded', lastTickAgeSeconds: null },
    });
  });

  it('ignores the tick age when the scheduler is off (interval 0)', async () => {
    const { url } = await start({ tickIntervalMs: 0, lastTickAt: () => undefined }, { ms: T0 + 86_400_000 });
    expect((await healthz(url)).body.status).toBe('ok');
  });

  it('is down (503) when no shard is connected, or there are none yet', async () => {
    const none = await start({ shards: shards(false, false) });
    expect(await healthz(none.url)).toMatchObject({
      status: 503,
      body: { status: 'down', store: 'reachable' },
    });
    const empty = await start({ shards: () => [] });
    expect(await healthz(empty.url)).toMatchObject({ status: 503, body: { status: 'down', shards: [] } });
  });

  it('is down when the store check answers false, rejects or throws', async () => {
    for (const checkStore of [
      async () => false,
      async () => Promise.reject(new Error('ECONNREFUSED')),
      () => {
        throw new Error('synchronous');
      },
    ]) {
      const { url } = await start({ checkStore });
      expect(await healthz(url)).toMatchObject({
        status: 503,
        body: { status: 'down', store: 'unreachable' },
      });
    }
  });

  it('answers a hung store as unreachable once the check times out, sharing one check between requests', async () => {
    let checks = 0;
    const { url } = await start({
      checkStore: () => {
        checks++;
        return new Promise<boolean>(() => {});
      },
      storeTimeoutMs: 50,
    });
    const started = performance.now();
    const answers = await Promise.all([healthz(url), healthz(url), healthz(url)]);
    const elapsed = performance.now() - started;
    for (const answer of answers)
      expect(answer).toMatchObject({ status: 503, body: { status: 'down', store: 'unreachable' } });
    expect(elapsed).toBeGreaterThanOrEqual(45);
    expect(elapsed).toBeLessThan(1_000);
    expect(checks).toBe(1);
    // The timed-out check is not waited on again: the next probe starts a fresh one.
    await healthz(url);
    expect(checks).toBe(2);
  });

  it('recovers as soon as the store answers again', async () => {
    let reachable = false;
    const { url } = await start({ checkStore: async () => reachable });
    expect((await healthz(url)).body.store).toBe('unreachable');
    reachable = true;
    expect(await healthz(url)).toMatchObject({ status: 200, body: { store: 'reachable' } });
  });

  it('waits less than a second for the store by default', () => {
    expect(STORE_CHECK_TIMEOUT_MS).toBeLessThan(1_000);
  });
});

describe('the health rule', () => {
  const base = { storeReachable: true, tickAgeMs: 0, tickIntervalMs: TICK_MS };
  it('puts down before degraded', () => {
    expect(healthStatus({ ...base, shards: shards(false, false)(), tickAgeMs: 10 * TICK_MS })).toBe('down');
    expect(healthStatus({ ...base, shards: shards(true)(), storeReachable: false })).toBe('down');
    expect(healthStatus({ ...base, shards: shards(true, false)() })).toBe('degraded');
    expect(healthStatus({ ...base, shards: shards(true)() })).toBe('ok');
  });
});

describe('GET /metrics', () => {
  it("serves the registry's text with prom-client's content type", async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const { url } = await start({ metrics });
    metrics.interactionAnswered('command', 'excerpt', 'answered', 0.02);
    metrics.posted('kickoff');
    const response = await fetch(url('/metrics'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(metrics.contentType);
    const lines = (await response.text()).split('\n');
    expect(lines).toContain('crux_interactions_total{kind="command",name="excerpt",outcome="answered"} 1');
    expect(lines).toContain('crux_posts_total{kind="kickoff"} 1');
  });
});

describe('everything else', () => {
  it('answers 404 for other paths and 405 for other methods; HEAD gets headers only', async () => {
    const { url } = await start();
    expect((await fetch(url('/'))).status).toBe(404);
    expect((await fetch(url('/healthz/extra'))).status).toBe(404);
    const post = await fetch(url('/healthz'), { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(url('/healthz'), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    // A query string does not change the path.
    expect((await fetch(url('/healthz?verbose=1'))).status).toBe(200);
  });

  it('answers 500, and keeps serving, if a callback throws', async () => {
    let fail = true;
    const { url } = await start({
      shards: () => {
        if (fail) throw new Error('boom');
        return shards(true)();
      },
    });
    expect((await fetch(url('/healthz'))).status).toBe(500);
    fail = false;
    expect((await fetch(url('/healthz'))).status).toBe(200);
  });

  it('listens on loopback by default and closes with keep-alive connections open', async () => {
    const server = await startHealthServer({
      port: 0,
      shards: shards(true),
      lastTickAt: () => new Date(),
      tickIntervalMs: TICK_MS,
      checkStore: async () => true,
      metrics: new Metrics({ defaultMetrics: false }),
    });
    expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
    await server.close();
    await expect(fetch(`http://127.0.0.1:${server.port}/healthz`)).rejects.toThrow();
  });

  it('rejects when the port is taken', async () => {
    const { server } = await start();
    await expect(
      start({ port: server.port, host: '127.0.0.1' }).then(({ server: second }) => second.port),
    ).rejects.toThrow(/EADDRINUSE/u);
  });
});
