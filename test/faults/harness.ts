import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';

/**
 * The fault suite's world: the emulator in this process, and the bot as a child process (bot-process.ts)
 * that can be killed, stopped and started again on the same state, with one clock both share.
 */
export interface ChildWorld {
  readonly discord: Emulator;
  readonly dir: string;
  /** The time the emulator and the bot agree it is; bot processes move it (`tick`, `clock`), and `set` alone. */
  readonly clock: { now(): Date; set(at: number): void };
  /**
   * Starts a bot process (state in SQLite in `dir` unless `env` sets KEYV_URL) and waits until it is
   * connected. With `stalledOutput`, it prints into a pipe nobody reads (a log reader that stopped): the
   * pipe fills after 64 KiB, and a synchronous write to it would block. With `waitReady: false` it
   * resolves at once (a process that waits for shards another one holds); `ready` says when it is.
   */
  start(
    env?: Record<string, string>,
    options?: { readonly stalledOutput?: boolean; readonly waitReady?: boolean },
  ): Promise<BotProcess>;
  close(): Promise<void>;
}

export interface BotProcess {
  readonly child: ChildProcess;
  /** Resolves once the bot is connected with its commands checked; rejects if it exits first. */
  readonly ready: Promise<void>;
  /** Everything it printed. */
  output(): string;
  /** Sets the shared clock and runs one scheduler tick in the bot, resolving with what it reported. */
  tick(now: number): Promise<TickResult>;
  /** Sets the shared clock and starts a tick without waiting (for a crash in its middle). */
  tickInBackground(now: number): void;
  /** Sets the shared clock without ticking. */
  clock(now: number): void;
  /** Whether the process is still running. */
  alive(): boolean;
  /** Ends it like a crash: SIGKILL, nothing flushed, nothing recorded after. */
  kill(): Promise<void>;
  /** Asks it to stop as a supervisor does (SIGTERM) and waits until it has exited; its exit code. */
  stop(): Promise<number | null>;
}

/** What a tick in the bot process came to: the scheduler's report, or the error it failed with. */
export interface TickResult {
  readonly report?: { readonly servers: number; readonly failed: number };
  readonly error?: string;
}

export async function childWorld(options: { readonly start?: string } = {}): Promise<ChildWorld> {
  let now = Date.parse(options.start ?? '2027-02-01T12:00:00Z');
  const discord = await startEmulator({ now: () => now });
  const dir = mkdtempSync(path.join(tmpdir(), 'crux-faults-'));
  const processes: BotProcess[] = [];
  const held: number[] = [];
  return {
    discord,
    dir,
    clock: {
      now: () => new Date(now),
      set: (at) => {
        now = at;
      },
    },
    async start(env = {}, options = {}) {
      /** A FIFO held open (read-write, so opening does not wait) by this process, which never reads it. */
      const stalledPipe = () => {
        const fifo = path.join(dir, `stalled-${processes.length}-${Math.random().toString(36).slice(2)}`);
        execFileSync('mkfifo', [fifo]);
        const fd = openSync(fifo, 'r+');
        held.push(fd);
        return fd;
      };
      const child = fork(path.join(import.meta.dirname, 'bot-process.ts'), [], {
        execArgv: ['--import', 'tsx'],
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          DISCORD_TOKEN: discord.token,
          DISCORD_CLIENT_ID: discord.applicationId,
          DISCORD_API_URL: discord.apiUrl,
          KEYV_URL: `sqlite://${path.join(dir, 'state.sqlite')}`,
          LOG_LEVEL: 'warn',
          CRUX_TEST_NOW: String(now),
          ...env,
        },
        stdio: options.stalledOutput
          ? ['ignore', stalledPipe(), stalledPipe(), 'ipc']
          : ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      let output = '';
      child.stdout?.on('data', (chunk) => {
        output += chunk;
      });
      child.stderr?.on('data', (chunk) => {
        output += chunk;
      });
      const ready = new Promise<void>((resolve, reject) => {
        child.on('message', (message: { type?: string }) => {
          if (message.type === 'ready') resolve();
        });
        child.once('exit', (code) =>
          reject(new Error(`the bot exited (${code}) before it was ready:\n${output}`)),
        );
      });
      // Observed now, so a process that exits while nobody awaits `ready` is not an unhandled rejection.
      ready.catch(() => undefined);
      if (options.waitReady !== false) await ready;
      const bot: BotProcess = {
        child,
        ready,
        output: () => output,
        async tick(at) {
          now = at;
          const done = new Promise<TickResult>((resolve) => {
            const onMessage = (message: { type?: string; now?: number } & TickResult) => {
              if (message.type === 'ticked' && message.now === at) {
                child.off('message', onMessage);
                resolve({
                  ...(message.report ? { report: message.report } : {}),
                  ...(message.error ? { error: message.error } : {}),
                });
              }
            };
            child.on('message', onMessage);
          });
          child.send({ type: 'tick', now: at });
          return done;
        },
        tickInBackground(at) {
          now = at;
          child.send({ type: 'tick', now: at });
        },
        clock(at) {
          now = at;
          child.send({ type: 'clock', now: at });
        },
        alive: () => child.exitCode === null && child.signalCode === null,
        async kill() {
          if (!bot.alive()) return;
          const exited = once(child, 'exit');
          child.kill('SIGKILL');
          await exited;
        },
        async stop() {
          if (!bot.alive()) return child.exitCode;
          const exited = once(child, 'exit');
          child.kill('SIGTERM');
          const [code] = await exited;
          return code as number | null;
        },
      };
      processes.push(bot);
      return bot;
    },
    async close() {
      for (const bot of processes) await bot.kill();
      for (const fd of held) closeSync(fd);
      await discord.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
