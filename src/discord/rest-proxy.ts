import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { proxyRequests } from '@discordjs/proxy';
import { REST } from 'discord.js';
import { BOUNDED_REQUESTS_PER_SECOND } from './rest.js';

/**
 * One place every bot process sends its rate-limited requests through, so that Discord's global limit (50
 * requests a second per bot token, however many processes share it) is counted once: @discordjs/proxy in
 * front of one @discordjs/rest client, which queues per route and globally as a single process's client
 * would. Each request keeps its own Authorization header; the proxy holds no token.
 *
 * Interaction responses do not go through it: Discord does not count them against the global limit, and a
 * member's answer must not queue behind another process's scheduled posts.
 */
export interface RestProxy {
  /** The port it listens on (the one picked, when asked for port 0). */
  readonly port: number;
  /** The base URL bot processes use (`DISCORD_REST_PROXY`). */
  readonly url: string;
  close(): Promise<void>;
}

export async function startRestProxy(options: {
  readonly port: number;
  readonly host?: string;
  /** Discord's API, or the emulator's; discord.com by default. */
  readonly api?: string | undefined;
}): Promise<RestProxy> {
  const rest = new REST({
    globalRequestsPerSecond: BOUNDED_REQUESTS_PER_SECOND,
    ...(options.api ? { api: options.api } : {}),
  });
  const server = createServer(proxyRequests(rest));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://${host}:${port}/api`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
