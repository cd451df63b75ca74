import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_KEYV_URL, loadConfig } from '../src/config.js';

const TOKEN = `${'a'.repeat(24)}.${'b'.repeat(6)}.${'c'.repeat(27)}`;
const CLIENT_ID = '123456789012345678';

function problems(env: Record<string, string>, needs?: Parameters<typeof loadConfig>[0]): readonly string[] {
  try {
    loadConfig(needs, env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('loadConfig', () => {
  it('uses the embedded SQLite file and info logging by default', () => {
    const config = loadConfig(undefined, { DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: CLIENT_ID });
    expect(config).toEqual({
      token: TOKEN,
      clientId: CLIENT_ID,
      devGuildId: undefined,
      keyvUrl: DEFAULT_KEYV_URL,
      logLevel: 'info',
      apiUrl: undefined,
      retentionDays: 30,
      shardCount: undefined,
      shardIds: undefined,
      shardLeaseMs: 30_000,
      health: undefined,
    });
  });

  it('reads which shards this process runs, of how many', () => {
    const base = { DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: CLIENT_ID, KEYV_URL: 'redis://127.0.0.1:6379' };
    expect(loadConfig(undefined, { ...base, SHARD_COUNT: '16', SHARDS: '0-3,8' })).toMatchObject({
      shardCount: 16,
      shardIds: [0, 1, 2, 3, 8],
    });
    // Every shard listed is the same as none listed: this process runs them all.
    expect(loadConfig(undefined, { ...base, SHARD_COUNT: '2', SHARDS: '0,1' }).shardIds).toBeUndefined();
    expect(loadConfig(undefined, { ...base, SHARD_COUNT: '4' })).toMatchObject({
      shardCount: 4,
      shardIds: undefined,
    });
  });

  it.each([
    [{ SHARDS: '0-1' }, 'SHARDS needs SHARD_COUNT'],
    [{ SHARD_COUNT: '4', SHARDS: '2-5' }, 'SHARDS: shard 5 does not exist when SHARD_COUNT is 4'],
    [{ SHARD_COUNT: '4', SHARDS: '3-1' }, 'SHARDS: the range 3-1 runs backwards'],
    [{ SHARD_COUNT: '0' }, 'SHARD_COUNT must be a whole number of shards, 1 or more'],
    [{ SHARD_COUNT: '4', SHARDS: '0-1', KEYV_URL: '' }, 'SHARDS runs part of the bot in this process'],
    [{ SHARD_LEASE_SECONDS: '1' }, 'SHARD_LEASE_SECONDS must be a whole number of seconds from 2 to 600'],
    [{ HEALTH_PORT: '70000' }, 'HEALTH_PORT must be a TCP port'],
  ])('refuses sharding settings %o, saying why', (env, why) => {
    const found = problems({
      DISCORD_TOKEN: TOKEN,
      DISCORD_CLIENT_ID: CLIENT_ID,
      KEYV_URL: 'postgres://127.0.0.1/crux',
      ...env,
    });
    expect(found.join('\n')).toContain(why);
  });

  it('names every missing key at once, with where to get it', () => {
    const found = problems({});
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^DISCORD_TOKEN is missing\. .*Bot → Reset Token/u);
    expect(found[1]).toMatch(/^DISCORD_CLIENT_ID is missing\. .*General Information → Application ID/u);
  });

  it('names every invalid key at once', () => {
    const found = problems({
      DISCORD_TOKEN: 'nope',
      DISCORD_CLIENT_ID: 'my-bot',
      DEV_GUILD_ID: 'abc',
      KEYV_URL: 'mysql://db',
      LOG_LEVEL: 'loud',
      DISCORD_API_URL: 'ftp://x',
      DATA_RETENTION_DAYS: '0',
    });
    expect(found.map((p) => p.split(' ')[0])).toEqual([
      'DISCORD_TOKEN',
      'DISCORD_CLIENT_ID',
      'DEV_GUILD_ID',
      'KEYV_URL',
      'LOG_LEVEL',
      'DISCORD_API_URL',
      'DATA_RETENTION_DAYS',
    ]);
  });

  it.each([
    ['sqlite:foo.db', 'must name a file'],
    ['sqlite://', 'must name a file'],
    ['redis://:::', 'is not a valid URL'],
    ['postgres://host:badport/db', 'is not a valid URL'],
    ['memory:yes', 'must be exactly memory:'],
  ])('refuses KEYV_URL %s, saying why', (url, why) => {
    const [problem] = problems({ DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: CLIENT_ID, KEYV_URL: url });
    expect(problem).toContain(`KEYV_URL ${why}`);
  });

  it('treats empty values as unset', () => {
    const config = loadConfig(undefined, {
      DISCORD_TOKEN: TOKEN,
      DISCORD_CLIENT_ID: CLIENT_ID,
      KEYV_URL: '  ',
      DEV_GUILD_ID: '',
    });
    expect(config.keyvUrl).toBe(DEFAULT_KEYV_URL);
    expect(config.devGuildId).toBeUndefined();
  });

  it('does not need a token for tools that do not connect', () => {
    expect(problems({}, { token: false, clientId: false })).toEqual([]);
  });

  it('reads as one message a person can act on', () => {
    const error = (() => {
      try {
        loadConfig(undefined, {});
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(
      /^Crux cannot start: the configuration is incomplete\.\n {2}- DISCORD_TOKEN/u,
    );
    expect(error?.message).toMatch(/copy \.env\.example to start\)\.$/u);
  });
});
