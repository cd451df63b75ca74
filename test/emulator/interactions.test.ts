import { afterEach, describe, expect, it } from 'vitest';
import { type EmulatorOptions, InteractionFailed, type Member } from '../../src/emulator/index.js';
import { rest } from './raw.js';
import { type RawBot, type RawInteraction, rawBot } from './raw-bot.js';

/** A bot written by hand against the raw gateway, so the emulator's interaction rules are tested alone. */
let bot: RawBot | undefined;
afterEach(async () => bot?.close());

async function setUp(options: EmulatorOptions = {}): Promise<{ ada: Member }> {
  bot = await rawBot(options);
  return { ada: bot.ada };
}

const nextInteraction = () => (bot as RawBot).nextInteraction();
const callback = (interaction: RawInteraction, body: unknown) => (bot as RawBot).callback(interaction, body);
const discordOf = () => (bot as RawBot).discord;

describe('interactions', () => {
  it('reach the bot with the options as typed, and the reply reaches the member', async () => {
    const { ada } = await setUp();
    const running = ada.run('ping', { times: 2, tone: 'warm' });
    const interaction = await nextInteraction();
    expect(interaction.data).toMatchObject({
      name: 'ping',
      options: [
        { name: 'times', type: 4, value: 2 },
        { name: 'tone', value: 'warm' },
      ],
    });
    expect((await callback(interaction, { type: 4, data: { content: 'pong' } })).status).toBe(204);
    expect((await running).content).toBe('pong');
  });

  it('can be acknowledged once: a second answer gets 40060', async () => {
    const { ada } = await setUp();
    const running = ada.run('ping', { tone: 'warm' });
    const interaction = await nextInteraction();
    await callback(interaction, { type: 4, data: { content: 'first' } });
    const second = await callback(interaction, { type: 4, data: { content: 'second' } });
    expect(second).toMatchObject({ status: 400, body: { code: 40060 } });
    expect((await running).content).toBe('first');
  });

  it('fail for the member when not acknowledged in time, and are unknown afterwards (10062)', async () => {
    const { ada } = await setUp({ ackDeadlineMs: 150 });
    const running = ada.run('ping', { tone: 'warm' });
    const interaction = await nextInteraction();
    await expect(running).rejects.toThrow(InteractionFailed);
    await expect(running).rejects.toThrow('The application did not respond');
    expect((await callback(interaction, { type: 4, data: { content: 'late' } })).body).toMatchObject({
      code: 10062,
    });
  });

  it('keep their token for 15 minutes of emulator time, then refuse it (50027)', async () => {
    let now = Date.now();
    const { ada } = await setUp({ now: () => now });
    const running = ada.run('ping', { tone: 'warm' });
    const interaction = await nextInteraction();
    await callback(interaction, { type: 5 });
    const original = `/webhooks/${discordOf().applicationId}/${interaction.token}/messages/@original`;
    now += 14 * 60_000;
    expect(
      (await rest(discordOf(), 'PATCH', original, { content: 'still in time' }, { auth: false })).status,
    ).toBe(200);
    expect((await running).content).toBe('still in time');
    now += 2 * 60_000;
    expect(
      (await rest(discordOf(), 'PATCH', original, { content: 'too late' }, { auth: false })).body,
    ).toMatchObject({ code: 50027 });
  });

  it('have no @original before they are acknowledged', async () => {
    const { ada } = await setUp();
    void ada.run('ping', { tone: 'warm' }).catch(() => undefined);
    const interaction = await nextInteraction();
    const original = `/webhooks/${discordOf().applicationId}/${interaction.token}/messages/@original`;
    expect((await rest(discordOf(), 'GET', original, undefined, { auth: false })).body).toMatchObject({
      code: 10008,
    });
    await callback(interaction, { type: 4, data: { content: 'done' } });
  });

  it('refuse a malformed callback with the failing path', async () => {
    const { ada } = await setUp();
    void ada.run('ping', { tone: 'warm' }).catch(() => undefined);
    const interaction = await nextInteraction();
    const refused = await callback(interaction, { type: 4, data: { content: 'x'.repeat(2001) } });
    expect(refused).toMatchObject({ status: 400, body: { code: 50035, errors: { data: { content: {} } } } });
    await callback(interaction, { type: 4, data: { content: 'ok' } });
  });
});

describe('what a member can send', () => {
  it.each([
    ['an option the command does not have', { tone: 'warm', volume: 3 }, 'no option "volume"'],
    ['a value outside the range', { tone: 'warm', times: 9 }, 'above 3'],
    ['a value that is not a choice', { tone: 'cold' }, 'must be one of warm'],
    ['no value for a required option', {}, 'the required option "tone" is missing'],
  ])('is checked like Discord’s client checks it: %s', async (_name, options, message) => {
    const { ada } = await setUp();
    await expect(ada.run('ping', options)).rejects.toThrow(message);
  });

  it('covers only registered commands', async () => {
    const { ada } = await setUp();
    await expect(ada.run('nope')).rejects.toThrow('/nope is not registered');
  });
});
