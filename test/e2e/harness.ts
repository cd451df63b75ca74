import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { commands } from '../../commands/index.js';
import { type Bot, startBot } from '../../src/app.js';
import type { CommandModule } from '../../src/command.js';
import { loadConfig } from '../../src/config.js';
import { type Emulator, type GuildHandle, type Member, startEmulator } from '../../src/emulator/index.js';
import { createLogger, silentLogger } from '../../src/logger.js';
import { seededRandom } from '../helpers/context.js';

/** A local Discord with one reading-group server, a facilitator and a member, and the real bot on it. */
export interface World {
  readonly discord: Emulator;
  readonly guild: GuildHandle;
  /** Has Manage Server: a facilitator. */
  readonly ada: Member;
  /** An ordinary member. */
  readonly bo: Member;
  bot: Bot;
  /** The SQLite file the bot keeps its state in, so a restart can reopen it. */
  readonly keyvUrl: string;
  /** Moves the group on to `session`, as the reading schedule will. */
  reach(session: number): Promise<void>;
  /** Stops the bot and starts it again on the same state. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the bot through the same `startBot` that `npm start` runs, pointed at the emulator. */
export async function startTestBot(
  discord: Emulator,
  keyvUrl: string,
  extraCommands: readonly CommandModule[] = [],
): Promise<Bot> {
  const config = loadConfig(undefined, {
    DISCORD_TOKEN: discord.token,
    DISCORD_CLIENT_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    KEYV_URL: keyvUrl,
  });
  const logger = process.env.CRUX_TEST_LOGS ? createLogger('debug') : silentLogger();
  const bot = await startBot({
    config,
    logger,
    random: seededRandom(1),
    commands: [...commands, ...extraCommands],
  });
  await bot.ready;
  return bot;
}

export async function startWorld(
  options: { readonly extraCommands?: readonly CommandModule[] } = {},
): Promise<World> {
  const dir = mkdtempSync(path.join(tmpdir(), 'crux-e2e-'));
  const keyvUrl = `sqlite://${path.join(dir, 'state.sqlite')}`;
  const discord = await startEmulator();
  const guild = discord.addGuild({ name: 'Reading Group', channels: ['reading', 'general'] });
  const ada = guild.addMember('ada', { permissions: ['ManageGuild'] });
  const bo = guild.addMember('bo');
  const world: World = {
    discord,
    guild,
    ada,
    bo,
    keyvUrl,
    bot: await startTestBot(discord, keyvUrl, options.extraCommands),
    async reach(session) {
      await world.bot.state.guilds.change(guild.id, (record) => ({
        record: { ...record, progress: { ...record.progress, session } },
        result: undefined,
      }));
    },
    async restart() {
      await world.bot.stop();
      world.bot = await startTestBot(discord, keyvUrl, options.extraCommands);
    },
    async close() {
      await world.bot.stop();
      await discord.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}
