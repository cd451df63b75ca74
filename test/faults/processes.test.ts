import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardOf } from '../../src/core/shards.js';
import type { MessageView } from '../../src/emulator/index.js';
import { openState, type State } from '../../src/state/index.js';
import { type Group, kickoffSessions, newGroup, until } from '../e2e/groups.js';
import { available, type FreshStore, freshPostgres, freshRedis } from '../helpers/services.js';
import { type BotProcess, type ChildWorld, childWorld } from './harness.js';
import { MINUTE, postsTo } from './post-kinds.js';

/**
 * Several bot processes on one store, each running some of the bot's shards, as the README's "Scaling out"
 * describes: SHARD_COUNT=3, one shard per process, on the real Redis and the real PostgreSQL. Each process
 * acts only for its own servers; leases hand a shard from a process that stops or dies to the one waiting
 * for it; no post is made twice and no write is lost.
 */
const SHARDS = 3;
/** Short, so a takeover is quick, but long enough that a busy event loop still renews in time. */
const LEASE_SECONDS = 6;
const CLICKS = 1000;
const required = process.env.CRUX_REQUIRE_SERVICES === '1';

/** A store of its own for this file: a Redis database it flushes, a PostgreSQL database it makes. */
const stores = [
  { name: 'Redis', runs: available.redis || required, create: () => freshRedis(9) },
  { name: 'PostgreSQL', runs: available.postgres || required, create: () => freshPostgres('crux_processes') },
];

describe.each(stores)('three processes on $name', ({ runs, create }) => {
  let world: ChildWorld;
  let store: FreshStore;
  let state: State;
  let processes: BotProcess[];
  /** Two groups on each shard, by shard. */
  let groups: Group[][];
  /** Check-ins stored after the clicks, which later restarts must keep. */
  let checkedInAfterClicks = 0;

  const envFor = (shard: number) => ({
    KEYV_URL: store.url,
    SHARD_COUNT: String(SHARDS),
    SHARDS: String(shard),
    SHARD_LEASE_SECONDS: String(LEASE_SECONDS),
  });
  const tickAll = (at: number) => Promise.all(processes.map((bot) => bot.tick(at)));
  const all = () => groups.flat();

  beforeAll(async () => {
    if (!runs) return;
    store = await create();
    world = await childWorld({ start: '2027-04-05T12:00:00Z' });
    processes = [];
    for (let shard = 0; shard < SHARDS; shard++) processes.push(await world.start(envFor(shard)));
    state = await openState(store.url, () => undefined);
    // Consecutive milliseconds make consecutive snowflakes, which Discord's formula spreads over the shards.
    groups = Array.from({ length: SHARDS }, () => []);
    const base = world.clock.now().getTime();
    for (let i = 0; groups.some((list) => list.length < 2); i++) {
      world.clock.set(base + i);
      const group = await newGroup(world, `Group ${i}`);
      await group.ada.run('schedule polls', { mode: 'before' });
      groups[shardOf(group.guild.id, SHARDS)]?.push(group);
    }
  }, 120_000);

  afterAll(async () => {
    if (!runs) return;
    await world?.close();
    await state?.close();
    await store?.drop();
  });

  it.skipIf(!runs)(
    'post every kickoff and weekly poll once, each by the process that owns the server, and pause nobody',
    async () => {
      const [first] = all();
      if (!first) throw new Error('no groups');
      await tickAll(first.session(1));
      await tickAll(first.session(1) + MINUTE);
      for (const group of all()) {
        expect(kickoffSessions(group.reading)).toEqual([1]);
        expect(pollMessages(group.reading)).toHaveLength(1);
        const record = await state.guilds.read(group.guild.id);
        expect(record.leftAt).toBeNull();
        expect(record.schedule?.status).toBe('active');
      }
      expect(processes.every((bot) => bot.alive())).toBe(true);
    },
    60_000,
  );

  it.skipIf(!runs)(
    `lose none of ${CLICKS} check-ins pressed within a second across every process`,
    async () => {
      const members = Array.from({ length: CLICKS }, (_, i) => {
        const group = all()[i % all().length];
        if (!group) throw new Error('no groups');
        return { group, member: group.guild.addMember(`reader${i}`) };
      });
      const answers = await Promise.all(
        members.map(async ({ group, member }, i) => {
          await sleep(i % 1000);
          const kickoff = kickoffMessage(group);
          return member.click(kickoff, 'I’ve read it').then(
            () => 'answered',
            (error: unknown) => String(error),
          );
        }),
      );
      // Lost means told "checked in" and not stored. On a loaded 2-core machine running three bots, the
      // emulator and this test, some clicks can miss Discord's 3 s (issue 12 is about that); a member who
      // saw "did not respond" was told nothing and may press again. Nothing else may go wrong.
      expect(answers.filter((a) => a !== 'answered' && !a.includes('did not respond'))).toEqual([]);
      for (const group of all()) {
        const ofGroup = members.filter((m) => m.group === group);
        const answered = ofGroup
          .filter((m) => answers[members.indexOf(m)] === 'answered')
          .map((m) => m.member.id);
        const stored = new Set(await state.checkIns.forSession(group.guild.id, 1));
        for (const id of answered)
          expect(stored.has(id), `check-in of ${id} answered but not stored`).toBe(true);
        for (const id of stored) expect(ofGroup.some((m) => m.member.id === id)).toBe(true);
        checkedInAfterClicks += stored.size;
      }
      const unanswered = answers.filter((a) => a !== 'answered').length;
      expect(unanswered, 'most clicks answered').toBeLessThan(CLICKS / 4);
    },
    120_000,
  );

  it.skipIf(!runs)(
    'a process killed mid-post has its shard taken over by the one waiting, and the post is made once',
    async () => {
      const [target] = groups[0] ?? [];
      if (!target) throw new Error('no group on shard 0');
      const standby = await world.start(envFor(0), { waitReady: false });
      // The standby waits: shard 0's lease is held.
      await sleep(LEASE_SECONDS * 1000 + 500);
      expect(standby.alive()).toBe(true);
      expect(await Promise.race([standby.ready.then(() => 'ready'), sleep(0, 'waiting')])).toBe('waiting');

      const due = target.session(2);
      world.discord.faults.slow(postsTo(target.reading), 6000, { matching: 'progress:checkin' });
      const served = world.discord.faults.served.length;
      processes[0]?.tickInBackground(due);
      await until(
        () => world.discord.faults.served.slice(served).some((s) => s.fault.type === 'slow'),
        15_000,
      );
      await processes[0]?.kill();
      await standby.ready;
      processes[0] = standby;
      await tickAll(due);
      // The killed process's post lands within seconds; its claim settles only minutes later (the clock
      // here jumps, so wait for the landing as the minutes would).
      await world.discord.idle();
      for (const after of [1, 3, 5, 10]) await tickAll(due + after * MINUTE);
      world.discord.faults.clear();
      for (const group of all()) expect(kickoffSessions(group.reading)).toEqual([1, 2]);
    },
    90_000,
  );

  it.skipIf(!runs)(
    'a server whose shard no process runs is left alone by the others, then served once its shard returns',
    async () => {
      const stopped = processes[2];
      expect(await stopped?.stop()).toBe(0);
      const running = processes.slice(0, 2);
      const [first] = all();
      if (!first) throw new Error('no groups');
      const due = first.session(3);
      for (const at of [due, due + MINUTE]) await Promise.all(running.map((bot) => bot.tick(at)));
      for (const group of groups[2] ?? []) {
        expect(kickoffSessions(group.reading)).toEqual([1, 2]);
        const record = await state.guilds.read(group.guild.id);
        expect(record.leftAt).toBeNull();
        expect(record.schedule?.status).toBe('active');
      }
      for (const group of [...(groups[0] ?? []), ...(groups[1] ?? [])])
        expect(kickoffSessions(group.reading)).toEqual([1, 2, 3]);

      // Leases released on a clean stop: the new process starts at once.
      const restarted = await world.start(envFor(2));
      processes[2] = restarted;
      await restarted.tick(due + 2 * MINUTE);
      for (const group of all()) expect(kickoffSessions(group.reading)).toEqual([1, 2, 3]);
    },
    90_000,
  );

  it.skipIf(!runs)(
    'a rolling restart of every process loses nothing and doubles nothing',
    async () => {
      for (let shard = 0; shard < SHARDS; shard++) {
        const next = await world.start(envFor(shard), { waitReady: false });
        expect(await processes[shard]?.stop()).toBe(0);
        await next.ready;
        processes[shard] = next;
      }
      const [first] = all();
      if (!first) throw new Error('no groups');
      await tickAll(first.session(4));
      await tickAll(first.session(4) + MINUTE);
      for (const group of all()) {
        expect(kickoffSessions(group.reading)).toEqual([1, 2, 3, 4]);
        expect(pollMessages(group.reading)).toHaveLength(4);
      }
      const checkedIn = await Promise.all(all().map((g) => state.checkIns.forSession(g.guild.id, 1)));
      expect(checkedIn.reduce((sum, list) => sum + list.length, 0)).toBe(checkedInAfterClicks);
      expect(world.discord.violations).toEqual([]);
    },
    90_000,
  );
});

function pollMessages(channel: Group['reading']): MessageView[] {
  return channel.messages().filter((m) => m.embeds[0]?.author?.name.startsWith('Position poll'));
}

function kickoffMessage(group: Group): MessageView {
  const message = group.reading
    .messages()
    .find((m) =>
      m.buttons.some((b) => b.customId.startsWith('progress:checkin:') && b.customId.includes('s=1')),
    );
  if (!message) throw new Error('no kickoff for session 1');
  return message;
}
