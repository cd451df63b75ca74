/**
 * Faults on demand, matched by route ("POST /channels/:channelId/messages") or by one exact request
 * ("POST /channels/123/messages"), and used up one request at a time: rate limits (per route or global), server errors, slow answers. The gateway can also be dropped.
 */
export type FaultKind =
  | { readonly type: 'rate-limit'; readonly retryAfterSeconds: number; readonly global: boolean }
  | { readonly type: 'server-error'; readonly status: number }
  | { readonly type: 'slow'; readonly delayMs: number };

interface FaultRule {
  readonly route: string;
  readonly fault: FaultKind;
  remaining: number;
}

export class Faults {
  readonly #rules: FaultRule[] = [];
  /** Every fault actually served, for assertions. */
  readonly served: { route: string; fault: FaultKind }[] = [];

  /** The next `times` requests to `route` get 429 with `retry_after`. */
  rateLimit(route: string, options: { retryAfterSeconds?: number; times?: number } = {}): void {
    this.#add(
      route,
      { type: 'rate-limit', retryAfterSeconds: options.retryAfterSeconds ?? 0.25, global: false },
      options.times,
    );
  }

  /** The next `times` requests to any route get a global 429. */
  globalRateLimit(options: { retryAfterSeconds?: number; times?: number } = {}): void {
    this.#add(
      '*',
      { type: 'rate-limit', retryAfterSeconds: options.retryAfterSeconds ?? 0.25, global: true },
      options.times,
    );
  }

  /** The next `times` requests to `route` get a 5xx. */
  serverError(route: string, options: { status?: number; times?: number } = {}): void {
    this.#add(route, { type: 'server-error', status: options.status ?? 500 }, options.times);
  }

  /** The next `times` requests to `route` are answered only after `delayMs`. */
  slow(route: string, delayMs: number, options: { times?: number } = {}): void {
    this.#add(route, { type: 'slow', delayMs }, options.times);
  }

  /** Forgets every fault not yet served. */
  clear(): void {
    this.#rules.length = 0;
  }

  /** The fault to serve for a request (its route, and its actual method and path), using it up. */
  take(route: string, request: string): FaultKind | undefined {
    const rule = this.#rules.find(
      (r) => r.remaining > 0 && (r.route === route || r.route === request || r.route === '*'),
    );
    if (!rule) return undefined;
    rule.remaining--;
    this.served.push({ route, fault: rule.fault });
    return rule.fault;
  }

  #add(route: string, fault: FaultKind, times = 1): void {
    this.#rules.push({ route, fault, remaining: times });
  }
}
