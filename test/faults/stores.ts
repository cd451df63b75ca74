import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Private PostgreSQL and Redis servers, started by a test on ports of their own, so the test can restart,
 * kill or freeze them without touching the shared servers on 5432 and 6379.
 */
export interface PrivateStore {
  readonly url: string;
  /** A clean restart, as `pg_ctl restart -m fast` or a Redis restart does: connections drop, data stays. */
  restart(): Promise<void>;
  /** Shuts the server down, keeping its data: connections are refused until `up`. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections hang rather than fail. */
  pause(): void;
  resume(): void;
  /** Stops it for good and removes its data. */
  destroy(): Promise<void>;
}

const PG_BIN = (() => {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const version = readdirSync(root).sort().at(-1);
  return version ? path.join(root, version, 'bin') : undefined;
})();

/** Whether this machine can start private servers (CI machines can). */
export const canStartPostgres = PG_BIN !== undefined && existsSync(path.join(PG_BIN, 'initdb'));
export const canStartRedis = (() => {
  try {
    execFileSync('redis-server', ['--version']);
    return true;
  } catch {
    return false;
  }
})();

/** A free-enough port: distinct per test process, away from the standard ones. */
function portFor(base: number): number {
  return base + (process.pid % 1000);
}

async function waitUntil(ready: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  for (let waited = 0; waited < ms; waited += 100) {
    if (await ready()) return;
    await sleep(100);
  }
  throw new Error(`${what} did not start`);
}

/** Sends `signal` to a process and its children (PostgreSQL runs a process per connection). */
function signalTree(pid: number, signal: NodeJS.Signals): void {
  let children: number[] = [];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)])
      .toString()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    // pgrep exits 1 when there are none.
  }
  process.kill(pid, signal);
  for (const child of children) process.kill(child, signal);
}

/** As root, PostgreSQL must run as its own user. */
function asPostgres(args: readonly string[]): readonly string[] {
  return process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', ...args] : args;
}

export async function startPostgres(): Promise<PrivateStore> {
  if (!PG_BIN) throw new Error('PostgreSQL binaries are not installed');
  const bin = PG_BIN;
  const dir = mkdtempSync(path.join(tmpdir(), 'crux-pg-'));
  if (process.getuid?.() === 0) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), 0);
  const data = path.join(dir, 'data');
  const port = portFor(45_000);
  const [cmd = '', ...args] = asPostgres([
    path.join(bin, 'initdb'),
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '--no-sync',
  ]);
  execFileSync(cmd, args, { stdio: 'ignore' });
  let server: ChildProcess | undefined;
  const postmasterPid = () => Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const launch = async () => {
    const [run = '', ...rest] = asPostgres([
      path.join(bin, 'postgres'),
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
    ]);
    server = spawn(run, rest, { stdio: 'ignore' });
    await waitUntil(() => {
      try {
        execFileSync(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], {
          stdio: 'ignore',
        });
        return true;
      } catch {
        return false;
      }
    }, 'PostgreSQL');
  };
  const shutdown = async () => {
    if (!existsSync(path.join(data, 'postmaster.pid'))) return;
    process.kill(postmasterPid(), 'SIGINT');
    await waitUntil(() => !existsSync(path.join(data, 'postmaster.pid')), 'PostgreSQL shutdown');
    await new Promise((resolve) =>
      server?.exitCode === null ? server.once('exit', resolve) : resolve(undefined),
    );
  };
  await launch();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async restart() {
      await shutdown();
      await launch();
    },
    down: shutdown,
    up: launch,
    // Every backend too: a frozen postmaster alone still serves the connections already open.
    pause: () => signalTree(postmasterPid(), 'SIGSTOP'),
    resume: () => {
      signalTree(postmasterPid(), 'SIGCONT');
      // runuser stops itself when its child stops; it must run again to notice the server's exit.
      server?.kill('SIGCONT');
    },
    async destroy() {
      try {
        signalTree(postmasterPid(), 'SIGCONT');
      } catch {
        // Already gone.
      }
      server?.kill('SIGCONT');
      await shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startRedis(): Promise<PrivateStore> {
  const port = portFor(46_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'crux-redis-'));
  let server: ChildProcess | undefined;
  const launch = async () => {
    // Every write on disk before it is acknowledged, so a restart keeps all the bot was told was saved.
    server = spawn(
      'redis-server',
      [
        ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir],
        ...['--save', '', '--appendonly', 'yes', '--appendfsync', 'always'],
      ],
      { stdio: 'ignore' },
    );
    await waitUntil(() => {
      try {
        return (
          execFileSync('redis-cli', ['-p', String(port), 'ping'])
            .toString()
            .trim() === 'PONG'
        );
      } catch {
        return false;
      }
    }, 'Redis');
  };
  const shutdown = async () => {
    if (!server || server.exitCode !== null) return;
    const exited = new Promise((resolve) => server?.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    async restart() {
      await shutdown();
      await launch();
    },
    down: shutdown,
    up: launch,
    pause: () => server?.kill('SIGSTOP'),
    resume: () => server?.kill('SIGCONT'),
    async destroy() {
      server?.kill('SIGCONT');
      await shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
