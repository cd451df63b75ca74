import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { PauseReason } from '../core/schedule/schema.js';

/**
 * Prometheus metrics for one bot process. Every metric lives on the instance's own registry (never
 * prom-client's global one), so tests and tools can make as many as they like. Callers pass plain values:
 * this module knows nothing of discord.js or the stores, and the wiring translates events into these calls.
 * Every metric name starts with `crux_`, including Node's process metrics.
 */

/** What kind of interaction Discord sent: a slash command, a button or menu, or an autocomplete request. */
export type InteractionKind = 'command' | 'component' | 'autocomplete';

/**
 * How an interaction ended:
 * - `answered`: the member got the answer they asked for;
 * - `user_error`: a private answer explaining what to do instead (unknown text, missing permission, …);
 * - `storage_error`: the store was down or timed out ("I can't reach my storage right now…");
 * - `failed`: a fault on Crux's side ("Something went wrong on my side (ref …)");
 * - `gone`: the interaction expired or its message vanished before Crux could answer.
 */
export type InteractionOutcome = 'answered' | 'user_error' | 'storage_error' | 'failed' | 'gone';

/** A post the bot makes by itself: a session kickoff, a reminder, a poll, a poll's results, or a notice. */
export type PostKind = 'kickoff' | 'reminder' | 'poll' | 'results' | 'notice';

/** Whether a 429 from Discord limited one route (bucket) or the whole bot (the global limit). */
export type RateLimitScope = 'route' | 'global';

/** Why a schedule paused (the same reasons a server's record stores). */
export type { PauseReason };

/** Options for {@link Metrics}. */
export interface MetricsOptions {
  /** Also collect Node's process metrics (CPU, memory, event loop lag, GC…), as `crux_process_*` and `crux_nodejs_*`. Default true. */
  readonly defaultMetrics?: boolean;
  /** Labels added to every series, e.g. `{ shards: '0-1' }` when several processes are scraped together. */
  readonly labels?: Readonly<Record<string, string>>;
  /** The clock for `crux_scheduler_last_tick_timestamp_seconds`; tests pass their own. */
  readonly clock?: () => Date;
}

/** Interaction latency buckets, in seconds: 5 ms to 5 s, with Discord's 3-second window as a bucket edge. */
export const INTERACTION_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];

/**
 * Scheduler tick buckets, in seconds: an idle tick takes about a millisecond, 1,000 servers' sessions posted
 * in one tick take about a minute behind Discord's global rate limit.
 */
export const TICK_BUCKETS: readonly number[] = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120];

/**
 * The most distinct `name` label values kept on `crux_interactions_total`; later unseen names count as
 * `other`, so a caller passing something unbounded (a custom id instead of its action) cannot grow the
 * series without end.
 */
export const MAX_INTERACTION_NAMES = 200;

const NAME = /^[\w:.-]{1,64}$/u;

/** One process's Prometheus metrics; `text()` is what `/metrics` serves. */
export class Metrics {
  /** The registry holding this instance's metrics, and only them. */
  readonly registry: Registry;
  private readonly interactions: Counter<'kind' | 'name' | 'outcome'>;
  private readonly interactionSeconds: Histogram<'kind'>;
  private readonly tickSeconds: Histogram;
  private readonly backlog: Gauge;
  private readonly lastTick: Gauge;
  private readonly posts: Counter<'kind'>;
  private readonly pauses: Counter<'reason'>;
  private readonly rateLimits: Counter<'scope'>;
  private readonly ping: Gauge<'shard'>;
  private readonly names = new Set<string>();
  private readonly clock: () => Date;

  constructor(options: MetricsOptions = {}) {
    this.clock = options.clock ?? (() => new Date());
    this.registry = new Registry();
    if (options.labels) this.registry.setDefaultLabels({ ...options.labels });
    const registers = [this.registry];
    this.interactions = new Counter({
      name: 'crux_interactions_total',
      help: 'Interactions handled, by kind, command name or component action, and outcome.',
      labelNames: ['kind', 'name', 'outcome'],
      registers,
    });
    this.interactionSeconds = new Histogram({
      name: 'crux_interaction_duration_seconds',
      help: 'Time from receiving an interaction to answering it (or deferring it), in seconds.',
      labelNames: ['kind'],
      buckets: [...INTERACTION_BUCKETS],
      registers,
    });
    this.tickSeconds = new Histogram({
      name: 'crux_scheduler_tick_duration_seconds',
      help: 'How long one scheduler tick took, in seconds.',
      buckets: [...TICK_BUCKETS],
      registers,
    });
    this.backlog = new Gauge({
      name: 'crux_scheduler_backlog',
      help: 'Due scheduled work (posts, poll closes, notices) not yet done at the end of the last tick.',
      registers,
    });
    this.lastTick = new Gauge({
      name: 'crux_scheduler_last_tick_timestamp_seconds',
      help: 'When the last scheduler tick finished, in Unix seconds.',
      registers,
    });
    this.posts = new Counter({
      name: 'crux_posts_total',
      help: 'Posts the bot made by itself, by kind.',
      labelNames: ['kind'],
      registers,
    });
    this.pauses = new Counter({
      name: 'crux_schedule_pauses_total',
      help: "Schedules paused, by reason ('facilitator' or a post Discord refused).",
      labelNames: ['reason'],
      registers,
    });
    this.rateLimits = new Counter({
      name: 'crux_rest_rate_limits_total',
      help: "Discord REST 429 answers, by scope: one route's bucket or the global limit.",
      labelNames: ['scope'],
      registers,
    });
    this.ping = new Gauge({
      name: 'crux_gateway_ping_seconds',
      help: "The gateway heartbeat round trip per shard, in seconds (absent until a shard's first heartbeat).",
      labelNames: ['shard'],
      registers,
    });
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'crux_' });
  }

  /**
   * An interaction finished. `name` is the command's name or the component's action (never a custom id or
   * anything member-supplied); `seconds` is the time to the first answer or deferral.
   */
  interactionAnswered(
    kind: InteractionKind,
    name: string,
    outcome: InteractionOutcome,
    seconds: number,
  ): void {
    this.interactions.inc({ kind, name: this.nameLabel(name), outcome });
    if (Number.isFinite(seconds) && seconds >= 0) this.interactionSeconds.observe({ kind }, seconds);
  }

  /** A scheduler tick finished after `seconds`, leaving `backlog` due items not yet done. */
  tick(seconds: number, backlog: number): void {
    if (Number.isFinite(seconds) && seconds >= 0) this.tickSeconds.observe(seconds);
    if (Number.isFinite(backlog) && backlog >= 0) this.backlog.set(backlog);
    this.lastTick.set(this.clock().getTime() / 1000);
  }

  /** The bot made a post of this kind by itself. */
  posted(kind: PostKind): void {
    this.posts.inc({ kind });
  }

  /** A server's schedule paused. */
  paused(reason: PauseReason): void {
    this.pauses.inc({ reason });
  }

  /** Discord answered a REST request with 429. */
  rateLimited(scope: RateLimitScope): void {
    this.rateLimits.inc({ scope });
  }

  /**
   * A shard's heartbeat round trip, in milliseconds (discord.js's `ws.ping`/`shard.ping`). A negative or
   * non-finite value (discord.js reports -1 before the first heartbeat) removes the shard's series.
   */
  gatewayPing(shard: number, ms: number): void {
    const labels = { shard: String(shard) };
    if (Number.isFinite(ms) && ms >= 0) this.ping.set(labels, ms / 1000);
    else this.ping.remove(labels);
  }

  /** The Prometheus text exposition of every metric, as `/metrics` serves it. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** The content type of {@link Metrics.text}. */
  get contentType(): string {
    return this.registry.contentType;
  }

  private nameLabel(name: string): string {
    if (!NAME.test(name)) return 'other';
    if (this.names.has(name)) return name;
    if (this.names.size >= MAX_INTERACTION_NAMES) return 'other';
    this.names.add(name);
    return name;
  }
}
