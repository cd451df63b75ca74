import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CommandMentions } from '../src/core/mentions.js';
import { createSchedule } from '../src/core/schedule/plan.js';
import type { Poster } from '../src/jobs/poster.js';
import { Scheduler } from '../src/jobs/scheduler.js';
import { wakeAtFor } from '../src/jobs/sessions.js';
import { silentLogger } from '../src/logger.js';
import { Polls } from '../src/polls/service.js';
import { openState } from '../src/state/index.js';
import { RETENTION_MS, seededRandom, shippedCorpus } from '../test/helpers/context.js';

/**
 * `npm run bench:scheduler`: the scheduler's own work per server due (state reads and writes, choosing the
 * excerpt and crux, building the kickoff and thread), with Discord replaced by a poster that answers at
 * once, and the cost of a tick with nothing due while many servers are scheduled. Real posting is bound
 * by Discord's global 50 requests/s, three requests a session.
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
const dir = mkdtempSync(path.join(tmpdir(), 'crux-bench-scheduler-'));
const start = new Date('2027-01-04T12:00:00Z');
const due = new Date('2027-01-05T19:00:00Z');

async function measure(url: string, servers: number): Promise<{ dueTick: number; idleTick: number }> {
  let now = start;
  const state = await openState(url, () => undefined, { wakeAt: wakeAtFor(corpus, () => now, RETENTION_MS) });
  const base = {
    corpus,
    search,
    state,
    poster,
    clock: () => now,
    random: seededRandom(1),
    logger: silentLogger(),
    retentionMs: RETENTION_MS,
    mentions: new CommandMentions(),
  };
  const scheduler = new Scheduler({ ...base, polls: new Polls(base) });
  for (let i = 0; i < servers; i++) {
    const guildId = String(10_000_000 + i);
    const schedule = createSchedule(
      { channelId: '1', weekday: 2, time: '19:00', zone: 'UTC', reminderMinutes: null },
      8,
      start,
    );
    await state.guilds.change(guildId, (record) => ({ record: { ...record, schedule }, result: undefined }));
  }
  now = new Date(due.getTime() - 3_600_000);
  let t = performance.now();
  await scheduler.tick();
  const idleTick = performance.now() - t;
  now = due;
  t = performance.now();
  const report = await scheduler.tick();
  const dueTick = performance.now() - t;
  if (report.servers !== servers || report.failed !== 0)
    throw new Error(`unexpected tick: ${JSON.stringify(report)}`);
  await state.close();
  return { dueTick, idleTick };
}

for (const [name, url] of [
  ['memory', () => 'memory:'],
  ['sqlite', (n: number) => `sqlite://${path.join(dir, `s${n}.sqlite`)}`],
] as const) {
  for (const servers of [100, 1000]) {
    const { dueTick, idleTick } = await measure(url(servers), servers);
    console.warn(
      `${name}, ${servers} servers due: tick ${dueTick.toFixed(0)} ms (${(dueTick / servers).toFixed(2)} ms a server); a tick with none due: ${idleTick.toFixed(1)} ms`,
    );
  }
}
rmSync(dir, { recursive: true, force: true });
