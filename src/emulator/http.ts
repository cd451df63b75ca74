import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { DiscordHttpError, ErrorCode } from './errors.js';
import type { Faults } from './faults.js';
import { type RateLimitSettings, RateLimits, type Refusal } from './ratelimits.js';

/** The per-route rate-limit headers (rate-limits.mdx, "Header Format"). */
const BUCKET_HEADERS = [
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'x-ratelimit-reset-after',
  'x-ratelimit-bucket',
] as const;

/** A file uploaded with a multipart request. */
export interface UploadedFile {
  readonly field: string;
  readonly name: string;
  readonly contentType: string;
  readonly data: Buffer;
}

/** What a route handler gets. */
export interface RouteRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Parsed JSON, or `payload_json` of a multipart request. */
  readonly body: unknown;
  readonly files: readonly UploadedFile[];
}

export interface RouteResponse {
  readonly status?: number;
  readonly body?: unknown;
}

type Handler = (request: RouteRequest) => RouteResponse | Promise<RouteResponse>;

interface Route {
  readonly method: string;
  /** "POST /channels/:channelId/messages": how faults and the request log name it. */
  readonly name: string;
  readonly pattern: RegExp;
  readonly keys: readonly string[];
  readonly auth: boolean;
  readonly handler: Handler;
}

/** One request the emulator answered. */
export interface LoggedRequest {
  readonly route: string;
  readonly path: string;
  readonly status: number;
  readonly body: unknown;
}

/** Thrown inside a request to answer a rate limiter's 429 instead of handling it. */
class RateLimited extends Error {
  constructor(readonly refusal: Refusal) {
    super('rate limited');
  }
}

/**
 * The REST side: routes under /api/v10, bot-token authentication, JSON and multipart bodies, rate limits,
 * latency, faults, and Discord-shaped errors. Unknown routes answer 404 so a missing emulation shows up in
 * tests at once.
 */
export class HttpApi {
  readonly #routes: Route[] = [];
  readonly #server: Server;
  readonly #token: string;
  readonly #faults: Faults;
  readonly #latencyMs: number;
  /** Discord's rate limits (ratelimits.ts), enforced unless `rateLimits: false`. */
  readonly rateLimits: RateLimits;
  readonly log: LoggedRequest[] = [];
  onUpgrade:
    | ((request: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => void)
    | undefined;

  #inFlight = 0;
  readonly #idleWaiters: (() => void)[] = [];

  /** Resolves once no request is being handled (including slow ones whose client has gone). */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  constructor(options: {
    readonly token: string;
    readonly faults: Faults;
    readonly rateLimits?: boolean | RateLimitSettings | undefined;
    readonly latencyMs?: number | undefined;
  }) {
    this.#token = options.token;
    this.#faults = options.faults;
    this.rateLimits = new RateLimits(options.rateLimits ?? true);
    this.#latencyMs = options.latencyMs ?? 0;
    this.#server = createServer((req, res) => {
      this.#inFlight++;
      void this.#handle(req, res).finally(() => {
        this.#inFlight--;
        if (this.#inFlight === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
      });
    });
    this.#server.on('upgrade', (req, socket, head) => this.onUpgrade?.(req, socket, head));
  }

  /** Adds a route; `auth: false` for token-in-URL routes (interaction callbacks and webhooks). */
  route(method: string, path: string, handler: Handler, options: { auth?: boolean } = {}): void {
    const keys: string[] = [];
    const pattern = new RegExp(
      `^${path
        .replace(/[.*+?^${}()|[\]\\]/gu, (c) => `\\${c}`)
        .replace(/:(\w+)/gu, (_, key: string) => {
          keys.push(key);
          return '([^/]+)';
        })}$`,
      'u',
    );
    this.#routes.push({
      method,
      name: `${method} ${path}`,
      pattern,
      keys,
      auth: options.auth ?? true,
      handler,
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return (this.#server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The network's latency, before anything happens, so the request takes effect only after it.
    if (this.#latencyMs > 0) await sleep(this.#latencyMs);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // Clients percent-encode segments ("@original" arrives as "%40original"); routes match decoded paths.
    const path = decodeURIComponent(url.pathname.replace(/^\/api(\/v\d+)?/u, ''));
    const method = req.method ?? 'GET';
    let status = 500;
    let body: unknown;
    let text: string | undefined;
    let routeName = `${method} ${path}`;
    const limits = this.rateLimits;
    try {
      const found = this.#match(method, path);
      if (found) routeName = found.route.name;
      // The invalid request ban, then the global limit, come before anything else; neither needs a route.
      const refusal = limits.ban(routeName, path) ?? limits.global(this.#globalKey(req), routeName, path);
      if (refusal) throw new RateLimited(refusal);
      if (!found)
        throw new DiscordHttpError(
          404,
          ErrorCode.General,
          `404: Not Found (${method} ${path} is not emulated)`,
        );
      const { route, params } = found;
      if (route.auth && req.headers.authorization !== `Bot ${this.#token}`) {
        throw new DiscordHttpError(401, ErrorCode.General, '401: Unauthorized');
      }
      // The route's bucket: counted before the handler, so a request that fails (400, 404…) still uses it.
      const bucket = limits.route(route.name, path);
      if (bucket?.refused) throw new RateLimited(bucket);
      for (const [name, value] of Object.entries(bucket?.headers ?? {})) res.setHeader(name, value);
      const { body: parsed, files } = await readBody(req);
      const fault = this.#faults.take(route.name, `${method} ${path}`, JSON.stringify(parsed ?? null));
      if (fault?.type === 'slow') await sleep(fault.delayMs);
      if (fault?.type === 'rate-limit') {
        status = 429;
        body = {
          message: 'You are being rate limited.',
          retry_after: fault.retryAfterSeconds,
          global: fault.global,
          code: 0,
        };
        res.setHeader('retry-after', String(Math.ceil(fault.retryAfterSeconds)));
        res.setHeader('x-ratelimit-scope', fault.global ? 'global' : 'user');
        if (fault.global) {
          res.setHeader('x-ratelimit-global', 'true');
          for (const name of BUCKET_HEADERS) res.removeHeader(name);
        } else {
          // As if the route's bucket were empty until `retry_after`; the real bucket's limit and id if
          // rate limits are on, so a client keeps one bucket for the route.
          const resetAfter = fault.retryAfterSeconds;
          if (!res.hasHeader('x-ratelimit-limit')) res.setHeader('x-ratelimit-limit', '5');
          res.setHeader('x-ratelimit-remaining', '0');
          res.setHeader('x-ratelimit-reset', ((Date.now() + resetAfter * 1000) / 1000).toFixed(3));
          res.setHeader('x-ratelimit-reset-after', String(resetAfter));
          if (!res.hasHeader('x-ratelimit-bucket')) res.setHeader('x-ratelimit-bucket', route.name);
        }
      } else if (fault?.type === 'server-error' && !fault.after) {
        status = fault.status;
        body = { message: `${fault.status}: Server Error`, code: 0 };
      } else {
        const result = await route.handler({ params, query: url.searchParams, body: parsed, files });
        status = result.status ?? (result.body === undefined ? 204 : 200);
        body = result.body;
        if (fault?.type === 'server-error') {
          status = fault.status;
          body = { message: `${fault.status}: Server Error`, code: 0 };
        }
      }
    } catch (error) {
      if (error instanceof RateLimited) {
        status = error.refusal.status;
        body = error.refusal.body;
        text = error.refusal.text;
        for (const name of BUCKET_HEADERS) res.removeHeader(name);
        for (const [name, value] of Object.entries(error.refusal.headers)) res.setHeader(name, value);
      } else if (error instanceof DiscordHttpError) {
        status = error.status;
        body = error.body;
      } else {
        status = 500;
        body = {
          message: `emulator error: ${error instanceof Error ? error.message : String(error)}`,
          code: 0,
        };
      }
    }
    limits.answered(status, res.getHeader('x-ratelimit-scope')?.toString());
    this.log.push({ route: routeName, path, status, body: text ?? body });
    res.statusCode = status;
    if (text !== undefined) {
      res.setHeader('content-type', 'text/plain');
      res.end(text);
      return;
    }
    if (body === undefined) {
      res.end();
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  }

  /**
   * Whose global limit a request counts against: the bot's, or with no (or another) token, the IP
   * address's (rate-limits.mdx, "Global Rate Limit": "If no authorization header is provided, then the
   * limit is applied to the IP address"); every client of the emulator is on 127.0.0.1.
   */
  #globalKey(req: IncomingMessage): string {
    const authorization = req.headers.authorization;
    return authorization === `Bot ${this.#token}` ? 'bot' : authorization ? `token ${authorization}` : 'ip';
  }

  #match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const route of this.#routes) {
      if (route.method !== method) continue;
      const match = route.pattern.exec(path);
      if (!match) continue;
      const params = Object.fromEntries(route.keys.map((key, i) => [key, match[i + 1] ?? '']));
      return { route, params };
    }
    return undefined;
  }
}

/** Reads a JSON or multipart body (multipart: `payload_json` plus `files[n]`), as discord.js sends them. */
async function readBody(req: IncomingMessage): Promise<{ body: unknown; files: UploadedFile[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return { body: undefined, files: [] };
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = await new Request('http://127.0.0.1/', {
      method: 'POST',
      headers: { 'content-type': type },
      body: raw,
    }).formData();
    const files: UploadedFile[] = [];
    let body: unknown;
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value);
      } else {
        files.push({
          field,
          name: value.name,
          contentType: value.type,
          data: Buffer.from(await value.arrayBuffer()),
        });
      }
    }
    return { body, files };
  }
  try {
    return { body: JSON.parse(raw.toString('utf8')), files: [] };
  } catch {
    throw new DiscordHttpError(400, ErrorCode.General, '400: Bad Request (body is not JSON)');
  }
}
