import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Crux } from '../src/core/corpus/types.js';
import {
  type ChannelHandle,
  type Emulator,
  type Member,
  type MessageView,
  startEmulator,
} from '../src/emulator/index.js';
import { first, positionsOf, shippedCorpus } from '../test/helpers/context.js';

/**
 * `npm run bench:baseline [N]` (or BENCH_N; default 200): Crux against a bare discord.js bot
 * (bench/bare-bot.ts: one Client that answers everything with "pong"), each a child process of its own
 * connected to its own emulator in this process, so neither sees the other's traffic and both pay the same
 * member-side cost. Crux is the real `startBot` (test/faults/bot-process.ts) on SQLite in a temporary
 * directory, LOG_LEVEL=warn. Emulator defaults (Discord's rate limits on, no added latency).
 *
 * Each figure is one round trip as the member sees it: from just before `member.run` / `member.click` /
 * `member.autocomplete` is called (the emulator builds the interaction and sends INTERACTION_CREATE over the
 * gateway) until that call resolves with the answer, that is once the bot's callback reached the emulator
 * and, for a deferred answer, its final edit did. One interaction at a time, never two in flight:
 *
 * - /excerpt: `/excerpt` with no options, in the reading channel (Crux: picks, records and posts an excerpt).
 * - /crux: `/crux` with no options (Crux: the next crux of session 1 in rotation, recorded).
 * - autocomplete: typing into /excerpt's `text` option (Crux: matching text titles; no store read).
 * - Another: the "Another" button on an /excerpt reply (Crux: a new excerpt, recorded, posted as a reply);
 *   for the bare bot its button on its /excerpt reply (an update).
 * - vote: an answer button on a position poll opened with `/poll open` on a crux of session 1, each click
 *   by a different member, so each is a new vote stored (Crux: its ephemeral confirmation; the poll
 *   message's refresh happens afterwards and is not timed); for the bare bot its button on its /poll reply.
 *
 * Calls are interleaved: each round runs every action once on each bot, Crux first in even rounds and the
 * bare bot first in odd ones, so a change in the machine's load falls on both alike. The first WARMUP
 * rounds are run and not counted (first calls load code and warm caches on both sides). Not timed: starting
 * the emulators and processes, registering commands, the setup /excerpt and /poll open. Failed calls
 * (an error, "The application did not respond", or an answer that is not the expected one) are counted
 * and left out of the figures. p50 and p99 are nearest-rank. Target (issue 12): Crux's p50 ≤ 1.5× the bare
 * bot's for every action.
 */
const N = wholeNumber(process.argv[2] ?? process.env.BENCH_N, 200);
const WARMUP = 10;
const TARGET = 1.5;

function wholeNumber(text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`not a whole number of 1 or more: ${text}`);
  return value;
}

/** A bot as a child process: what it printed, and whether it is still running. */
interface Child {
  readonly child: ChildProcess;
  output(): string;
  alive(): boolean;
}

/**
 * Forks `entry` under tsx as test/faults/harness.ts does, with only the environment it is given (plus PATH
 * and HOME), and waits for its { type: 'ready' }; rejects with what it printed if it exits first.
 */
async function forkBot(entry: string, env: Record<string, string>): Promise<Child> {
  const child = fork(entry, [], {
    execArgv: ['--import', 'tsx'],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  await new Promise<void>((resolve, reject) => {
    child.on('message', (message: { type?: string }) => {
      if (message.type === 'ready') resolve();
    });
    child.once('exit', (code) =>
      reject(new Error(`${path.basename(entry)} exited (${code}) before it was ready:\n${output}`)),
    );
  });
  return {
    child,
    output: () => output,
    alive: () => child.exitCode === null && child.signalCode === null,
  };
}

async function kill(bot: Child | undefined): Promise<void> {
  if (!bot?.alive()) return;
  const exited = once(bot.child, 'exit');
  bot.child.kill('SIGKILL');
  await exited;
}

type ActionName = 'excerpt' | 'crux' | 'autocomplete' | 'another' | 'vote';

/** One action on one bot: makes the call for round `i`, and says what is wrong with its answer, if anything. */
type Action = (i: number) => Promise<string | undefined>;

interface Side {
  readonly name: 'bare' | 'Crux';
  readonly discord: Emulator;
  readonly actions: Record<ActionName, Action>;
  readonly times: Record<ActionName, number[]>;
  readonly failures: Record<ActionName, Map<string, number>>;
}

const ACTIONS: readonly { readonly name: ActionName; readonly label: string }[] = [
  { name: 'excerpt', label: '/excerpt' },
  { name: 'crux', label: '/crux' },
  { name: 'autocomplete', label: 'autocomplete (/excerpt text)' },
  { name: 'another', label: 'Another click' },
  { name: 'vote', label: 'vote click' },
];

const perAction = <T>(make: () => T): Record<ActionName, T> => ({
  excerpt: make(),
  crux: make(),
  autocomplete: make(),
  another: make(),
  vote: make(),
});

/** A server with a reading channel, a member, a facilitator and `voters` more members, on its own emulator. */
async function world(voters: number) {
  const discord = await startEmulator();
  const guild = discord.addGuild({ name: 'Reading Group', channels: ['reading'] });
  return {
    discord,
    reading: guild.channel('reading'),
    bo: guild.addMember('bo'),
    ada: guild.addMember('ada', { permissions: ['ManageGuild'] }),
    voters: Array.from({ length: voters }, (_, i) => guild.addMember(`voter${i}`)),
  };
}

const { corpus } = await shippedCorpus();
const crux: Crux = first(
  corpus.cruxes.filter((c) => c.session === 1 && c.positions.length >= 2),
  'crux of session 1 with two positions',
);
const [positionA, positionB] = positionsOf(crux, 2);
/** What a member types into /excerpt's `text`: the start of the first text's title. */
const typed = first(corpus.texts, 'text').title.slice(0, 3).toLowerCase();
const rounds = WARMUP + N;

const dir = mkdtempSync(path.join(tmpdir(), 'crux-bench-baseline-'));
const bareWorld = await world(rounds);
const cruxWorld = await world(rounds);
let bareBot: Child | undefined;
let cruxBot: Child | undefined;

const cpus = os.cpus();
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.warn(
  `machine: ${cpus.length} CPUs (${cpus[0]?.model ?? 'unknown model'}), load average ${load()}; node ${process.version}`,
);

try {
  [bareBot, cruxBot] = await Promise.all([
    forkBot(path.join(import.meta.dirname, 'bare-bot.ts'), {
      DISCORD_TOKEN: bareWorld.discord.token,
      DISCORD_API_URL: bareWorld.discord.apiUrl,
    }),
    forkBot(path.join(import.meta.dirname, '../test/faults/bot-process.ts'), {
      DISCORD_TOKEN: cruxWorld.discord.token,
      DISCORD_CLIENT_ID: cruxWorld.discord.applicationId,
      DISCORD_API_URL: cruxWorld.discord.apiUrl,
      KEYV_URL: `sqlite://${path.join(dir, 'state.sqlite')}`,
      LOG_LEVEL: 'warn',
      CRUX_TEST_NOW: String(Date.now()),
    }),
  ]);

  // Setup, not timed: the message whose "Another" (or pong) button is clicked, and the poll voted in.
  const setup = async (
    w: Awaited<ReturnType<typeof world>>,
    pollMessage: (reply: MessageView, reading: ChannelHandle) => MessageView,
  ) => {
    const excerpt = await w.bo.run('excerpt', {}, w.reading);
    const opened = await w.ada.run('poll open', { crux: crux.id, hours: 48 }, w.reading);
    return { excerpt, poll: pollMessage(opened, w.reading) };
  };
  const bareSetup = await setup(bareWorld, (reply) => reply);
  const cruxSetup = await setup(cruxWorld, (_reply, reading) =>
    first(
      reading.messages().filter((m) => m.embeds[0]?.author?.name.startsWith('Position poll')),
      'the poll message',
    ),
  );

  const pong = (what: string) => (reply: MessageView) =>
    reply.content === 'pong' ? undefined : `${what} answered “${reply.text.slice(0, 80)}”`;
  const bareMember = (i: number): Member => first(bareWorld.voters.slice(i, i + 1), 'voter');
  const cruxMember = (i: number): Member => first(cruxWorld.voters.slice(i, i + 1), 'voter');
  const bare: Side = {
    name: 'bare',
    discord: bareWorld.discord,
    actions: {
      excerpt: () => bareWorld.bo.run('excerpt', {}, bareWorld.reading).then(pong('/excerpt')),
      crux: () => bareWorld.bo.run('crux', {}, bareWorld.reading).then(pong('/crux')),
      autocomplete: () =>
        bareWorld.bo
          .autocomplete('excerpt', { text: typed }, 'text', bareWorld.reading)
          .then((choices) => (choices.length === 1 ? undefined : `${choices.length} choices`)),
      another: () => bareWorld.bo.click(bareSetup.excerpt, 'pong').then(pong('the button')),
      vote: (i) => bareMember(i).click(bareSetup.poll, 'pong').then(pong('the button')),
    },
    times: perAction(() => []),
    failures: perAction(() => new Map()),
  };
  const excerptShown = (reply: MessageView) =>
    !reply.ephemeral && reply.buttons.some((b) => b.label === 'Another')
      ? undefined
      : `no excerpt: “${reply.text.slice(0, 80)}”`;
  const cruxSide: Side = {
    name: 'Crux',
    discord: cruxWorld.discord,
    actions: {
      excerpt: () => cruxWorld.bo.run('excerpt', {}, cruxWorld.reading).then(excerptShown),
      crux: () =>
        cruxWorld.bo
          .run('crux', {}, cruxWorld.reading)
          .then((reply) =>
            !reply.ephemeral && reply.embeds.length > 0 ? undefined : `no crux: “${reply.text.slice(0, 80)}”`,
          ),
      autocomplete: () =>
        cruxWorld.bo
          .autocomplete('excerpt', { text: typed }, 'text', cruxWorld.reading)
          .then((choices) => (choices.length > 0 ? undefined : 'no choices')),
      another: () => cruxWorld.bo.click(cruxSetup.excerpt, 'Another').then(excerptShown),
      vote: (i) =>
        cruxMember(i)
          .click(cruxSetup.poll, i % 2 === 0 ? `A. ${positionA.label}` : `B. ${positionB.label}`)
          .then((reply) =>
            reply.content.startsWith('Your answer: ')
              ? undefined
              : `not a vote: “${reply.text.slice(0, 80)}”`,
          ),
    },
    times: perAction(() => []),
    failures: perAction(() => new Map()),
  };

  const call = async (side: Side, action: ActionName, i: number) => {
    const started = performance.now();
    let problem: string | undefined;
    try {
      problem = await side.actions[action](i);
    } catch (error) {
      problem = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    const took = performance.now() - started;
    if (i < WARMUP) return;
    if (problem === undefined) side.times[action].push(took);
    else {
      const reason = problem.slice(0, 160);
      side.failures[action].set(reason, (side.failures[action].get(reason) ?? 0) + 1);
    }
  };

  const began = performance.now();
  for (let i = 0; i < rounds; i++) {
    for (const { name } of ACTIONS) {
      const order = i % 2 === 0 ? [cruxSide, bare] : [bare, cruxSide];
      for (const side of order) await call(side, name, i);
    }
  }
  const seconds = (performance.now() - began) / 1000;
  // Let Crux's poll-message refreshes (after the votes) finish, so their errors, if any, are printed below.
  await Promise.all([bareWorld.discord.idle(), cruxWorld.discord.idle()]);

  console.warn(
    `${N} rounds of 5 actions on each bot (after ${WARMUP} uncounted), interleaved one call at a time, in ${seconds.toFixed(1)} s`,
  );
  console.warn(
    `Crux: the real bot process on SQLite; bare: one discord.js Client answering "pong"; round trip as the member sees it, ms\n`,
  );

  const quantile = (sorted: readonly number[], q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
  const stats = (times: readonly number[]) => {
    const sorted = [...times].sort((a, b) => a - b);
    return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), n: sorted.length };
  };
  const failedCount = (side: Side, action: ActionName) =>
    [...side.failures[action].values()].reduce((a, b) => a + b, 0);
  const table = [
    [
      'action',
      'bare p50',
      'bare p99',
      'Crux p50',
      'Crux p99',
      'Crux/bare p50',
      `≤ ${TARGET}×`,
      'failed bare/Crux',
    ],
    ...ACTIONS.map(({ name, label }) => {
      const b = stats(bare.times[name]);
      const c = stats(cruxSide.times[name]);
      const ratio = c.p50 / b.p50;
      return [
        label,
        b.p50.toFixed(1),
        b.p99.toFixed(1),
        c.p50.toFixed(1),
        c.p99.toFixed(1),
        `${ratio.toFixed(2)}×`,
        Number.isFinite(ratio) ? (ratio <= TARGET ? 'met' : 'NOT MET') : '?',
        `${failedCount(bare, name)}/${failedCount(cruxSide, name)}`,
      ];
    }),
  ];
  const widths = table[0]?.map((_, c) => Math.max(...table.map((line) => line[c]?.length ?? 0))) ?? [];
  console.warn(
    table
      .map((line) =>
        line
          .map((cell, c) => cell.padEnd(widths[c] ?? 0))
          .join('  ')
          .trimEnd(),
      )
      .join('\n'),
  );

  for (const side of [bare, cruxSide]) {
    for (const { name, label } of ACTIONS) {
      for (const [reason, n] of side.failures[name]) console.warn(`${side.name} ${label}: ${n}× ${reason}`);
    }
    const { discord } = side;
    const problems = [
      discord.violations.length > 0 ? `${discord.violations.length} requests Discord would refuse` : '',
      discord.rateLimits.served.length > 0 ? `${discord.rateLimits.served.length} 429s served` : '',
    ].filter(Boolean);
    if (problems.length > 0) console.warn(`${side.name}'s emulator: ${problems.join('; ')}`);
  }
  for (const [name, bot] of [
    ['bare', bareBot],
    ['Crux', cruxBot],
  ] as const) {
    if (!bot.alive()) console.warn(`${name}: the process exited during the run`);
    const printed = bot.output().trim();
    if (printed !== '') console.warn(`${name} printed:\n${printed.split('\n').slice(-20).join('\n')}`);
  }
  console.warn(`load average after: ${load()}`);
} finally {
  await kill(bareBot);
  await kill(cruxBot);
  await bareWorld.discord.close();
  await cruxWorld.discord.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
