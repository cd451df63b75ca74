import type { Corpus, Crux } from '../../src/core/corpus/types.js';
import { CommandMentions } from '../../src/core/mentions.js';
import type { JobDeps } from '../../src/jobs/deps.js';
import { Scheduler, type TickReport } from '../../src/jobs/scheduler.js';
import { wakeAtFor } from '../../src/jobs/sessions.js';
import { silentLogger } from '../../src/logger.js';
import { type OpenRequest, Polls } from '../../src/polls/service.js';
import { openState, type State } from '../../src/state/index.js';
import { RETENTION_MS, seededRandom, shippedCorpus } from './context.js';
import { FakePoster } from './fake-poster.js';

/** Scheduled work on in-memory state, with Discord behind a FakePoster, on a clock a test moves by hand. */
export interface JobHarness {
  readonly corpus: Corpus;
  readonly state: State;
  readonly poster: FakePoster;
  readonly deps: JobDeps;
  now(): number;
  /** Sets the clock without running anything. */
  set(ms: number): void;
  /** Sets the clock and runs a scheduler tick, as the bot does every 30 seconds. */
  at(ms: number): Promise<TickReport>;
  /**
   * A new process on the same state and Discord, as after a crash: work the old one had in flight is
   * abandoned (it never records anything), and `deps` and the scheduler are fresh.
   */
  restart(): void;
}

/**
 * Builds the harness. Work is driven through the scheduler and its wake-up index, so a case passes only if
 * the server is woken again when it should be. `state` replaces the in-memory state (for failing stores).
 */
export async function jobHarness(
  options: { readonly start?: string; readonly state?: (clock: () => Date, corpus: Corpus) => State } = {},
): Promise<JobHarness> {
  const { corpus, search } = await shippedCorpus();
  let now = new Date(options.start ?? '2027-01-04T12:00:00Z');
  const clock = () => now;
  const state =
    options.state?.(clock, corpus) ??
    (await openState(
      'memory:',
      (error) => {
        throw error;
      },
      { wakeAt: wakeAtFor(corpus, clock, RETENTION_MS) },
    ));
  const poster = new FakePoster(clock);
  const base = {
    corpus,
    search,
    state,
    poster,
    clock,
    random: seededRandom(3),
    logger: silentLogger(),
    retentionMs: RETENTION_MS,
    mentions: new CommandMentions(),
  };
  const first: JobDeps = { ...base, polls: new Polls(base) };
  let scheduler = new Scheduler(first);
  const harness: JobHarness = {
    corpus,
    state,
    poster,
    deps: first,
    now: () => now.getTime(),
    set(ms) {
      now = new Date(ms);
    },
    at(ms) {
      now = new Date(ms);
      return scheduler.tick();
    },
    restart() {
      const deps: JobDeps = { ...base, polls: new Polls(base) };
      scheduler = new Scheduler(deps);
      Object.assign(harness, { deps });
    },
  };
  return harness;
}

/** A request to open a button poll on `crux` in channel 1 until `closesAt`, with anything else overridden. */
export function pollRequest(
  guildId: string,
  crux: Crux,
  closesAt: Date,
  overrides: Partial<OpenRequest> = {},
): OpenRequest {
  return {
    guildId,
    channelId: '1',
    crux,
    phase: 'before',
    style: 'buttons',
    hideResults: false,
    openedBy: '9',
    closesAt,
    ...overrides,
  };
}
