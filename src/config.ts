import dotenv from 'dotenv';
import { z } from 'zod';
import { parseShardList } from './core/shards.js';
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
  /**
   * The REST proxy every process sends its rate-limited requests through (`npm run rest-proxy`), so they
   * share Discord's global limit; undefined to send them straight to Discord (one process).
   */
  readonly restProxyUrl: string | undefined;
  /** How long a server's data is kept after the bot is removed from it. */
  readonly retentionDays: number;
  /**
   * Shards in all (`SHARD_COUNT`), the same for every process; undefined to ask Discord for its
   * recommendation at start.
   */
  readonly shardCount: number | undefined;
  /** The shards this process runs (`SHARDS`, e.g. `0-3`); undefined for all of them. */
  readonly shardIds: readonly number[] | undefined;
  /** How long a dead process keeps its shards before another may take them over. */
  readonly shardLeaseMs: number;
  /** Where `/healthz` and `/metrics` listen; both off when no port is set. */
  readonly health: { readonly port: number; readonly host: string } | undefined;
}

/** A server's data is kept this long after the bot is removed, in case it is invited back. */
export const DEFAULT_RETENTION_DAYS = 30;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A process that dies keeps its shards this long before another process takes them over. */
export const DEFAULT_SHARD_LEASE_SECONDS = 30;

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
  if (apiUrl && !API_URL.test(apiUrl)) {
    problems.push(
      'DISCORD_API_URL must be an http(s) URL ending in /api (only set it to use the local emulator).',
    );
  }

  const restProxyUrl = value('DISCORD_REST_PROXY');
  if (restProxyUrl && !API_URL.test(restProxyUrl)) {
    problems.push(
      'DISCORD_REST_PROXY must be the http(s) URL of the REST proxy ending in /api, like http://127.0.0.1:8090/api, or empty to send requests straight to Discord.',
    );
  }

  const retentionDays = wholeNumberIn(value('DATA_RETENTION_DAYS') ?? String(DEFAULT_RETENTION_DAYS), 1, 365);
  if (retentionDays === undefined) {
    problems.push(
      `DATA_RETENTION_DAYS must be a whole number of days from 1 to 365 (default ${DEFAULT_RETENTION_DAYS}).`,
    );
  }

  const sharding = readSharding(value, keyvUrl, problems);

  const healthPort = value('HEALTH_PORT');
  if (healthPort && wholeNumberIn(healthPort, 1, 65_535) === undefined) {
    problems.push('HEALTH_PORT must be a TCP port, 1 to 65535, or empty to serve no /healthz or /metrics.');
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    token: token ?? '',
    clientId: clientId ?? '',
    devGuildId,
    keyvUrl,
    logLevel: logLevel.data ?? 'info',
    apiUrl,
    restProxyUrl,
    retentionDays: retentionDays ?? DEFAULT_RETENTION_DAYS,
    ...sharding,
    health: healthPort ? { port: Number(healthPort), host: value('HEALTH_HOST') ?? '127.0.0.1' } : undefined,
  };
}

/** SHARD_COUNT, SHARDS and SHARD_LEASE_SECONDS, with what is wrong added to `problems`. */
function readSharding(
  value: (key: string) => string | undefined,
  keyvUrl: string,
  problems: string[],
): Pick<Config, 'shardCount' | 'shardIds' | 'shardLeaseMs'> {
  const countText = value('SHARD_COUNT');
  const count = countText === undefined ? undefined : wholeNumberIn(countText, 1, 100_000);
  if (countText !== undefined && count === undefined) {
    problems.push('SHARD_COUNT must be a whole number of shards, 1 or more, the same for every process.');
  }
  const idsText = value('SHARDS');
  let shardIds: readonly number[] | undefined;
  if (idsText !== undefined) {
    if (count === undefined) {
      problems.push('SHARDS needs SHARD_COUNT: how many shards there are in all, across every process.');
    } else {
      const parsed = parseShardList(idsText, count);
      if (typeof parsed === 'string') problems.push(`SHARDS: ${parsed}.`);
      else shardIds = parsed.ids.length === count ? undefined : parsed.ids;
    }
  }
  if (shardIds && !SHARED_STORE.test(keyvUrl)) {
    problems.push(
      'SHARDS runs part of the bot in this process, so other processes run the rest: they must share their state through Redis or PostgreSQL (KEYV_URL=redis://… or postgres://…). The embedded SQLite file serves one process.',
    );
  }
  const lease = wholeNumberIn(value('SHARD_LEASE_SECONDS') ?? String(DEFAULT_SHARD_LEASE_SECONDS), 2, 600);
  if (lease === undefined) {
    problems.push(
      `SHARD_LEASE_SECONDS must be a whole number of seconds from 2 to 600 (default ${DEFAULT_SHARD_LEASE_SECONDS}).`,
    );
  }
  return { shardCount: count, shardIds, shardLeaseMs: (lease ?? DEFAULT_SHARD_LEASE_SECONDS) * 1000 };
}

/** The whole number `text` spells, if it is one from `min` to `max`. */
function wholeNumberIn(text: string, min: number, max: number): number | undefined {
  const number = Number(text);
  return /^\d+$/u.test(text) && number >= min && number <= max ? number : undefined;
}

const API_URL = /^https?:\/\/[^\s]+\/api$/u;

/** Where the REST proxy listens, and the API it forwards to. */
export interface RestProxyConfig {
  readonly port: number;
  readonly host: string;
  readonly apiUrl: string | undefined;
}

/** The proxy's own configuration: REST_PROXY_PORT (default 8090), REST_PROXY_HOST, DISCORD_API_URL. */
export function loadRestProxyConfig(env: NodeJS.ProcessEnv = readEnv()): RestProxyConfig {
  const port = wholeNumberIn(env.REST_PROXY_PORT?.trim() || '8090', 1, 65_535);
  const apiUrl = env.DISCORD_API_URL?.trim() || undefined;
  const problems = [
    ...(port === undefined ? ['REST_PROXY_PORT must be a TCP port, 1 to 65535 (default 8090).'] : []),
    ...(apiUrl && !API_URL.test(apiUrl) ? ['DISCORD_API_URL must be an http(s) URL ending in /api.'] : []),
  ];
  if (problems.length > 0 || port === undefined) throw new ConfigError(problems);
  return { port, host: env.REST_PROXY_HOST?.trim() || '127.0.0.1', apiUrl };
}

const SHARED_STORE = /^(redis|rediss|postgres|postgresql):/u;

function readEnv(): NodeJS.ProcessEnv {
  dotenv.config({ quiet: true });
  return process.env;
}
