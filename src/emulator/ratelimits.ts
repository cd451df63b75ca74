import { createHash } from 'node:crypto';

/**
 * Discord's REST rate limits as developers/topics/rate-limits.mdx documents them: per-route buckets keyed by
 * the top-level resource in the path, the global limit of 50 requests a second (which interaction endpoints
 * are not bound to), and the invalid request limit ("Cloudflare bans").
 *
 * Every window runs in REAL time (`performance.now`), never on the emulator's clock: clients such as
 * discord.js compute their waits from the headers and sleep in real time, and tests move the emulator's
 * clock by days, which must neither empty nor fill a bucket.
 */

/** `limit` requests per `windowMs` real milliseconds. */
export interface Limit {
  readonly limit: number;
  readonly windowMs: number;
}

/**
 * Per-route limits, by the emulator's route name. THESE NUMBERS ARE EXAMPLES: Discord does not publish
 * per-route limits and says they "should not be hard coded into your app" (rate-limits.mdx, the Info box at
 * the top); clients must follow the headers. They mimic what Discord's headers commonly report (the docs'
 * own header example is `X-RateLimit-Limit: 5`): five messages per five seconds in one channel, and so on.
 * Each limit counts per route *and* top-level resource (see `majorParameter`).
 */
export const ROUTE_LIMITS: Readonly<Record<string, Limit>> = {
  'POST /channels/:channelId/messages': { limit: 5, windowMs: 5000 },
  'PATCH /channels/:channelId/messages/:messageId': { limit: 5, windowMs: 5000 },
  'DELETE /channels/:channelId/messages/:messageId': { limit: 5, windowMs: 1000 },
  'POST /channels/:channelId/messages/:messageId/threads': { limit: 5, windowMs: 5000 },
  'POST /channels/:channelId/polls/:messageId/expire': { limit: 5, windowMs: 5000 },
  // "Interactions webhooks share the same rate limit properties as normal webhooks"
  // (interactions/receiving-and-responding.mdx, "Followup Messages"): per webhook id + token.
  'POST /webhooks/:appId/:token': { limit: 5, windowMs: 2000 },
  'GET /webhooks/:appId/:token/messages/@original': { limit: 5, windowMs: 2000 },
  'PATCH /webhooks/:appId/:token/messages/@original': { limit: 5, windowMs: 2000 },
  'DELETE /webhooks/:appId/:token/messages/@original': { limit: 5, windowMs: 2000 },
  'PATCH /webhooks/:appId/:token/messages/:messageId': { limit: 5, windowMs: 2000 },
  'DELETE /webhooks/:appId/:token/messages/:messageId': { limit: 5, windowMs: 2000 },
  'PUT /applications/:appId/commands': { limit: 2, windowMs: 5000 },
  'PUT /applications/:appId/guilds/:guildId/commands': { limit: 2, windowMs: 5000 },
};

/** Any route the table does not list (also an example). */
export const DEFAULT_ROUTE_LIMIT: Limit = { limit: 5, windowMs: 1000 };

/** rate-limits.mdx, "Global Rate Limit": "All bots can make up to 50 requests per second to our API." */
export const GLOBAL_LIMIT: Limit = { limit: 50, windowMs: 1000 };

/**
 * rate-limits.mdx, "Invalid Request Limit aka Cloudflare bans": "Currently, this limit is 10,000 per 10
 * minutes. An invalid request is one that results in 401, 403, or 429 statuses."
 */
export const INVALID_REQUEST_LIMIT: Limit = { limit: 10_000, windowMs: 10 * 60_000 };

/** Replaces Discord's numbers for one emulator, e.g. short windows so a test need not wait. */
export interface RateLimitSettings {
  /** Per-route limits by route name, over `ROUTE_LIMITS`. */
  readonly routes?: Readonly<Record<string, Limit>>;
  readonly defaultRoute?: Limit;
  readonly global?: Limit;
  readonly invalidRequests?: Limit;
  /**
   * The limiter's real-time clock in milliseconds (default `performance.now`), so a test can move it
   * instead of waiting. Not the emulator's `now`.
   */
  readonly clock?: () => number;
}

/** A 429 the rate limiter served. */
export interface ServedRateLimit {
  readonly route: string;
  readonly path: string;
  /** `user`: a per-route bucket; `global`: the global limit; `ban`: the invalid request limit. */
  readonly scope: 'user' | 'global' | 'ban';
  readonly retryAfterSeconds: number;
}

/** A request the limiter refuses: what to answer instead of handling it. */
export interface Refusal {
  readonly status: 429;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON for Discord's own 429s; plain text for the Cloudflare ban. */
  readonly body: unknown;
  readonly text?: string;
}

/** The rate-limit headers of an accepted request, or the refusal of one past its bucket. */
export type RouteDecision =
  | { readonly refused: false; readonly headers: Readonly<Record<string, string>> }
  | ({ readonly refused: true } & Refusal);

interface Window {
  count: number;
  /** Real time (`performance.now`) at which the window ends. */
  resetAt: number;
}

/**
 * rate-limits.mdx, "Global Rate Limit": "Interaction endpoints are not bound to the bot's Global Rate Limit";
 * interactions/receiving-and-responding.mdx, "Endpoints", lists them: the callback, and the webhook routes
 * with the interaction token (original response get/edit/delete, follow-ups and their get/edit/delete).
 * The emulator has no webhooks other than interaction tokens, so everything under /webhooks/ is one.
 */
export function isInteractionEndpoint(path: string): boolean {
  return /^\/interactions\/[^/]+\/[^/]+\/callback$/u.test(path) || path.startsWith('/webhooks/');
}

/**
 * The top-level resource a bucket is counted per (rate-limits.mdx, the paragraph after the Info box):
 * "Top-level resources are currently limited to channels (`channel_id`), guilds (`guild_id`), and webhooks
 * (`webhook_id` or `webhook_id + webhook_token`)". The docs are silent on interaction callbacks; the
 * emulator counts each interaction (id + token) on its own, since a bucket shared by every interaction of
 * a bot would make answering many members at once impossible, which Discord does not do.
 */
export function majorParameter(path: string): string {
  const match =
    /^\/(?:channels|guilds)\/([^/]+)/u.exec(path) ??
    /^\/webhooks\/([^/]+\/[^/]+)/u.exec(path) ??
    /^\/interactions\/([^/]+\/[^/]+)\/callback$/u.exec(path);
  return match?.[1] ?? '';
}

const seconds = (ms: number): number => Math.max(0.001, Math.round(ms) / 1000);

/**
 * Bucket accounting. Each limit is a fixed window that opens with the first request after the previous
 * one closed, which is what the headers describe: `Remaining` counts down, and at `Reset` the whole limit
 * is back.
 */
export class RateLimits {
  /** Whether limits are enforced (`EmulatorOptions.rateLimits`). */
  readonly enabled: boolean;
  /** Every 429 the limiter served (not `faults`), in order, for assertions. */
  readonly served: ServedRateLimit[] = [];
  readonly #routes: Readonly<Record<string, Limit>>;
  readonly #defaultRoute: Limit;
  readonly #global: Limit;
  readonly #invalid: Limit;
  readonly #now: () => number;
  readonly #buckets = new Map<string, Window>();
  readonly #globals = new Map<string, Window>();
  #invalids: Window | undefined;

  constructor(settings: boolean | RateLimitSettings = true) {
    this.enabled = settings !== false;
    const custom = typeof settings === 'object' ? settings : {};
    this.#routes = { ...ROUTE_LIMITS, ...custom.routes };
    this.#defaultRoute = custom.defaultRoute ?? DEFAULT_ROUTE_LIMIT;
    this.#global = custom.global ?? GLOBAL_LIMIT;
    this.#invalid = custom.invalidRequests ?? INVALID_REQUEST_LIMIT;
    this.#now = custom.clock ?? (() => performance.now());
  }

  /** How many per-route 429s were served. */
  get routeLimited(): number {
    return this.served.filter((s) => s.scope === 'user').length;
  }

  /** How many global 429s were served. */
  get globalLimited(): number {
    return this.served.filter((s) => s.scope === 'global').length;
  }

  /** Invalid requests (401, 403, 429) counted in the current 10-minute window. */
  get invalidRequests(): number {
    return this.#current(this.#invalids)?.count ?? 0;
  }

  /** Whether requests are refused for exceeding the invalid request limit. */
  get banned(): boolean {
    return this.#banEnd() !== undefined;
  }

  /** The limit that applies to a route (by name). */
  limitOf(route: string): Limit {
    return this.#routes[route] ?? this.#defaultRoute;
  }

  /**
   * rate-limits.mdx, "Invalid Request Limit aka Cloudflare bans": "IP addresses that make too many invalid
   * HTTP requests are automatically and temporarily restricted from accessing the Discord API." The docs
   * do not say how the restriction answers or how long it lasts; the emulator answers what Cloudflare is
   * widely reported to (429, the text "error code: 1015", no X-RateLimit headers) with a `Retry-After`
   * so clients do not hammer, until the 10-minute window in which the limit was reached ends. The limit is
   * per IP address; every client of the emulator is on 127.0.0.1, so there is one count.
   */
  ban(route: string, path: string): Refusal | undefined {
    if (!this.enabled) return undefined;
    const end = this.#banEnd();
    if (end === undefined) return undefined;
    const retryAfterSeconds = seconds(end - this.#now());
    this.served.push({ route, path, scope: 'ban', retryAfterSeconds });
    return {
      status: 429,
      headers: { 'retry-after': String(Math.ceil(retryAfterSeconds)) },
      body: undefined,
      text: 'error code: 1015',
    };
  }

  /**
   * rate-limits.mdx, "Global Rate Limit": 50 requests a second per bot ("If no authorization header is
   * provided, then the limit is applied to the IP address"), except interaction endpoints. Past it, a 429
   * shaped like "Example Exceeded Global Rate Limit Response" ("Exceeding A Rate Limit").
   */
  global(key: string, route: string, path: string): Refusal | undefined {
    if (!this.enabled || isInteractionEndpoint(path)) return undefined;
    const window = this.#take(this.#globals, key, this.#global);
    if (window.count <= this.#global.limit) return undefined;
    window.count--;
    const retryAfterSeconds = seconds(window.resetAt - this.#now());
    this.served.push({ route, path, scope: 'global', retryAfterSeconds });
    return {
      status: 429,
      headers: {
        'retry-after': String(Math.ceil(retryAfterSeconds)),
        'x-ratelimit-global': 'true',
        'x-ratelimit-scope': 'global',
      },
      body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global: true, code: 0 },
    };
  }

  /**
   * A route's bucket (rate-limits.mdx, "Header Format" and "Exceeding A Rate Limit"): every answer carries
   * X-RateLimit-Limit, -Remaining, -Reset (epoch seconds), -Reset-After (seconds) and -Bucket (an opaque
   * id "non-inclusive of top-level resources in the path", so one per route); past the limit, a 429 shaped
   * like "Example Exceeded User Rate Limit Response", with `X-RateLimit-Scope: user`.
   */
  route(route: string, path: string): RouteDecision | undefined {
    if (!this.enabled) return undefined;
    const limit = this.limitOf(route);
    const window = this.#take(this.#buckets, `${route} ${majorParameter(path)}`, limit);
    const refused = window.count > limit.limit;
    if (refused) window.count--;
    const msLeft = window.resetAt - this.#now();
    const headers = {
      'x-ratelimit-limit': String(limit.limit),
      'x-ratelimit-remaining': String(limit.limit - window.count),
      // Epoch seconds with decimals, as in the docs' 429 example ("X-RateLimit-Reset: 1470173023.123").
      'x-ratelimit-reset': ((Date.now() + msLeft) / 1000).toFixed(3),
      'x-ratelimit-reset-after': seconds(msLeft).toFixed(3),
      'x-ratelimit-bucket': bucketHash(route),
    };
    if (!refused) return { refused: false, headers };
    const retryAfterSeconds = seconds(msLeft);
    this.served.push({ route, path, scope: 'user', retryAfterSeconds });
    return {
      refused: true,
      status: 429,
      headers: {
        ...headers,
        'retry-after': String(Math.ceil(retryAfterSeconds)),
        'x-ratelimit-scope': 'user',
      },
      body: {
        message: 'You are being rate limited.',
        retry_after: retryAfterSeconds,
        global: false,
        code: 0,
      },
    };
  }

  /**
   * Counts an answer against the invalid request limit: 401, 403 and 429, "429 errors returned with
   * `X-RateLimit-Scope: shared` are not counted against you" (rate-limits.mdx, "Invalid Request Limit aka
   * Cloudflare bans"). The ban's own 429s are not counted, so a ban ends when its window does.
   */
  answered(status: number, scope: string | undefined): void {
    if (!this.enabled || !(status === 401 || status === 403 || status === 429) || scope === 'shared') return;
    if (this.#banEnd() !== undefined) return;
    const window = this.#current(this.#invalids) ?? {
      count: 0,
      resetAt: this.#now() + this.#invalid.windowMs,
    };
    window.count++;
    this.#invalids = window;
  }

  #banEnd(): number | undefined {
    const window = this.#current(this.#invalids);
    return window && window.count >= this.#invalid.limit ? window.resetAt : undefined;
  }

  #current(window: Window | undefined): Window | undefined {
    return window && this.#now() < window.resetAt ? window : undefined;
  }

  /** Counts one request in `key`'s window, opening a new window if the last one has closed. */
  #take(windows: Map<string, Window>, key: string, limit: Limit): Window {
    let window = this.#current(windows.get(key));
    if (!window) {
      // Forget closed windows now and then, so thousands of channels do not pile up.
      if (windows.size >= 10_000) {
        for (const [k, w] of windows) if (!this.#current(w)) windows.delete(k);
      }
      window = { count: 0, resetAt: this.#now() + limit.windowMs };
      windows.set(key, window);
    }
    window.count++;
    return window;
  }
}

/** An opaque bucket id per route, like Discord's (e.g. "80c17d2f203122d936070c88c8d10f33"). */
function bucketHash(route: string): string {
  return createHash('sha256').update(route).digest('hex').slice(0, 32);
}
