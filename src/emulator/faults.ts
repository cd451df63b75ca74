/**
 * Faults on demand, matched by route ("POST /channels/:channelId/messages") or by one exact request
 * ("POST /channels/123/messages"), optionally only for bodies containing some text, and used up one
 * request at a time: rate limits (per route or global), server errors before or after the request took
 * effect, slow answers. The gateway can also be dropped.
 */
export type FaultKind =
  | { readonly type: 'rate-limit'; readonly retryAfterSeconds: number; readonly global: boolean }
  /** A 5xx; `after` means the request took effect first (a gateway timeout behind a working backend). */
  | { readonly type: 'server-error'; readonly status: number; readonly after: boolean }
  | { readonly type: 'slow'; readonly delayMs: number };

/** Which requests a fault applies to, and how many times. */
export interface FaultOptions {
  readonly times?: number;
  /** Only requests whose body (as JSON text) contains this. */
  readonly matching?: string;
}

interface FaultRule {
  readonly route: string;
  readonly fault: FaultKind;
  readonly matching: string | undefined;
  remaining: number;
}

export class Faults {
  readonly #rules: FaultRule[] = [];
  /** Every fault actually served, for assertions. */
  readonly served: { route: string; fault: FaultKind }[] = [];

  /** The next `times` requests to `route` get 429 with `retry_after`. */
  rateLimit(route: string, options: FaultOptions & { retryAfterSeconds?: number } = {}): void {
    this.#add(
      route,
      { type: 'rate-limit', retryAfterSeconds: options.retryAfterSeconds ?? 0.25, global: false },
      options,
    );
  }

  /** The next `times` requests to any route get a global 429. */
  globalRateLimit(options: FaultOptions & { retryAfterSeconds?: number } = {}): void {
    this.#add(
      '*',
      { type: 'rate-limit', retryAfterSeconds: options.retryAfterSeconds ?? 0.25, global: true },
      options,
    );
  }

  /** The next `times` requests to `route` get a 5xx without taking effect. */
  serverError(route: string, options: FaultOptions & { status?: number } = {}): void {
    this.#add(route, { type: 'server-error', status: options.status ?? 500, after: false }, options);
  }

  /**
   * The next `times` requests to `route` take effect and then get a 5xx, as when a proxy times out on a
   * request Discord's backend completed: the client cannot tell whether it happened.
   */
  serverErrorAfter(route: string, options: FaultOptions & { status?: number } = {}): void {
    this.#add(route, { type: 'server-error', status: options.status ?? 502, after: true }, options);
  }

  /** The next `times` requests to `route` are answered only after `delayMs`. */
  slow(route: string, delayMs: number, options: FaultOptions = {}): void {
    this.#add(route, { type: 'slow', delayMs }, options);
  }

  /** Forgets every fault not yet served. */
  clear(): void {
    this.#rules.length = 0;
  }

  /** The fault to serve for a request (its route, actual method and path, and body), using it up. */
  take(route: string, request: string, body: string): FaultKind | undefined {
    const rule = this.#rules.find(
      (r) =>
        r.remaining > 0 &&
        (r.route === route || r.route === request || r.route === '*') &&
        (r.matching === undefined || body.includes(r.matching)),
    );
    if (!rule) return undefined;
    rule.remaining--;
    this.served.push({ route, fault: rule.fault });
    return rule.fault;
  }

  #add(route: string, fault: FaultKind, options: FaultOptions): void {
    this.#rules.push({ route, fault, matching: options.matching, remaining: options.times ?? 1 });
  }
}
