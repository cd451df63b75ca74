import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../../src/emulator/index.js';
import { type Group, kickoffSessions, newGroup } from '../e2e/groups.js';
import { type BotProcess, type ChildWorld, childWorld } from './harness.js';
import { canStartPostgres, canStartRedis, type PrivateStore, startPostgres, startRedis } from './stores.js';

/**
 * A store that restarts, goes down or hangs under a running bot (a real child process, on a private
 * PostgreSQL or Redis started here, never the shared servers): the bot stays up, members are told plainly
 * within Discord's window, scheduled posts wait and then go out once, and it carries on by itself.
 * CI has both servers installed, so there (CRUX_REQUIRE_SERVICES=1) these never skip.
 */
const required = process.env.CRUX_REQUIRE_SERVICES === '1';
const STORAGE_NOTICE = "I can't reach my storage right now";

const servers = [
  { name: 'PostgreSQL', available: canStartPostgres, start: startPostgres },
  { name: 'Redis', available: canStartRedis, start: startRedis },
];

describe.each(servers)('$name under a running bot', ({ available, start }) => {
  let store: PrivateStore;
  let world: ChildWorld;
  let bot: BotProcess;
  let group: Group;

  beforeAll(async () => {
    store = await start();
    world = await childWorld({ start: '2027-02-01T12:00:00Z' });
    bot = await world.start({ KEYV_URL: store.url });
    group = await newGroup(world, 'Store faults');
  }, 60_000);
  afterAll(async () => {
    await world?.close();
    await store?.destroy();
  });
  afterEach(() => {
    expect(bot.alive(), bot.output()).toBe(true);
    expect(bot.output()).not.toContain('unhandled rejection');
    expect(world.discord.violations).toEqual([]);
  });

  /** Runs /schedule show until the store answers again, as a member retrying would. */
  async function showOnceBack(): Promise<MessageView> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const answer = await group.bo.run('schedule show');
      if (!answer.text.includes(STORAGE_NOTICE)) return answer;
      await sleep(200);
    }
    throw new Error('the bot never got its storage back');
  }

  it.skipIf(!available && !required)(
    'a restart while its connections sit idle: the bot stays up and carries on by itself',
    async () => {
      expect((await group.bo.run('schedule show')).text).toContain('Session 1');
      await store.restart();
      expect((await showOnceBack()).text).toContain('Session 1');
    },
  );

  it.skipIf(!available && !required)(
    'down: members are told privately that nothing is confirmed; the due session waits, then posts once',
    async () => {
      await store.down();
      const answer = await group.bo.run('schedule show');
      expect(answer.ephemeral).toBe(true);
      expect(answer.text).toContain(STORAGE_NOTICE);
      expect(answer.text).not.toMatch(/Error|at .*\.js/u);
      const whileDown = await bot.tick(group.session(1));
      expect(whileDown.error).toBeUndefined();
      expect(kickoffSessions(group.reading)).toEqual([]);

      await store.up();
      await showOnceBack();
      // Ticks a minute apart, as the scheduler runs: each of the bot's connections (records, wake-ups)
      // reconnects on its own schedule, so the post goes out at the first tick that finds them all back.
      for (let minute = 1; minute <= 10 && kickoffSessions(group.reading).length === 0; minute++) {
        await bot.tick(group.session(1) + minute * 60_000);
        await sleep(200);
      }
      // And once: the ticks after it find it posted.
      await bot.tick(group.session(1) + 11 * 60_000);
      expect(kickoffSessions(group.reading)).toEqual([1]);
    },
    60_000,
  );

  it.skipIf(!available && !required)(
    'hung (SIGSTOP): the member is answered within the window, and told; it resumes when the store does',
    async () => {
      const [kickoff] = group.reading
        .messages()
        .filter((m) => m.buttons.some((b) => b.label === 'I’ve read it'));
      if (!kickoff) throw new Error('no kickoff to check in on');
      store.pause();
      try {
        // The bot acknowledges within Discord's 3 s (else `click` would reject) and answers once the
        // store call gives up.
        const answer = await group.bo.click(kickoff, 'I’ve read it');
        expect(answer.ephemeral).toBe(true);
        expect(answer.text).toContain(STORAGE_NOTICE);
      } finally {
        store.resume();
      }
      await showOnceBack();
      // Checking in again is safe whether or not the first one landed: the member ends up checked in, once.
      await group.bo.click(kickoff, 'I’ve read it');
      const mine = await group.bo.run('progress me');
      expect(mine.text).toContain('You have checked in for 1 session.');
    },
    60_000,
  );
});
