import { type Client, Events, type REST } from 'discord.js';
import { commands } from '../commands/index.js';
import { closeCharts } from './charts/render.js';
import type { CommandModule } from './command.js';
import type { Config } from './config.js';
import { loadValidCorpus } from './core/corpus/read.js';
import type { Corpus } from './core/corpus/types.js';
import { CommandMentions } from './core/mentions.js';
import { CorpusSearch } from './core/search.js';
import { allShards, type ShardSet } from './core/shards.js';
import { createClient } from './discord/client.js';
import { deployCommands, formatSummary } from './discord/deploy.js';
import { createDispatcher } from './discord/dispatch.js';
import { listenForEvents } from './discord/events.js';
import { observe } from './discord/observe.js';
import { DiscordPoster } from './discord/poster.js';
import { boundedRest, recommendedShardCount } from './discord/rest.js';
import type { JobDeps } from './jobs/deps.js';
import { Scheduler } from './jobs/scheduler.js';
import { wakeAtFor } from './jobs/sessions.js';
import { InteractionLoad } from './load.js';
import type { Logger } from './logger.js';
import { Polls } from './polls/service.js';
import { openState, type State } from './state/index.js';
import { ShardLeases } from './state/leases.js';

/** What the bot is made of; tests and the playground supply their own clock, randomness and logger. */
export interface BotOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock?: () => Date;
  readonly random?: () => number;
  readonly commands?: readonly CommandModule[];
  /** How often the scheduler looks for due work; 0 for never on its own (tests tick it by hand). */
  readonly tickIntervalMs?: number;
  /**
   * Called when another process has taken one of this process's shards (its lease could not be renewed in
   * time). The bot has already stopped acting by then; the process should exit, to be restarted.
   */
  readonly onShardLost?: (shard: number) => void;
}

/** A running bot. */
export interface Bot {
  readonly client: Client;
  readonly corpus: Corpus;
  readonly state: State;
  /** Resolves once the bot is connected, has its servers, and has checked its slash commands. */
  readonly ready: Promise<void>;
  /** Posts weekly sessions and reminders; `tick()` runs whatever is due now. */
  readonly scheduler: Scheduler;
  /** Position polls; `settle()` waits for pending refreshes of poll messages. */
  readonly polls: Polls;
  /** The shards this process runs, of how many. */
  readonly shards: ShardSet;
  /** When the scheduler will next have something to do for a server, if anything. */
  nextWake(guildId: string): Promise<Date | undefined>;
  /** Disconnects from Discord and closes the state stores. */
  stop(): Promise<void>;
}

/** Starts the bot: corpus, state, client and dispatcher, then logs in. */
export async function startBot(options: BotOptions): Promise<Bot> {
  const { config, logger } = options;
  const corpus = await loadValidCorpus();
  const search = new CorpusSearch(corpus);
  const clock = options.clock ?? (() => new Date());
  const random = options.random ?? Math.random;
  const retentionMs = config.retentionDays * 86_400_000;
  const wakeAt = wakeAtFor(corpus, clock, retentionMs);
  const state = await openState(config.keyvUrl, (error) => logger.error({ err: error }, 'storage error'), {
    wakeAt,
  });
  try {
    await state.check();
  } catch (error) {
    await state.close();
    throw error;
  }
  // Through the shared proxy when one is configured, so every process counts against one global limit.
  const rest = boundedRest(config.token, { api: config.restProxyUrl ?? config.apiUrl });
  let shards: ShardSet;
  const leases = new ShardLeases(state.locks, { ttlMs: config.shardLeaseMs });
  let lost = false;
  // Set once there is something to stop; a lease lost before then only means waiting for it again.
  let stopActing: () => void = () => undefined;
  try {
    shards = await shardsToRun(config, rest);
    await leases.acquire(shards.ids, {
      onWait: (waiting) =>
        logger.warn(
          { shards: waiting },
          'waiting for shards another process holds (it is stopping, or its lease will expire)',
        ),
      onLost: (shard) => {
        if (lost) return;
        lost = true;
        logger.error(
          { shard },
          'lost the lease of a shard (not renewed in time, so another process may run it now); stopping',
        );
        stopActing();
        options.onShardLost?.(shard);
      },
    });
  } catch (error) {
    await leases.release();
    await state.close();
    throw error;
  }
  logger.info({ shards: shards.ids, shardCount: shards.count }, 'running shards');
  const client = createClient({ apiUrl: config.apiUrl, shards });
  const mentions = new CommandMentions();
  const load = new InteractionLoad();
  // Counted only when someone can read them (/metrics needs a HEALTH_PORT); prom-client is loaded only then.
  const metrics = config.health
    ? new (await import('./observability/metrics.js')).Metrics({ labels: { shards: shards.ids.join(',') } })
    : undefined;
  const base = {
    corpus,
    search,
    state,
    poster: new DiscordPoster(client, rest, logger),
    clock,
    random,
    logger,
    retentionMs,
    mentions,
    ...(metrics ? { metrics } : {}),
  };
  const polls = new Polls(base);
  const jobs: JobDeps = { ...base, polls };
  const dispatcher = createDispatcher({
    commands: options.commands ?? commands,
    corpus,
    search,
    state,
    polls,
    logger,
    clock,
    random,
    mentions,
    load,
    rest,
    ...(metrics ? { metrics } : {}),
  });
  const tickIntervalMs = options.tickIntervalMs ?? 30_000;
  const scheduler = new Scheduler(jobs, {
    intervalMs: tickIntervalMs,
    load,
    shards,
    ...(metrics ? { onTick: (seconds: number, failed: number) => metrics.tick(seconds, failed) } : {}),
  });
  stopActing = () => {
    void scheduler.stop();
    void client.destroy();
  };
  client.on(Events.InteractionCreate, (interaction) => void dispatcher.handle(interaction));
  listenForEvents(client, jobs);
  const ready = new Promise<void>((resolve) => {
    client.once(Events.ClientReady, (readyClient) => {
      logger.info(
        { user: readyClient.user.tag, guilds: readyClient.guilds.cache.size },
        'connected to Discord',
      );
      // Registering at start keeps `npm ci` + `npm start` enough to run Crux; unchanged commands are not re-sent.
      deployCommands({
        rest,
        clientId: config.clientId,
        guildId: config.devGuildId,
        definitions: dispatcher.definitions,
      })
        .then(
          (summary) => {
            mentions.learn(summary.ids);
            logger.info({ summary: formatSummary(summary) }, 'slash commands checked');
          },
          (error: unknown) =>
            logger.warn({ err: error }, 'could not register slash commands; run npm run deploy-commands'),
        )
        .finally(() => {
          // The first tick catches up on anything due while the bot was down.
          if (tickIntervalMs > 0) scheduler.start();
          resolve();
        });
    });
  });
  client.on(Events.Error, (error) => logger.error({ err: error }, 'client error'));
  client.on(Events.Warn, (message) => logger.warn(message));
  const observing =
    metrics && config.health
      ? await observe({
          client,
          rests: [rest, client.rest],
          metrics,
          ...config.health,
          shardIds: shards.ids,
          lastTickAt: () => scheduler.lastTickAt,
          tickIntervalMs,
          checkStore: () => state.guilds.read('0').then(() => true),
        })
      : undefined;
  try {
    await client.login(config.token);
  } catch (error) {
    await observing?.stop();
    await client.destroy();
    await leases.release();
    await state.close();
    throw error;
  }
  return {
    client,
    corpus,
    state,
    ready,
    scheduler,
    polls,
    shards,
    nextWake: async (guildId) => wakeAt(await state.guilds.read(guildId)),
    async stop() {
      await scheduler.stop();
      polls.stop();
      await client.destroy();
      await observing?.stop();
      await closeCharts();
      // After the client is gone, so the next owner of these shards never overlaps this one.
      await leases.release();
      await state.close();
    },
  };
}

/**
 * The shards this process runs: SHARDS of SHARD_COUNT, or all of the count Discord recommends for the bot
 * (GET /gateway/bot), as discord.js's `shards: 'auto'` would choose.
 */
async function shardsToRun(config: Config, rest: REST): Promise<ShardSet> {
  const count = config.shardCount ?? (await recommendedShardCount(rest));
  return config.shardIds ? { count, ids: config.shardIds } : allShards(count);
}
