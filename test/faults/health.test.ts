import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { kickoffSessions, newGroup } from '../e2e/groups.js';
import { type ChildWorld, childWorld } from './harness.js';

/**
 * The bot as an operator runs it with HEALTH_PORT: /healthz says whether each shard is connected, when the
 * scheduler last ticked and whether the store answers; /metrics counts what the bot did.
 */
let world: ChildWorld;
beforeAll(async () => {
  world = await childWorld({ start: '2027-05-10T12:00:00Z' });
});
afterAll(async () => world?.close());

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

it('serves /healthz and /metrics that follow what the bot does', async () => {
  const port = await freePort();
  const bot = await world.start({ HEALTH_PORT: String(port), SHARD_COUNT: '2' });
  const base = `http://127.0.0.1:${port}`;

  const health = await fetch(`${base}/healthz`);
  const report = (await health.json()) as { status: string; shards: { id: number; connected: boolean }[] };
  // No tick yet (the test drives them), but both shards are up and the store answers.
  expect(report.shards).toEqual([
    expect.objectContaining({ id: 0, connected: true }),
    expect.objectContaining({ id: 1, connected: true }),
  ]);
  expect(report).toMatchObject({ store: 'reachable', lastTickAgeSeconds: null });

  const group = await newGroup(world, 'Observed');
  await bot.tick(group.session(1));
  expect(kickoffSessions(group.reading)).toEqual([1]);

  const metrics = await (await fetch(`${base}/metrics`)).text();
  expect(metrics).toMatch(
    /crux_interactions_total\{[^}]*kind="command",name="schedule",outcome="answered"[^}]*\} 1/u,
  );
  expect(metrics).toMatch(/crux_posts_total\{[^}]*kind="kickoff"[^}]*\} 1/u);
  expect(metrics).toMatch(/crux_scheduler_tick_duration_seconds_count\{[^}]*\} 1/u);
  const after = (await (await fetch(`${base}/healthz`)).json()) as {
    status: string;
    lastTickAgeSeconds: number;
  };
  expect(after.status).toBe('ok');
  expect(after.lastTickAgeSeconds).toBeGreaterThanOrEqual(0);
}, 60_000);
