import { commands } from '../../commands/index.js';
import { type CommandContext, defineAll } from '../../src/command.js';
import { loadValidCorpus } from '../../src/core/corpus/read.js';
import type { Corpus, Crux, Position } from '../../src/core/corpus/types.js';
import { CommandMentions } from '../../src/core/mentions.js';
import { CorpusSearch } from '../../src/core/search.js';
import { wakeAtFor } from '../../src/jobs/sessions.js';
import { silentLogger } from '../../src/logger.js';
import { Polls } from '../../src/polls/service.js';
import { openState, type State } from '../../src/state/index.js';
import { FakePoster } from './fake-poster.js';

/** Data is kept 30 days after the bot leaves a server, as by default. */
export const RETENTION_MS = 30 * 86_400_000;

/** The shipped corpus and its search index, loaded once per test file. */
let shared: Promise<{ corpus: Corpus; search: CorpusSearch }> | undefined;
export function shippedCorpus(): Promise<{ corpus: Corpus; search: CorpusSearch }> {
  shared ??= loadValidCorpus().then((corpus) => ({ corpus, search: new CorpusSearch(corpus) }));
  return shared;
}

/** A deterministic stand-in for Math.random (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Permissions a member and the bot normally have in a reading channel. */
export const EVERYDAY_PERMISSIONS = [
  'ViewChannel',
  'SendMessages',
  'EmbedLinks',
  'ReadMessageHistory',
  'CreatePublicThreads',
  'SendMessagesInThreads',
];

/**
 * A command context over the real corpus and a real in-memory Keyv. Each call opens fresh state unless one
 * is passed, so tests do not share rotation history by accident.
 */
export async function testContext(overrides: Partial<CommandContext> = {}): Promise<CommandContext> {
  const { corpus, search } = await shippedCorpus();
  const now = overrides.now ?? new Date('2026-11-22T12:00:00Z');
  const state: State =
    overrides.state ??
    (await openState(
      'memory:',
      (error) => {
        throw error;
      },
      { wakeAt: wakeAtFor(corpus, () => now, RETENTION_MS) },
    ));
  const random = overrides.random ?? seededRandom(42);
  const poster = new FakePoster(() => now);
  const polls =
    overrides.polls ??
    new Polls({
      corpus,
      search,
      state,
      poster,
      clock: () => now,
      random,
      logger: silentLogger(),
      retentionMs: RETENTION_MS,
      mentions: new CommandMentions(),
    });
  return {
    interactionId: '1000000000000000001',
    guildId: '200000000000000001',
    channelId: '300000000000000001',
    channelKind: 'text',
    userId: '400000000000000001',
    now,
    permissions: { member: new Set(EVERYDAY_PERMISSIONS), bot: new Set(EVERYDAY_PERMISSIONS) },
    memberRoles: [],
    botPermissionsIn: () => new Set(EVERYDAY_PERMISSIONS),
    roleMentionable: () => true,
    attachmentSizeLimit: 10 * 1024 * 1024,
    isServerTextChannel: () => true,
    corpus,
    search,
    state,
    polls,
    random,
    mentions: new CommandMentions(),
    commands: defineAll(commands, corpus),
    ...overrides,
  };
}

/** Moves a server's group on to `session`, as the reading schedule will. */
export async function reachSession(ctx: CommandContext, session: number): Promise<void> {
  await ctx.state.guilds.change(ctx.guildId, (record) => ({
    record: { ...record, progress: { ...record.progress, session } },
    result: undefined,
  }));
}

/** A crux's first `n` positions, failing the test if it has fewer (so tests need no non-null assertions). */
export function positionsOf(crux: Crux, n: 2): [Position, Position];
export function positionsOf(crux: Crux, n: 3): [Position, Position, Position];
export function positionsOf(crux: Crux, n: number): Position[] {
  const positions = crux.positions.slice(0, n);
  if (positions.length < n) throw new Error(`crux ${crux.id} has fewer than ${n} positions`);
  return positions;
}

/** The first item, failing the test when there is none. */
export function first<T>(items: readonly T[], what = 'item'): T {
  const [item] = items;
  if (item === undefined) throw new Error(`expected at least one ${what}`);
  return item;
}

/** The first crux of session 1 with at least two positions: one any group can poll from its first week. */
export function sessionOneCrux(corpus: Corpus): Crux {
  return first(
    corpus.cruxes.filter((c) => c.positions.length >= 2 && c.session === 1),
    'crux',
  );
}
