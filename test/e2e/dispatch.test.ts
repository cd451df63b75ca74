import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defineCommand } from '../../src/command.js';
import { option } from '../../src/command-options.js';
import { notice } from '../../src/core/reply.js';
import { InteractionFailed } from '../../src/emulator/index.js';
import { startWorld, type World } from './harness.js';

/**
 * The dispatcher's answer paths, through the real client and emulator: commands slower than Discord's 3 s
 * acknowledgement window (deferred), with replies whose visibility was or was not known in advance, and
 * failures after a defer. The commands here exist only for these tests.
 */
const SLOW_MS = 2600;

const slow = defineCommand({
  name: 'slow',
  description: 'Answers after the defer threshold',
  declare: () => ({
    options: {
      private: option.boolean('Declared private in advance'),
      answer: option.choice('What it answers', [
        { name: 'public', value: 'public' },
        { name: 'private', value: 'private' },
        { name: 'fail', value: 'fail' },
      ]),
    },
  }),
  replyPrivately: (args) => args.private === true,
  async run(args) {
    await sleep(SLOW_MS);
    if (args.answer === 'fail') throw new Error('failed after the defer');
    return args.answer === 'private' ? notice('a private answer') : { content: 'a public answer' };
  },
});

let world: World;
beforeAll(async () => {
  world = await startWorld({ extraCommands: [slow] });
});
afterAll(async () => world?.close());
afterEach(() => {
  world.discord.faults.clear();
  expect(world.discord.violations).toEqual([]);
});

const publicMessages = () =>
  world.guild
    .channel('reading')
    .messages()
    .map((m) => m.content);

describe('a slow command is deferred, then answered', () => {
  it('publicly, when the answer is public', async () => {
    const reply = await world.bo.run('slow', { answer: 'public' });
    expect(reply.ephemeral).toBe(false);
    expect(reply.content).toBe('a public answer');
  });

  it('privately, when it said in advance the answer is private', async () => {
    const reply = await world.bo.run('slow', { private: true, answer: 'private' });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe('a private answer');
  });

  it('privately even when the answer turns out private after a public defer', async () => {
    const before = publicMessages().length;
    const reply = await world.bo.run('slow', { answer: 'private' });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe('a private answer');
    // The public "thinking…" placeholder is gone, not left behind or filled with the private text.
    expect(publicMessages().length).toBe(before);
  });

  it('with a private apology when it fails after a public defer', async () => {
    const before = publicMessages().length;
    const reply = await world.bo.run('slow', { answer: 'fail' });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/^Something went wrong on my side \(ref \d+\)/u);
    expect(publicMessages().length).toBe(before);
  });
});

describe('an acknowledgement that arrives too late', () => {
  it('fails the interaction for the member, and the bot carries on', async () => {
    world.discord.faults.slow('POST /interactions/:interactionId/:token/callback', 3500);
    await expect(world.bo.run('help')).rejects.toThrow(InteractionFailed);
    // The late callback was refused as Discord refuses it: the interaction is unknown by then.
    await sleep(800);
    expect(world.discord.requests.some((r) => r.route.endsWith('/callback') && r.status === 404)).toBe(true);
    const next = await world.bo.run('help');
    expect(next.ephemeral).toBe(true);
  });
});
