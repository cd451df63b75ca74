import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { shardOf } from '../src/core/shards.js';
import type { Member, MessageView } from '../src/emulator/index.js';
import { openState } from '../src/state/index.js';
import { type Group, kickoffSessions, newGroup } from '../test/e2e/groups.js';
import { type BotProcess, type ChildWorld, childWorld } from '../test/faults/harness.js';
import { type FreshStore, freshPostgres, freshRedis } from '../test/helpers/services.js';

/**
 * `npm run bench:processes [servers] [clicks]` (or BENCH_SERVERS, BENCH_CLICKS; BENCH_STORES=redis or
 * postgres for one store): the bot as 1, 2 and 4 child processes sharing SHARD_COUNT=4 (each process a
 * disjoint set of shards) on Redis and on PostgreSQL, against the local Discord emulator in this process,
 * with Discord's rate limits on. For each store and process count, from a fresh store and fresh processes:
 *
 * - tick: every process is told the first session is due and ticks at once; timed from sending the ticks
 *   until every process's tick has resolved and the emulator has answered every request made so far. That is
 *   the kickoffs of all servers (default 200) posted, bound by Discord's global 50 requests a second per
 *   bot, however many processes it runs in. Each process budgets 40 a second of its own (no REST proxy is
 *   configured here), so with more than one the emulator answers the excess with global 429s, counted.
 * - clicks: members (default 1,000, distinct, spread over every server) press "I’ve read it" on the kickoff
 *   all at once; timed from the first click sent until the last settled (clicks answered a second), and
 *   each answered member's click from sent to the answer it sees (p50, p99). Interaction answers are not
 *   bound by the global limit. Every answered check-in is then looked for in the store.
 *
 * Not timed: starting the processes, creating the servers and their `/schedule setup`. Each row is also
 * given as a ratio to one process on the same store. The emulator and every bot share this machine's CPUs,
 * so more processes than cores measures contention, not scale.
 */
const SHARD_COUNT = 4;
const PROCESS_COUNTS = [1, 2, 4] as const;
/**
 * SHARD_LEASE_SECONDS (BENCH_LEASE_SECONDS): 30, the default a deployment runs with. A short lease measures
 * the machine instead: at 2 s, 1,000 clicks at once on a 2-core machine delayed renewals past two-thirds of
 * the lease and processes stopped (as designed), which the run reports.
 */
const LEASE_SECONDS = wholeNumber(process.env.BENCH_LEASE_SECONDS, 30);
/** Servers created at once: enough to be quick, few enough that every setup answers inside its 3 seconds. */
const SETUP_BATCH = 20;
const SERVERS = wholeNumber(process.argv[2] ?? process.env.BENCH_SERVERS, 200);
const CLICKS = wholeNumber(process.argv[3] ?? process.env.BENCH_CLICKS, 1000);
const START = '2027-04-05T12:00:00Z';

function wholeNumber(text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`not a whole number of 1 or more: ${text}`);
  return value;
}

const stores: { readonly name: string; readonly create: (run: string) => Promise<FreshStore> }[] = [
  // A database index the tests do not use, flushed so no earlier run's keys remain.
  { name: 'Redis', create: () => freshRedis(10) },
  { name: 'PostgreSQL', create: (run) => freshPostgres(`crux_bench_${run}`) },
];

/** The SHARDS of each of `processes` processes: consecutive, equal ranges of SHARD_COUNT (`0-1`, `2-3`). */
function shardRanges(processes: number): string[] {
  const each = SHARD_COUNT / processes;
  return Array.from({ length: processes }, (_, k) => {
    const first = k * each;
    const last = first + each - 1;
    return first === last ? String(first) : `${first}-${last}`;
  });
}

interface Row {
  readonly store: string;
  readonly processes: number;
  readonly tickSeconds: number;
  readonly msPerServer: number;
  readonly clicksPerSecond: number;
  readonly clickP50: number;
  readonly clickP99: number;
  readonly clickFailures: number;
  /** Global 429s the emulator served during the tick: processes exceeding the one budget they share. */
  readonly global429s: number;
}

/** The `q` quantile (0 to 1) of `sorted`, nearest rank. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

/** The kickoff of session 1 in a server's reading channel, whose check-in button members press. */
function kickoffMessage(group: Group): MessageView | undefined {
  return group.reading
    .messages()
    .find((m) =>
      m.buttons.some((b) => b.customId.startsWith('progress:checkin:') && b.customId.includes('s=1')),
    );
}

/** Pino's warnings and errors in what the processes printed (LOG_LEVEL=warn), by message, with counts. */
function logProblems(processes: readonly BotProcess[]): Map<string, number> {
  const problems = new Map<string, number>();
  for (const bot of processes) {
    for (const line of bot.output().split('\n')) {
      if (line.trim() === '') continue;
      let key = line.slice(0, 200);
      try {
        const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
        key = `${entry.level === 40 ? 'warn' : entry.level === 50 ? 'error' : `level ${entry.level}`}: ${entry.msg ?? ''}${entry.err?.message ? ` (${entry.err.message})` : ''}`;
      } catch {
        // Not a log line (a stack trace, a runtime warning): counted as printed.
      }
      problems.set(key, (problems.get(key) ?? 0) + 1);
    }
  }
  return problems;
}

const loud = (message: string) => console.error(`\n!!!!! ${message} !!!!!\n`);

async function run(storeName: string, store: FreshStore, processCount: number): Promise<Row> {
  const label = `${storeName}, ${processCount} process${processCount === 1 ? '' : 'es'}`;
  let world: ChildWorld | undefined;
  let processes: BotProcess[] = [];
  try {
    world = await childWorld({ start: START });
    const started = performance.now();
    const env = (shards: string) => ({
      KEYV_URL: store.url,
      SHARD_COUNT: String(SHARD_COUNT),
      SHARDS: shards,
      SHARD_LEASE_SECONDS: String(LEASE_SECONDS),
    });
    const live = world;
    processes = await Promise.all(shardRanges(processCount).map((shards) => live.start(env(shards))));
    const connected = performance.now();

    // Consecutive milliseconds make consecutive snowflakes, which Discord's formula spreads over the shards.
    // `newGroup` adds its server before its first await, so each server in a batch gets its own millisecond.
    const groups: Group[] = [];
    const base = world.clock.now().getTime();
    for (let from = 0; from < SERVERS; from += SETUP_BATCH) {
      const batch: Promise<Group>[] = [];
      for (let i = from; i < Math.min(SERVERS, from + SETUP_BATCH); i++) {
        world.clock.set(base + i);
        batch.push(newGroup(live, `Server ${i}`));
      }
      groups.push(...(await Promise.all(batch)));
    }
    const perShard = Array.from({ length: SHARD_COUNT }, (_, shard) =>
      groups.reduce((n, g) => n + (shardOf(g.guild.id, SHARD_COUNT) === shard ? 1 : 0), 0),
    );
    console.warn(
      `${label}: processes connected in ${((connected - started) / 1000).toFixed(1)} s; ${SERVERS} servers set up in ${((performance.now() - connected) / 1000).toFixed(1)} s (by shard: ${perShard.join(', ')})`,
    );

    // (a) The tick that posts every server's first kickoff.
    const [first] = groups;
    if (!first) throw new Error('no servers');
    const due = first.session(1);
    const requestsBefore = world.discord.requests.length;
    const globalBefore = world.discord.rateLimits.globalLimited;
    const routeBefore = world.discord.rateLimits.routeLimited;
    let t = performance.now();
    const ticks = await Promise.all(processes.map((bot) => bot.tick(due)));
    await world.discord.idle();
    const tickMs = performance.now() - t;
    const byRoute = new Map<string, number>();
    for (const request of world.discord.requests.slice(requestsBefore))
      byRoute.set(request.route, (byRoute.get(request.route) ?? 0) + 1);
    const requests = world.discord.requests.length - requestsBefore;
    const global429s = world.discord.rateLimits.globalLimited - globalBefore;
    const route429s = world.discord.rateLimits.routeLimited - routeBefore;
    const reported = ticks.reduce((n, tick) => n + (tick.report?.servers ?? 0), 0);
    const failed = ticks.reduce((n, tick) => n + (tick.report?.failed ?? 0), 0);
    for (const [k, tick] of ticks.entries())
      if (tick.error) loud(`${label}: process ${k}'s tick failed: ${tick.error}`);
    const posted = groups.map((g) => kickoffSessions(g.reading));
    const missing = posted.filter((sessions) => sessions.length === 0).length;
    const doubled = posted.filter((sessions) => sessions.length > 1).length;
    const wrong = posted.filter((sessions) => sessions.length === 1 && sessions[0] !== 1).length;
    if (missing + doubled + wrong > 0)
      loud(
        `${label}: want exactly one kickoff (session 1) in every server; ${missing} have none, ${doubled} more than one, ${wrong} another session's`,
      );
    console.warn(
      `${label}: tick ${(tickMs / 1000).toFixed(2)} s; processes reported ${reported} servers (${failed} failed); ${requests} REST requests (${[...byRoute].map(([route, n]) => `${n} ${route}`).join(', ')}), ${global429s} global and ${route429s} per-route 429s`,
    );

    // (b) Check-ins: distinct members over every server, all pressing at once.
    const kickoffs = new Map<Group, MessageView>();
    for (const group of groups) {
      const kickoff = kickoffMessage(group);
      if (kickoff) kickoffs.set(group, kickoff);
    }
    const clickers: { group: Group; member: Member; kickoff: MessageView }[] = [];
    for (let i = 0; i < CLICKS; i++) {
      const group = groups[i % groups.length];
      const kickoff = group && kickoffs.get(group);
      if (group && kickoff) clickers.push({ group, member: group.guild.addMember(`reader${i}`), kickoff });
    }
    if (clickers.length < CLICKS)
      loud(`${label}: only ${clickers.length} of ${CLICKS} clicks have a kickoff to press`);
    // Let the processes take in the members' arrival (GUILD_MEMBER_ADD) before the clock starts.
    await sleep(1000);
    const latencies: number[] = [];
    const failures = new Map<string, number>();
    t = performance.now();
    await Promise.all(
      clickers.map(async ({ member, kickoff }) => {
        const sent = performance.now();
        try {
          await member.click(kickoff, 'I’ve read it');
          latencies.push(performance.now() - sent);
        } catch (error) {
          const reason = String(error).slice(0, 160);
          failures.set(reason, (failures.get(reason) ?? 0) + 1);
        }
      }),
    );
    const clicksMs = performance.now() - t;
    latencies.sort((a, b) => a - b);
    const clickFailures = [...failures.values()].reduce((a, b) => a + b, 0);
    if (clickFailures > 0)
      loud(
        `${label}: ${clickFailures} of ${clickers.length} clicks failed: ${[...failures].map(([reason, n]) => `${n}× ${reason}`).join('; ')}`,
      );

    // Every answered check-in must be in the store: a write lost between processes is a bug, not a number.
    const state = await openState(store.url, () => undefined);
    let stored = 0;
    for (const group of groups) stored += (await state.checkIns.forSession(group.guild.id, 1)).length;
    await state.close();
    // More stored than answered is a click recorded whose answer came too late (or never: a process gone).
    if (stored < latencies.length)
      loud(`${label}: ${latencies.length} check-ins were answered but only ${stored} are stored`);
    console.warn(
      `${label}: ${clickers.length} clicks in ${(clicksMs / 1000).toFixed(2)} s, ${clickFailures} failed, ${stored} check-ins stored`,
    );

    const dead = processes.filter((bot) => !bot.alive()).length;
    if (dead > 0) loud(`${label}: ${dead} of ${processes.length} processes exited during the run`);
    const problems = logProblems(processes);
    if (problems.size > 0) {
      console.warn(`${label}: the processes printed:`);
      for (const [line, n] of problems) console.warn(`  ${n}× ${line}`);
    }
    if (world.discord.violations.length > 0)
      loud(
        `${label}: ${world.discord.violations.length} requests Discord would refuse (emulator violations)`,
      );

    return {
      store: storeName,
      processes: processCount,
      tickSeconds: tickMs / 1000,
      msPerServer: tickMs / SERVERS,
      clicksPerSecond: latencies.length / (clicksMs / 1000),
      clickP50: quantile(latencies, 0.5),
      clickP99: quantile(latencies, 0.99),
      clickFailures,
      global429s,
    };
  } catch (error) {
    for (const [k, bot] of processes.entries())
      console.error(`--- process ${k} printed:\n${bot.output().slice(-4000)}`);
    throw error;
  } finally {
    await world?.close();
  }
}

const cpus = os.cpus();
console.warn(
  `machine: ${cpus.length} CPUs (${cpus[0]?.model ?? 'unknown model'}), load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; node ${process.version}`,
);
console.warn(
  `${SERVERS} servers over ${SHARD_COUNT} shards, ${CLICKS} check-in clicks, processes ${PROCESS_COUNTS.join(', ')}, SHARD_LEASE_SECONDS=${LEASE_SECONDS}\n`,
);

const wanted = (process.env.BENCH_STORES ?? 'redis,postgres').toLowerCase().split(',');
const rows: Row[] = [];
for (const { name, create } of stores) {
  if (!wanted.some((w) => name.toLowerCase().startsWith(w.trim()))) continue;
  for (const processCount of PROCESS_COUNTS) {
    const store = await create(`p${processCount}`);
    try {
      rows.push(await run(name, store, processCount));
    } catch (error) {
      loud(
        `${name}, ${processCount} processes: the run failed: ${error instanceof Error ? error.stack : String(error)}`,
      );
    } finally {
      await store.drop();
    }
  }
}

/** `value` and its ratio to one process's on the same store, e.g. `12.31 (×1.00)`. */
function withRatio(row: Row, pick: (row: Row) => number, digits: number): string {
  const one = rows.find((r) => r.store === row.store && r.processes === 1);
  const ratio = one ? `×${(pick(row) / pick(one)).toFixed(2)}` : '×?';
  return `${pick(row).toFixed(digits)} (${ratio})`;
}

const table = [
  [
    'store',
    'processes',
    'tick s',
    'ms/server',
    'clicks/s',
    'click p50 ms',
    'click p99 ms',
    'failed',
    'global 429s',
  ],
  ...rows.map((row) => [
    row.store,
    String(row.processes),
    withRatio(row, (r) => r.tickSeconds, 2),
    withRatio(row, (r) => r.msPerServer, 1),
    withRatio(row, (r) => r.clicksPerSecond, 0),
    withRatio(row, (r) => r.clickP50, 0),
    withRatio(row, (r) => r.clickP99, 0),
    String(row.clickFailures),
    String(row.global429s),
  ]),
];
const widths = table[0]?.map((_, c) => Math.max(...table.map((line) => line[c]?.length ?? 0))) ?? [];
console.warn(
  `\n${table.map((line) => line.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ')).join('\n')}`,
);
console.warn(
  '(×: the ratio to one process on the same store; for tick and latency lower is better, for clicks/s higher)',
);
console.warn(
  `load average after: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
