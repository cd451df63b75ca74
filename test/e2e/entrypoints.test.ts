import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from '@keyv/redis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { commands } from '../../commands/index.js';
import { type Emulator, type GuildHandle, type Member, startEmulator } from '../../src/emulator/index.js';
import { shippedCorpus } from '../helpers/context.js';
import { runScript } from '../helpers/processes.js';
import { available } from '../helpers/services.js';

const { corpus } = await shippedCorpus();

/** The real command-line entry points, run as a newcomer would run them, against the emulator. */
let discord: Emulator;
let guild: GuildHandle;
let bo: Member;
const dir = mkdtempSync(path.join(tmpdir(), 'crux-entry-'));

beforeAll(async () => {
  discord = await startEmulator();
  guild = discord.addGuild({ channels: ['reading'] });
  bo = guild.addMember('bo');
});
afterAll(async () => {
  await discord.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = runScript;

const botEnv = () => ({
  DISCORD_TOKEN: discord.token,
  DISCORD_CLIENT_ID: discord.applicationId,
  DISCORD_API_URL: discord.apiUrl,
  KEYV_URL: `sqlite://${path.join(dir, 'state.sqlite')}`,
  LOG_LEVEL: 'warn',
});

describe('npm run deploy-commands', () => {
  it('registers the commands to DEV_GUILD_ID and says what changed', async () => {
    const first = run('src/cli/deploy-commands.ts', { ...botEnv(), DEV_GUILD_ID: guild.id });
    const [code] = await once(first, 'exit');
    expect(code).toBe(0);
    // Every command of the registry, in its order; the summary lists them alphabetically.
    const names = commands.map((c) => c.definition(corpus).name);
    expect(first.output()).toContain(
      `Registered commands to server ${guild.id}:\n  added: ${[...names]
        .sort()
        .map((n) => `/${n}`)
        .join(', ')}`,
    );
    expect(discord.commands(guild.id).map((c) => c.name)).toEqual(names);
    expect(discord.commands()).toEqual([]);

    const second = run('src/cli/deploy-commands.ts', { ...botEnv(), DEV_GUILD_ID: guild.id });
    await once(second, 'exit');
    expect(second.output()).toContain(`are already up to date (${names.length} unchanged)`);
  });
});

describe('npm start', () => {
  it('connects, answers commands, and shuts down cleanly on SIGTERM', async () => {
    const identifies = discord.gateway.identifies;
    const bot = run('src/index.ts', { ...botEnv(), DEV_GUILD_ID: guild.id });
    try {
      for (let waited = 0; discord.gateway.identifies === identifies; waited += 100) {
        if (waited > 20_000 || bot.exitCode !== null)
          throw new Error(`the bot did not connect:\n${bot.output()}`);
        await sleep(100);
      }
      // Let it receive its servers before the first command.
      await sleep(300);
      const reply = await bo.run('help');
      expect(reply.text).toContain('/excerpt');
    } finally {
      bot.kill('SIGTERM');
    }
    const [code] = await once(bot, 'exit');
    expect(code).toBe(0);
  });

  it('builds and runs one bot, which stops when npm itself is killed', async () => {
    const identifies = discord.gateway.identifies;
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...botEnv() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    npm.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    // The build takes a while on a loaded machine; the bot then connects.
    await vi.waitFor(
      () => {
        if (npm.exitCode !== null) throw new Error(`npm start exited:\n${output}`);
        expect(discord.gateway.identifies).toBeGreaterThan(identifies);
      },
      { timeout: 120_000, interval: 200 },
    );
    expect(discord.gateway.connected).toBe(true);
    // A supervisor kills "the bot" by the pid it started: npm. Nothing can pass SIGKILL on.
    npm.kill('SIGKILL');
    await vi.waitFor(() => expect(discord.gateway.connected).toBe(false), { timeout: 15_000, interval: 200 });
  }, 180_000);

  it('refuses a second process on the same SQLite file, saying what to do instead', async () => {
    const env = { ...botEnv(), LOG_LEVEL: 'info' };
    const first = run('src/index.ts', env);
    try {
      // Start-up is slow on a loaded machine: the waits are generous, the assertions exact.
      await vi.waitFor(() => expect(first.output()).toContain('connected to Discord'), {
        timeout: 90_000,
        interval: 100,
      });
      const second = run('src/index.ts', env);
      const [code] = await once(second, 'exit');
      expect(code).toBe(1);
      expect(second.output()).toContain('another process is using');
      expect(second.output()).toContain('use Redis or PostgreSQL');
      expect(second.output()).not.toMatch(/\n\s+at /u);
    } finally {
      first.kill('SIGTERM');
      await once(first, 'exit');
    }
  }, 180_000);

  it.skipIf(!available.redis)(
    'on Redis, a second process for the same shards waits, and takes over when the first stops',
    async () => {
      const redis = createClient({ url: 'redis://127.0.0.1:6379/8' });
      await redis.connect();
      await redis.flushDb();
      const env = { ...botEnv(), KEYV_URL: 'redis://127.0.0.1:6379/8', SHARD_COUNT: '2', LOG_LEVEL: 'info' };
      const first = run('src/index.ts', env);
      const second = run('src/index.ts', env);
      try {
        // Whichever takes the leases first connects; the other says it waits.
        await vi.waitFor(
          () => {
            const outputs = [first.output(), second.output()];
            expect(outputs.filter((o) => o.includes('connected to Discord'))).toHaveLength(1);
            expect(outputs.filter((o) => o.includes('waiting for shards'))).toHaveLength(1);
          },
          { timeout: 90_000, interval: 100 },
        );
        const [running, waiting] = first.output().includes('connected to Discord')
          ? [first, second]
          : [second, first];
        running.kill('SIGTERM');
        const [code] = await once(running, 'exit');
        expect(code).toBe(0);
        await vi.waitFor(() => expect(waiting.output()).toContain('connected to Discord'), {
          timeout: 60_000,
          interval: 100,
        });
        expect(waiting.exitCode).toBeNull();
      } finally {
        for (const bot of [first, second]) if (bot.exitCode === null) bot.kill('SIGTERM');
        await redis.flushDb();
        await redis.close();
      }
    },
    240_000,
  );

  it('refuses to start without configuration: every problem named, exit code 1, no stack trace', async () => {
    const bot = run('src/index.ts', { DISCORD_TOKEN: 'not-a-token' });
    const [code] = await once(bot, 'exit');
    expect(code).toBe(1);
    expect(bot.output()).toMatch(/^Crux cannot start: the configuration is incomplete\./mu);
    expect(bot.output()).toContain('DISCORD_TOKEN does not look like a bot token');
    expect(bot.output()).toContain('DISCORD_CLIENT_ID is missing');
    expect(bot.output()).not.toMatch(/\n\s+at /u);
  });
});
