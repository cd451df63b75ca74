import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from './metrics.js';

/**
 * A small HTTP server for probes and scrapers: `GET /healthz` says whether this process can do its job,
 * `GET /metrics` serves its Prometheus metrics. It is started only when a port is configured, and takes its
 * inputs as plain callbacks so it knows nothing of discord.js or the stores.
 */

/** One gateway shard as the health check sees it. */
export interface ShardHealth {
  readonly id: number;
  readonly connected: boolean;
  /** The last heartbeat round trip in milliseconds, or undefined (or negative) before the first one. */
  readonly pingMs?: number | undefined;
}

/** `ok`: everything works. `degraded`: working in part. `down`: cannot serve members at all. */
export type HealthStatus = 'ok' | 'degraded' | 'down';

/** The JSON body of `GET /healthz`. */
export interface HealthReport {
  readonly status: HealthStatus;
  readonly shards: readonly {
    readonly id: number;
    readonly connected: boolean;
    readonly pingMs: number | null;
  }[];
  /** Seconds since the scheduler's last tick; null if it has not ticked yet. */
  readonly lastTickAgeSeconds: number | null;
  readonly store: 'reachable' | 'unreachable';
}

/** What the health server reads, and where it listens. */
export interface HealthServerOptions {
  /** The TCP port; 0 picks a free one (see {@link HealthServer.port}). */
  readonly port: number;
  /**
   * The address to listen on. Default `127.0.0.1`: on a host, metrics and health stay private unless asked
   * for. In a container set `0.0.0.0` (the Dockerfile's HEALTHCHECK probes loopback, which works either way,
   * but a scraper in another container needs the container's own address).
   */
  readonly host?: string;
  /** This process's shards, as they are now. */
  readonly shards: () => readonly ShardHealth[];
  /** When the scheduler last finished a tick, if it has. */
  readonly lastTickAt: () => Date | undefined;
  /** The scheduler's interval; a last tick older than 3× this is `degraded`. 0 turns the tick rule off. */
  readonly tickIntervalMs: number;
  /** Resolves true if the state store answers; false or a rejection means unreachable. */
  readonly checkStore: () => Promise<boolean>;
  readonly metrics: Metrics;
  /** How long the store check may take before the store counts as unreachable. Default 750 ms. */
  readonly storeTimeoutMs?: number;
  readonly clock?: () => Date;
}

/** A running health server. */
export interface HealthServer {
  /** The port it listens on (the one picked, when asked for port 0). */
  readonly port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** The default store check timeout: short enough that `/healthz` answers within a second. */
export const STORE_CHECK_TIMEOUT_MS = 750;

/** A last tick older than this many tick intervals makes the process `degraded`. */
export const STALE_TICK_INTERVALS = 3;

/**
 * The health rule: `down` if no shard is connected or the store is unreachable; `degraded` if some shard is
 * disconnected or the scheduler has not ticked for more than 3 intervals; otherwise `ok`.
 * `tickAgeMs` is the time since the last tick (or since start, if there has been none).
 */
export function healthStatus(input: {
  readonly shards: readonly ShardHealth[];
  readonly storeReachable: boolean;
  readonly tickAgeMs: number;
  readonly tickIntervalMs: number;
}): HealthStatus {
  const connected = input.shards.filter((shard) => shard.connected).length;
  if (connected === 0 || !input.storeReachable) return 'down';
  const stale = input.tickIntervalMs > 0 && input.tickAgeMs > STALE_TICK_INTERVALS * input.tickIntervalMs;
  if (connected < input.shards.length || stale) return 'degraded';
  return 'ok';
}

/** Starts the health server; resolves once it is listening. */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const clock = options.clock ?? (() => new Date());
  const startedAt = clock().getTime();
  const timeoutMs = options.storeTimeoutMs ?? STORE_CHECK_TIMEOUT_MS;
  const storeReachable = singleFlight(() => withTimeout(options.checkStore, timeoutMs));

  async function report(): Promise<HealthReport> {
    const shards = options.shards();
    const reachable = await storeReachable();
    const now = clock().getTime();
    const lastTick = options.lastTickAt();
    const tickAgeMs = now - (lastTick?.getTime() ?? startedAt);
    return {
      status: healthStatus({
        shards,
        storeReachable: reachable,
        tickAgeMs,
        tickIntervalMs: options.tickIntervalMs,
      }),
      shards: shards.map((shard) => ({
        id: shard.id,
        connected: shard.connected,
        pingMs:
          shard.pingMs !== undefined && Number.isFinite(shard.pingMs) && shard.pingMs >= 0
            ? shard.pingMs
            : null,
      })),
      lastTickAgeSeconds: lastTick ? Math.max(0, Math.round((now - lastTick.getTime()) / 100) / 10) : null,
      store: reachable ? 'reachable' : 'unreachable',
    };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://health').pathname;
    if (path !== '/healthz' && path !== '/metrics') return send(response, 404, 'text/plain', 'not found\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return send(response, 405, 'text/plain', 'method not allowed\n');
    }
    if (path === '/metrics') {
      return send(response, 200, options.metrics.contentType, await options.metrics.text());
    }
    const body = await report();
    return send(response, body.status === 'ok' ? 200 : 503, 'application/json', `${JSON.stringify(body)}\n`);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) send(response, 500, 'text/plain', 'internal error\n');
      else response.destroy();
    });
  });
  // Probes answer in a second; nothing legitimate holds a connection open for long.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

/**
 * Runs `check`, answering false if it rejects, throws, or has not answered within `ms`. The check itself is
 * not cancelled (a store client has its own timeouts); the caller just stops waiting for it.
 */
function withTimeout(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    timer.unref();
    const done = (value: boolean) => {
      clearTimeout(timer);
      resolve(value);
    };
    try {
      check().then(
        (ok) => done(ok === true),
        () => done(false),
      );
    } catch {
      done(false);
    }
  });
}

/**
 * Requests that arrive while a check is running share it, so a burst of probes against a hung store starts
 * one check per timeout window rather than one each.
 */
function singleFlight<T>(run: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= run().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}
