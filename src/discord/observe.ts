import { type Client, type REST, RESTEvents, Status } from 'discord.js';
import { type HealthServer, startHealthServer } from '../observability/health.js';
import type { Metrics } from '../observability/metrics.js';

/** How often the gateway ping gauge is refreshed: discord.js measures it at each heartbeat (about 40 s). */
const PING_EVERY_MS = 15_000;

/**
 * Feeds the metrics what discord.js knows (REST 429s, each shard's heartbeat ping) and serves `/healthz`
 * and `/metrics`. The health check counts a shard connected once discord.js reports it ready.
 */
export async function observe(options: {
  readonly client: Client;
  readonly rests: readonly REST[];
  readonly metrics: Metrics;
  readonly port: number;
  readonly host: string;
  readonly shardIds: readonly number[];
  readonly lastTickAt: () => Date | undefined;
  readonly tickIntervalMs: number;
  readonly checkStore: () => Promise<boolean>;
}): Promise<{ readonly server: HealthServer; stop(): Promise<void> }> {
  const { client, metrics } = options;
  for (const rest of options.rests)
    rest.on(RESTEvents.RateLimited, (info) => metrics.rateLimited(info.global ? 'global' : 'route'));
  const shardHealth = () =>
    options.shardIds.map((id) => {
      const shard = client.ws.shards.get(id);
      return { id, connected: shard?.status === Status.Ready, pingMs: shard?.ping };
    });
  const pings = setInterval(() => {
    for (const shard of shardHealth())
      if (shard.pingMs !== undefined) metrics.gatewayPing(shard.id, shard.pingMs);
  }, PING_EVERY_MS);
  pings.unref();
  const server = await startHealthServer({
    port: options.port,
    host: options.host,
    shards: shardHealth,
    lastTickAt: options.lastTickAt,
    tickIntervalMs: options.tickIntervalMs,
    checkStore: options.checkStore,
    metrics,
  });
  return {
    server,
    async stop() {
      clearInterval(pings);
      await server.close();
    },
  };
}
