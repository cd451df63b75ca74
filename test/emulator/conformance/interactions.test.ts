import { afterEach, describe, expect, it } from 'vitest';
import { type RawBot, rawBot } from '../raw-bot.js';

/**
 * Interaction responses as developers/interactions/receiving-and-responding.mdx documents them, both
 * directions: which callback fits which interaction, webhooks that touch only their own messages,
 * autocomplete limits, modals, and polls added to a deferred response.
 */
let bot: RawBot;
afterEach(async () => bot?.close());

describe('callback types ("Interaction Callback Type")', () => {
  it('a slash command takes 4, 5 or 9, not 6, 7 or 8', async () => {
    bot = await rawBot({ rateLimits: false });
    const running = bot.ada.run('ping', { tone: 'warm' });
    const interaction = await bot.nextInteraction();
    for (const type of [6, 7, 8])
      expect(await bot.callback(interaction, { type, data: {} })).toMatchObject({
        status: 400,
        body: { code: 50035 },
      });
    expect((await bot.callback(interaction, { type: 4, data: { content: 'pong' } })).status).toBe(204);
    expect((await running).content).toBe('pong');
    expect(bot.discord.violations.map((v) => v.problems[0]?.path)).toEqual(['type', 'type', 'type']);
  });

  it('autocomplete takes 8 and nothing else; choice values are at most 100 characters', async () => {
    bot = await rawBot({ rateLimits: false });
    const choices = bot.ada.autocomplete('ping', { tone: 'warm', topic: 'x' }, 'topic');
    const interaction = await bot.nextInteraction();
    expect(await bot.callback(interaction, { type: 4, data: { content: 'no' } })).toMatchObject({
      status: 400,
    });
    expect(
      await bot.callback(interaction, {
        type: 8,
        data: { choices: [{ name: 'long', value: 'v'.repeat(101) }] },
      }),
    ).toMatchObject({ status: 400, body: { code: 50035 } });
    expect(
      (
        await bot.callback(interaction, {
          type: 8,
          data: { choices: [{ name: 'ok', value: 'v'.repeat(100) }] },
        })
      ).status,
    ).toBe(204);
    expect((await choices)[0]?.value).toBe('v'.repeat(100));
  });
});

describe('webhook messages (resources/webhook.mdx, "Edit Webhook Message": "from the same token")', () => {
  it('a token edits its own follow-up, and gets 404 / 10008 for a message it did not send', async () => {
    bot = await rawBot({ rateLimits: false });
    const first = bot.ada.run('ping', { tone: 'warm' });
    const one = await bot.nextInteraction();
    await bot.callback(one, { type: 4, data: { content: 'first' } });
    const firstId = (await first).id;

    const second = bot.ada.run('ping', { tone: 'warm' });
    const two = await bot.nextInteraction();
    await bot.callback(two, { type: 5 });
    const followUp = (await bot.webhook(two, 'POST', '', { content: 'mine' })).body as { id: string };
    await second;
    expect((await bot.webhook(two, 'PATCH', `/messages/${followUp.id}`, { content: 'edited' })).status).toBe(
      200,
    );
    expect(await bot.webhook(two, 'PATCH', `/messages/${firstId}`, { content: 'not mine' })).toMatchObject({
      status: 404,
      body: { code: 10008 },
    });
  });
});

describe('modals ("Modal", "Modal Submit Data Structure")', () => {
  it('a member fills in and submits the form; the bot receives the values and answers', async () => {
    bot = await rawBot({ rateLimits: false });
    const opening = bot.ada.runForForm('ping', { tone: 'warm' });
    const command = await bot.nextInteraction();
    await bot.callback(command, {
      type: 9,
      data: {
        custom_id: 'why',
        title: 'Why?',
        components: [
          {
            type: 1,
            components: [{ type: 4, custom_id: 'reason', style: 2, label: 'Reason', max_length: 20 }],
          },
        ],
      },
    });
    const form = await opening;
    expect(form.title).toBe('Why?');
    await expect(form.submit({ reason: 'x'.repeat(21) })).rejects.toThrow('at most 20');
    const submitted = form.submit({ reason: 'because' });
    const submit = await bot.nextInteraction();
    expect(submit.type).toBe(5);
    expect(submit.data).toMatchObject({
      custom_id: 'why',
      components: [{ components: [{ custom_id: 'reason', value: 'because' }] }],
    });
    // A modal cannot answer a modal submit.
    expect(
      await bot.callback(submit, { type: 9, data: { custom_id: 'x', title: 'x', components: [] } }),
    ).toMatchObject({ status: 400 });
    await bot.callback(submit, { type: 4, data: { content: 'noted', flags: 64 } });
    expect((await submitted).content).toBe('noted');
  });
});

describe('polls in a deferred response (change-log.mdx, "Add Polls when Editing Deferred Interaction Responses")', () => {
  it('editing the deferred response with a poll creates the poll', async () => {
    bot = await rawBot({ rateLimits: false });
    const running = bot.ada.run('ping', { tone: 'warm' });
    const interaction = await bot.nextInteraction();
    await bot.callback(interaction, { type: 5 });
    const poll = {
      question: { text: 'Persona?' },
      answers: [{ poll_media: { text: 'Yes' } }, { poll_media: { text: 'No' } }],
    };
    expect((await bot.webhook(interaction, 'PATCH', '/messages/@original', { poll })).status).toBe(200);
    expect((await running).poll?.question.text).toBe('Persona?');
  });
});
