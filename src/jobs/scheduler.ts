import { setImmediate as yieldToEvents } from 'node:timers/promises';
import pLimit from 'p-limit';
import type { ShardSet } from '../core/shards.js';
import { InteractionLoad } from '../load.js';
import { type JobDeps, runGuild } from './sessions.js';

/** The longest the scheduler holds a server's work back for members' interactions. */
const MAX_HOLD_BACK_MS = 5000;

/** What one tick did, for logs and tests. */
export interface TickReport {
  readonly servers: number;
  readonly failed: number;
}

/**
 * The one dispatch loop for scheduled work. Each tick asks the wake-up index what is due (work grows with
 * that, not with the number of servers), runs each server's work isolated from the others with bounded
 * concurrency, and removes the hints it handled (a server whose work failed keeps them). Due times live in storage, not in timers, so a restart
 * catches up on its first tick.
 */
export class Scheduler {
  readonly #deps: JobDeps;
  readonly #intervalMs: number;
  readonly #limit: ReturnType<typeof pLimit>;
  readonly #load: InteractionLoad;
  readonly #shards: ShardSet | undefined;
  readonly #onTick: ((seconds: number, failed: number) => void) | undefined;
  #lastTickAt: Date | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<TickReport> | undefined;

  constructor(
    deps: JobDeps,
    options: {
      readonly intervalMs?: number;
      readonly concurrency?: number;
      readonly load?: InteractionLoad;
      /** This process's shards: it does the work of those servers only. All servers when not given. */
      readonly shards?: ShardSet;
      /** Hears how long each tick took and how many servers it left failed. */
      readonly onTick?: (seconds: number, failed: number) => void;
    } = {},
  ) {
    this.#deps = deps;
    this.#intervalMs = options.intervalMs ?? 30_000;
    this.#limit = pLimit(options.concurrency ?? 8);
    this.#load = options.load ?? new InteractionLoad();
    this.#shards = options.shards;
    this.#onTick = options.onTick;
  }

  /** When the last tick finished, if one has (for the health check). */
  get lastTickAt(): Date | undefined {
    return this.#lastTickAt;
  }

  /** Ticks now, then every interval. */
  start(): void {
    if (this.#timer) return;
    void this.tick();
    this.#timer = setInterval(() => void this.tick(), this.#intervalMs);
    this.#timer.unref();
  }

  /** Stops ticking and waits for a tick in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** Runs whatever is due now. A tick asked for while one runs waits for it and then runs, so none is lost. */
  async tick(): Promise<TickReport> {
    while (this.#running) await this.#running;
    const startedAt = performance.now();
    this.#running = this.#tick();
    try {
      const report = await this.#running;
      // Wall-clock time, not the injected clock: how long the work took, for the health check and metrics.
      this.#lastTickAt = new Date();
      this.#onTick?.((performance.now() - startedAt) / 1000, report.failed);
      return report;
    } finally {
      this.#running = undefined;
    }
  }

  async #tick(): Promise<TickReport> {
    const { state, clock, logger } = this.#deps;
    const now = clock();
    let due: Awaited<ReturnType<typeof state.wakeUps.due>>;
    try {
      due = await state.wakeUps.due(now, this.#shards);
    } catch (error) {
      logger.error({ err: error }, 'could not read what is due; will try on the next tick');
      return { servers: 0, failed: 0 };
    }
    const guilds = [...new Set(due.map((hint) => hint.guildId))];
    const failed = new Set<string>();
    await Promise.all(
      guilds.map((guildId) =>
        this.#limit(async () => {
          // Members waiting on an answer come first: a burst of weekly posts can wait a moment, a click
          // cannot wait past Discord's 3 seconds. Yielding lets pending interactions in between servers.
          await this.#load.calm(MAX_HOLD_BACK_MS);
          await yieldToEvents();
          try {
            await runGuild(guildId, this.#deps);
          } catch (error) {
            failed.add(guildId);
            logger.error({ err: error, guildId }, 'scheduled work failed for a server');
          }
        }),
      ),
    );
    // A server whose work failed keeps its hints, so the next tick tries it again.
    await state.wakeUps
      .done(
        due.filter((hint) => !failed.has(hint.guildId)),
        now,
      )
      .catch((error: unknown) => logger.error({ err: error }, 'could not clear handled wake-ups'));
    return { servers: guilds.length, failed: failed.size };
  }
}
