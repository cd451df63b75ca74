import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { defineCommand, on } from '../../src/command.js';
import { option } from '../../src/command-options.js';
import { defineComponent } from '../../src/core/components.js';
import { notice } from '../../src/core/reply.js';
import { InteractionFailed } from '../../src/emulator/index.js';
import { recordingLogger } from '../../src/logger.js';
import { worldForFile } from './harness.js';

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

/** A button whose answer replaces its message after a moment: long enough to delete the message first. */
const turn = defineComponent('flip', 'turn', {});
const flip = defineCommand({
  name: 'flip',
  description: 'Posts a button that updates its message slowly',
  declare: () => ({}),
  async run() {
    return { content: 'face up', components: [[{ type: 'button', customId: turn.id({}), label: 'Turn' }]] };
  },
  components: [
    on(turn, async () => {
      await sleep(400);
      return { type: 'update', reply: { content: 'face down' } };
    }),
  ],
});

const log = recordingLogger();
const world = await worldForFile({ extraCommands: [slow, flip], logger: log.logger });

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

describe('a button whose message is deleted while it is clicked', () => {
  it('still answers the member, privately, and logs no error', async () => {
    const card = await world.bo.run('flip');
    const errorsBefore = log.entries.filter((e) => e.level >= 50).length;
    const clicked = world.bo.click(card, 'Turn');
    await sleep(100);
    world.guild.channel('reading').deleteMessage(card.id);
    const answer = await clicked;
    expect(answer.ephemeral).toBe(true);
    expect(answer.content).toBe('face down');
    expect(log.entries.filter((e) => e.level >= 50).length).toBe(errorsBefore);
    expect(log.entries.some((e) => e.msg.startsWith('message gone before its update'))).toBe(true);
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
