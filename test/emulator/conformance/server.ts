import { afterEach, beforeEach } from 'vitest';
import {
  type Emulator,
  type EmulatorOptions,
  type GuildHandle,
  startEmulator,
} from '../../../src/emulator/index.js';
import { rest } from '../raw.js';

/** A server with one channel (#reading) on an emulator of its own, fresh for every test of the file. */
export interface FreshServer {
  readonly discord: Emulator;
  readonly guild: GuildHandle;
  readonly channelId: string;
  /** POST /channels/{#reading}/messages. */
  post(body: unknown): ReturnType<typeof rest>;
  /** Any REST call as the bot. */
  call(method: string, path: string, body?: unknown): ReturnType<typeof rest>;
}

/**
 * Registers the hooks that give each test its own emulator (rate limits off unless `options` says: these
 * files test other rules, and the rate limits have their own) and returns the live handles.
 */
export function freshServerPerTest(options: EmulatorOptions = {}): FreshServer {
  let discord: Emulator | undefined;
  let guild: GuildHandle | undefined;
  let channelId = '';
  beforeEach(async () => {
    discord = await startEmulator({ rateLimits: false, ...options });
    guild = discord.addGuild();
    channelId = guild.channel('reading').id;
  });
  afterEach(async () => discord?.close());
  const live = () => {
    if (!discord || !guild) throw new Error('the emulator starts in beforeEach');
    return { discord, guild };
  };
  return {
    get discord() {
      return live().discord;
    },
    get guild() {
      return live().guild;
    },
    get channelId() {
      return channelId;
    },
    post(body) {
      return rest(live().discord, 'POST', `/channels/${channelId}/messages`, body);
    },
    call(method, path, body) {
      return rest(live().discord, method, path, body);
    },
  };
}
