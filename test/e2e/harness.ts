import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, expect } from 'vitest';
import { commands } from '../../commands/index.js';
import { type Bot, startBot } from '../../src/app.js';
import type { CommandModule } from '../../src/command.js';
import { loadConfig } from '../../src/config.js';
import {
  type Emulator,
  type EmulatorOptions,
  type GuildHandle,
  type Member,
  startEmulator,
} from '../../src/emulator/index.js';
import { createLogger, type Logger, silentLogger } from '../../src/logger.js';
import { seededRandom } from '../helpers/context.js';

/** A clock the emulator and the bot share, which a test moves by hand. */
export interface TestClock {
  now(): Date;
  set(at: Date | string): void;
}

export function testClock(start?: Date | string): TestClock {
  // Without a start, the clock follows real time until a test sets it.
  let offset = start ? new Date(start).getTime() - Date.now() : 0;
  return {
    now: () => new Date(Date.now() + offset),
    set: (at) => {
      offset = new Date(at).getTime() - Date.now();
    },
  };
}

/** A local Discord with one reading-group server, a facilitator and a member, and the real bot on it. */
export interface World {
  readonly discord: Emulator;
  readonly guild: GuildHandle;
  /** Has Manage Server: a facilitator. */
  readonly ada: Member;
  /** An ordinary member. */
  readonly bo: Member;
  readonly clock: TestClock;
  bot: Bot;
  /** The SQLite file the bot keeps its state in, so a restart can reopen it. */
  readonly keyvUrl: string;
  /** Moves the group on to `session`, as the reading schedule does. */
  reach(session: number): Promise<void>;
  /** Sets the clock and runs whatever the scheduler finds due. */
  at(when: string): Promise<void>;
  /** Stops the bot and starts it again on the same state. */
  restart(): Promise<void>;
  /**
   * Kills the bot the way a crash would: the connection and the state store go at once, whatever is in
   * flight. Work under way cannot record anything after this; a restart recovers.
   */
  crash(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the bot through the same `startBot` that `npm start` runs, pointed at the emulator. */
export async function startTestBot(
  discord: Emulator,
  keyvUrl: string,
  options: {
    readonly extraCommands?: readonly CommandModule[];
    readonly clock?: TestClock;
    readonly logger?: Logger;
  } = {},
): Promise<Bot> {
  const config = loadConfig(undefined, {
    DISCORD_TOKEN: discord.token,
    DISCORD_CLIENT_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    KEYV_URL: keyvUrl,
  });
  const logger = options.logger ?? (process.env.CRUX_TEST_LOGS ? createLogger('debug') : silentLogger());
  const bot = await startBot({
    config,
    logger,
    random: seededRandom(1),
    commands: [...commands, ...(options.extraCommands ?? [])],
    // Scheduled work runs when a test ticks, at the time the test set.
    tickIntervalMs: 0,
    ...(options.clock ? { clock: options.clock.now } : {}),
  });
  await bot.ready;
  return bot;
}

export async function startWorld(
  options: {
    readonly extraCommands?: readonly CommandModule[];
    readonly start?: string;
    readonly logger?: Logger;
    /** The emulator's settings beyond the clock (latency, limits). */
    readonly emulator?: Omit<EmulatorOptions, 'now'>;
  } = {},
): Promise<World> {
  const dir = mkdtempSync(path.join(tmpdir(), 'crux-e2e-'));
  const keyvUrl = `sqlite://${path.join(dir, 'state.sqlite')}`;
  const clock = testClock(options.start);
  const discord = await startEmulator({ ...options.emulator, now: () => clock.now().getTime() });
  const guild = discord.addGuild({ name: 'Reading Group', channels: ['reading', 'general'] });
  const ada = guild.addMember('ada', { permissions: ['ManageGuild'] });
  const bo = guild.addMember('bo');
  const botOptions = {
    ...(options.extraCommands ? { extraCommands: options.extraCommands } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    clock,
  };
  const world: World = {
    discord,
    guild,
    ada,
    bo,
    clock,
    keyvUrl,
    bot: await startTestBot(discord, keyvUrl, botOptions),
    async reach(session) {
      await world.bot.state.guilds.change(guild.id, (record) => ({
        record: { ...record, progress: { ...record.progress, session } },
        result: undefined,
      }));
    },
    async at(when) {
      clock.set(when);
      await world.bot.scheduler.tick();
    },
    async restart() {
      await world.bot.stop();
      world.bot = await startTestBot(discord, keyvUrl, botOptions);
    },
    async crash() {
      await Promise.allSettled([world.bot.client.destroy(), world.bot.state.close()]);
      world.bot = await startTestBot(discord, keyvUrl, botOptions);
    },
    async close() {
      await world.bot.stop();
      await discord.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}

/**
 * A world shared by the tests of one file: closed after them, and after each test its Discord faults
 * cleared and every request checked against Discord's rules.
 */
export async function worldForFile(options: Parameters<typeof startWorld>[0] = {}): Promise<World> {
  const world = await startWorld(options);
  afterAll(async () => world.close());
  afterEach(() => {
    world.discord.faults.clear();
    expect(world.discord.violations).toEqual([]);
  });
  return world;
}
