import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { mapChart, movementChart, resultsChart } from '../src/charts/polls.js';
import type { Crux } from '../src/core/corpus/types.js';
import { CommandMentions } from '../src/core/mentions.js';
import { cruxMap, movement } from '../src/core/polls/positions.js';
import { tally } from '../src/core/polls/tally.js';
import type { Poster } from '../src/jobs/poster.js';
import { silentLogger } from '../src/logger.js';
import { Polls } from '../src/polls/service.js';
import { openState, serverPolls } from '../src/state/index.js';
import { RETENTION_MS, seededRandom, shippedCorpus } from '../test/helpers/context.js';

/**
 * `npm run bench:polls`: votes recorded when 500 members answer in the same instant (group commit) against
 * the same votes one after another (a write each), on each store; chart rendering, cold and warm; and
 * /map's work for a server with a term of polls. Discord is replaced by a poster that answers at once.
 */
const { corpus, search } = await shippedCorpus();
const poster: Poster = {
  post: async () => ({ id: String(Math.floor(Math.random() * 1e15)), pollAnswerIds: [] }),
  edit: async () => undefined,
  endPoll: async () => undefined,
  pollVoters: async () => [],
  openThread: async (_channel, messageId) => messageId,
  findPosted: async () => undefined,
  presence: async () => 'present',
  notifyFacilitators: async () => true,
};
const dir = mkdtempSync(path.join(tmpdir(), 'crux-bench-polls-'));
const crux = corpus.cruxes[0] as Crux;
const now = new Date('2027-01-05T19:00:00Z');
const ms = (t: number) => `${t.toFixed(0)} ms`;

async function votes(url: string, members: number): Promise<{ together: number; oneByOne: number }> {
  const state = await openState(url, () => undefined);
  await state.check();
  const polls = new Polls({
    corpus,
    search,
    state,
    poster,
    clock: () => now,
    random: seededRandom(Date.now()),
    logger: silentLogger(),
    retentionMs: RETENTION_MS,
    mentions: new CommandMentions(),
  });
  const guildId = String(20_000_000 + Math.floor(Math.random() * 1e6));
  const open = () =>
    polls.open({
      guildId,
      channelId: '1',
      crux,
      phase: 'before',
      style: 'buttons',
      hideResults: true,
      openedBy: null,
      closesAt: new Date(now.getTime() + 24 * 3_600_000),
    });
  const choice = (i: number) => crux.positions[i % crux.positions.length]?.id ?? 'unsure';
  const first = await open();
  let t = performance.now();
  await Promise.all(
    Array.from({ length: members }, (_, i) =>
      polls.vote(guildId, first?.id ?? '', String(1e9 + i), choice(i)),
    ),
  );
  const together = performance.now() - t;
  const second = await open();
  t = performance.now();
  for (let i = 0; i < members; i++) await polls.vote(guildId, second?.id ?? '', String(1e9 + i), choice(i));
  const oneByOne = performance.now() - t;
  const counted = await state.polls.get(guildId, first?.id ?? '');
  if (Object.keys(counted?.ballots ?? {}).length !== members) throw new Error('votes were lost');
  polls.stop();
  await state.close();
  return { together, oneByOne };
}

const stores: [string, string][] = [
  ['memory', 'memory:'],
  ['sqlite', `sqlite://${path.join(dir, 'polls.sqlite')}`],
  ['redis', 'redis://127.0.0.1:6379'],
  ['postgres', 'postgres://postgres@127.0.0.1:5432/test'],
];
for (const [name, url] of stores) {
  try {
    const { together, oneByOne } = await votes(url, 500);
    console.warn(
      `${name}: 500 votes at once ${ms(together)}; the same 500 one after another ${ms(oneByOne)}`,
    );
  } catch (error) {
    console.warn(`${name}: skipped (${error instanceof Error ? error.message : String(error)})`);
  }
}

// Charts: the first render loads Vega and resvg; later ones are the steady cost.
const ballots = Array.from({ length: 30 }, (_, i) => ({
  choice: crux.positions[i % 2]?.id ?? 'unsure',
  at: 0,
}));
let t = performance.now();
await resultsChart(crux, tally(crux, ballots));
const cold = performance.now() - t;
const runs = 20;
t = performance.now();
for (let i = 0; i < runs; i++) await resultsChart(crux, tally(crux, ballots));
const warm = (performance.now() - t) / runs;

// A term's worth of polls: two per session on every crux, 30 members each.
const state = await openState('memory:', () => undefined);
const polls = new Polls({
  corpus,
  search,
  state,
  poster,
  clock: () => now,
  random: seededRandom(9),
  logger: silentLogger(),
  retentionMs: RETENTION_MS,
  mentions: new CommandMentions(),
});
const guildId = '30000000';
for (const c of corpus.cruxes) {
  for (const phase of ['before', 'after'] as const) {
    const poll = await polls.open({
      guildId,
      channelId: '1',
      crux: c,
      phase,
      style: 'buttons',
      hideResults: false,
      openedBy: null,
      closesAt: new Date(now.getTime() + 3_600_000),
    });
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        polls.vote(
          guildId,
          poll?.id ?? '',
          String(1e9 + i),
          c.positions[(i + (phase === 'after' ? 1 : 0)) % c.positions.length]?.id ?? 'unsure',
        ),
      ),
    );
  }
}
t = performance.now();
const all = await serverPolls(state, guildId);
const map = cruxMap(corpus, all);
const mapMath = performance.now() - t;
t = performance.now();
await mapChart(map.entries);
const mapDraw = performance.now() - t;
t = performance.now();
await movementChart(movement(crux, all));
const moveDraw = performance.now() - t;
polls.stop();
console.warn(
  `charts: first render ${ms(cold)} (loads Vega and resvg), then ${warm.toFixed(1)} ms a results chart; movement chart ${ms(moveDraw)}; map of ${map.entries.length} cruxes ${ms(mapDraw)}`,
);
console.warn(`/map's reads and arithmetic for ${all.length} polls of 30 members: ${ms(mapMath)}`);
rmSync(dir, { recursive: true, force: true });
process.exit(0);
