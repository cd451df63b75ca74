import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { populateErrorResponse, populateSuccessfulResponse } from '@discordjs/proxy';
import { REST, RequestMethod, type RouteLike } from 'discord.js';
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

/**
 * Forwards one request, as @discordjs/proxy's `proxyRequests` does, with one difference: the body is read
 * whole first. `proxyRequests` streams the incoming request through as the body, and a request that
 * @discordjs/rest then retries (after a 429 or a 5xx) went out again with the stream already consumed, an
 * empty body Discord refuses (400), while the bot had been promised a retry.
 */
async function forward(rest: REST, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://proxy');
  const route = url.pathname.replace(/^\/api(\/v\d+)?/u, '');
  const method = METHODS.find((known) => known === request.method);
  if (!method || !isRoute(route)) {
    response.statusCode = 405;
    response.end();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += bytes.length;
    // Held in memory to be sent again: a body past anything Discord accepts is refused, not buffered.
    if (size > MAX_BODY_BYTES) {
      response.statusCode = 413;
      response.end();
      return;
    }
    chunks.push(bytes);
  }
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'authorization', 'x-audit-log-reason']) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  try {
    const answer = await rest.queueRequest({
      fullRoute: route,
      method,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks), passThroughBody: true } : {}),
      query: url.searchParams,
      headers,
      // Each request carries the bot's own Authorization header: the proxy holds no token.
      auth: false,
    });
    await populateSuccessfulResponse(response, answer);
  } catch (error) {
    if (!populateErrorResponse(response, error)) throw error;
  } finally {
    response.end();
  }
}

/** Larger than any request Discord accepts (uploads are capped far below it). */
const MAX_BODY_BYTES = 100 * 1024 * 1024;

const METHODS = [
  RequestMethod.Get,
  RequestMethod.Post,
  RequestMethod.Put,
  RequestMethod.Patch,
  RequestMethod.Delete,
] as const;

/** A path @discordjs/rest accepts as a route: `/channels/…`. */
function isRoute(path: string): path is RouteLike {
  return /^\/[^/]/u.test(path);
}

export async function startRestProxy(options: {
  readonly port: number;
  readonly host?: string;
  /** Discord's API, or the emulator's; discord.com by default. */
  readonly api?: string | undefined;
  /** Requests a second for all processes together; below Discord's 50 by default. */
  readonly requestsPerSecond?: number;
}): Promise<RestProxy> {
  const rest = new REST({
    globalRequestsPerSecond: options.requestsPerSecond ?? BOUNDED_REQUESTS_PER_SECOND,
    ...(options.api ? { api: options.api } : {}),
  });
  const server = createServer((request, response) => {
    forward(rest, request, response).catch(() => {
      // Nothing @discordjs/proxy can put in a response (a network error on the way to Discord).
      if (!response.headersSent) response.statusCode = 502;
      response.end();
    });
  });
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
