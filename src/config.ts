import dotenv from 'dotenv';
import { z } from 'zod';
import { storeUrlProblem } from './state/index.js';

/**
 * The only reader of `process.env`. Configuration is checked once at start; every missing or invalid key is
 * reported together, with where to get it, so a newcomer fixes `.env` in one pass.
 */

/** The bot's configuration. */
export interface Config {
  readonly token: string;
  readonly clientId: string;
  /** Register commands to this server only (instant) instead of globally. */
  readonly devGuildId: string | undefined;
  /** Where state lives: sqlite://file (default), redis://…, postgres://…, or memory:. */
  readonly keyvUrl: string;
  readonly logLevel: LogLevel;
  /** Base URL of the Discord API; set only to point the bot at the local emulator. */
  readonly apiUrl: string | undefined;
  /** How long a server's data is kept after the bot is removed from it. */
  readonly retentionDays: number;
}

/** A server's data is kept this long after the bot is removed, in case it is invited back. */
export const DEFAULT_RETENTION_DAYS = 30;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The embedded SQLite file used when KEYV_URL is not set (gitignored, outside data/). */
export const DEFAULT_KEYV_URL = 'sqlite://.crux/state.sqlite';

/** Configuration that cannot be used, with one line per problem. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(
      [
        'Crux cannot start: the configuration is incomplete.',
        ...problems.map((problem) => `  - ${problem}`),
        'Put these in a .env file next to package.json (copy .env.example to start).',
      ].join('\n'),
    );
  }
}

const PORTAL = 'https://discord.com/developers/applications';
const SNOWFLAKE = /^\d{17,20}$/u;
const TOKEN = /^[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}$/u;

/** Which keys a caller needs; the rest are optional everywhere. */
export interface Needs {
  readonly token?: boolean;
  readonly clientId?: boolean;
}

/**
 * Reads the configuration from `env` (by default `process.env` after loading `.env`). Throws `ConfigError`
 * listing every problem.
 */
export function loadConfig(
  needs: Needs = { token: true, clientId: true },
  env: NodeJS.ProcessEnv = readEnv(),
): Config {
  const problems: string[] = [];
  const value = (key: string) => {
    const raw = env[key]?.trim();
    return raw ? raw : undefined;
  };

  const token = value('DISCORD_TOKEN');
  if (!token && needs.token) {
    problems.push(
      `DISCORD_TOKEN is missing. In ${PORTAL}, open your application → Bot → Reset Token, and copy it.`,
    );
  } else if (token && !TOKEN.test(token)) {
    problems.push(
      'DISCORD_TOKEN does not look like a bot token (three parts separated by dots). Copy it again from Bot → Reset Token.',
    );
  }

  const clientId = value('DISCORD_CLIENT_ID');
  if (!clientId && needs.clientId) {
    problems.push(
      `DISCORD_CLIENT_ID is missing. In ${PORTAL}, open your application → General Information → Application ID.`,
    );
  } else if (clientId && !SNOWFLAKE.test(clientId)) {
    problems.push(
      'DISCORD_CLIENT_ID must be the Application ID, a number of 17–20 digits (General Information → Application ID).',
    );
  }

  const devGuildId = value('DEV_GUILD_ID');
  if (devGuildId && !SNOWFLAKE.test(devGuildId)) {
    problems.push(
      'DEV_GUILD_ID must be a server id, a number of 17–20 digits. Turn on Developer Mode in Discord, right-click your server, Copy Server ID; or leave it empty to register commands globally.',
    );
  }

  const keyvUrl = value('KEYV_URL') ?? DEFAULT_KEYV_URL;
  const keyvProblem = storeUrlProblem(keyvUrl);
  if (keyvProblem)
    problems.push(`KEYV_URL ${keyvProblem}; leave it empty for the default, ${DEFAULT_KEYV_URL}.`);

  const logLevel = z.enum(LOG_LEVELS).safeParse((value('LOG_LEVEL') ?? 'info').toLowerCase());
  if (!logLevel.success) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}.`);

  const apiUrl = value('DISCORD_API_URL');
  if (apiUrl && !/^https?:\/\/[^\s]+\/api$/u.test(apiUrl)) {
    problems.push(
      'DISCORD_API_URL must be an http(s) URL ending in /api (only set it to use the local emulator).',
    );
  }

  const retention = value('DATA_RETENTION_DAYS') ?? String(DEFAULT_RETENTION_DAYS);
  const retentionDays = Number(retention);
  if (!/^\d+$/u.test(retention) || retentionDays < 1 || retentionDays > 365) {
    problems.push(
      `DATA_RETENTION_DAYS must be a whole number of days from 1 to 365 (default ${DEFAULT_RETENTION_DAYS}).`,
    );
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    token: token ?? '',
    clientId: clientId ?? '',
    devGuildId,
    keyvUrl,
    logLevel: logLevel.data ?? 'info',
    apiUrl,
    retentionDays,
  };
}

function readEnv(): NodeJS.ProcessEnv {
  dotenv.config({ quiet: true });
  return process.env;
}
