import { GatewayIntentBits } from 'discord-api-types/v10';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, type GuildHandle, startEmulator } from '../../src/emulator/index.js';
import { RawGateway, rest } from './raw.js';

let discord: Emulator;
let guild: GuildHandle;
let channelId: string;

beforeEach(async () => {
  discord = await startEmulator();
  guild = discord.addGuild();
  channelId = guild.channel('reading').id;
});
afterEach(async () => discord.close());

const post = (body: unknown, id = channelId) => rest(discord, 'POST', `/channels/${id}/messages`, body);

describe('requests', () => {
  it('need the bot token', async () => {
    expect((await rest(discord, 'GET', '/users/@me', undefined, { auth: false })).status).toBe(401);
    expect((await rest(discord, 'GET', '/users/@me')).body).toMatchObject({ bot: true });
  });

  it('to a route the emulator does not know answer 404, naming it', async () => {
    const { status, body } = await rest(discord, 'GET', '/guilds/1/bans');
    expect(status).toBe(404);
    expect(body).toMatchObject({ message: expect.stringContaining('GET /guilds/1/bans is not emulated') });
  });
});

describe('bodies are checked like Discord checks them (400, code 50035, with the failing path)', () => {
  it.each([
    ['content over 2,000 characters', { content: 'x'.repeat(2001) }, 'content'],
    ['a field Discord does not know', { content: 'hi', colour: 3 }, ''],
    [
      'embeds over 6,000 characters in all',
      { embeds: [{ description: 'x'.repeat(4000) }, { description: 'y'.repeat(2001) }] },
      'embeds',
    ],
    [
      'a poll answer over 55 characters',
      { poll: { question: { text: 'q' }, answers: [{ poll_media: { text: 'a'.repeat(56) } }] } },
      'poll',
    ],
    [
      'a button without a label or emoji',
      { content: 'x', components: [{ type: 1, components: [{ type: 2, style: 1 }] }] },
      'components',
    ],
  ])('%s', async (_name, body, path) => {
    const { status, body: error } = await post(body);
    expect(status).toBe(400);
    expect(error).toMatchObject({ code: 50035, message: 'Invalid Form Body' });
    if (path) expect((error as { errors: Record<string, unknown> }).errors).toHaveProperty(path);
    expect(discord.violations.at(-1)?.route).toBe('POST /channels/:channelId/messages');
  });

  it('and a valid one is kept, as members see it', async () => {
    const { status, body } = await post({ content: 'hello', embeds: [{ title: 'T' }] });
    expect(status).toBe(200);
    expect(
      guild
        .channel('reading')
        .messages()
        .map((m) => m.content),
    ).toEqual(['hello']);
    expect(body).toMatchObject({ author: { bot: true }, embeds: [{ title: 'T' }] });
  });
});

describe('permissions (403, code 50013; 50001 without View Channel)', () => {
  it('without ViewChannel: 50001 Missing Access (topics/opcodes-and-status-codes.mdx)', async () => {
    guild.channel('reading').setBotPermissions({ deny: ['ViewChannel'] });
    const { status, body: error } = await post({ content: 'x' });
    expect(status).toBe(403);
    expect(error).toMatchObject({ code: 50001 });
    guild.channel('reading').setBotPermissions({});
  });

  it.each([
    ['SendMessages', { content: 'x' }],
    ['EmbedLinks', { embeds: [{ title: 'x' }] }],
    ['SendPolls', { poll: { question: { text: 'q' }, answers: [{ poll_media: { text: 'a' } }] } }],
  ] as const)('without %s', async (permission, body) => {
    guild.channel('reading').setBotPermissions({ deny: [permission] });
    const { status, body: error } = await post(body);
    expect(status).toBe(403);
    expect(error).toMatchObject({ code: 50013 });
  });

  it('without Create Public Threads, for a thread on a message', async () => {
    const message = (await post({ content: 'start' })).body as { id: string };
    guild.channel('reading').setBotPermissions({ deny: ['CreatePublicThreads'] });
    const { status } = await rest(discord, 'POST', `/channels/${channelId}/messages/${message.id}/threads`, {
      name: 't',
    });
    expect(status).toBe(403);
  });
});

describe('channels and servers that are gone', () => {
  it('a deleted channel answers 404 Unknown Channel', async () => {
    guild.channel('reading').delete();
    expect((await post({ content: 'x' })).body).toMatchObject({ code: 10003 });
  });

  it('a server the bot was removed from answers 403 Missing Access', async () => {
    guild.removeBot();
    const { status, body } = await post({ content: 'x' });
    expect(status).toBe(403);
    expect(body).toMatchObject({ code: 50001 });
  });
});

describe('threads', () => {
  it('start from a message, take its id, and refuse a second start', async () => {
    const message = (await post({ content: 'start' })).body as { id: string };
    const route = `/channels/${channelId}/messages/${message.id}/threads`;
    const first = await rest(discord, 'POST', route, { name: 'Discussion', auto_archive_duration: 10080 });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: message.id, type: 11, name: 'Discussion' });
    expect((await rest(discord, 'POST', route, { name: 'Again' })).body).toMatchObject({ code: 160004 });
    await post({ content: 'inside' }, message.id);
    expect(
      guild
        .channel('reading')
        .threads()[0]
        ?.messages()
        .map((m) => m.content),
    ).toEqual(['inside']);
  });
});

describe('native polls', () => {
  it('record votes, send vote events to a bot with the intent, list voters, and expire once', async () => {
    const gateway = await RawGateway.connect(discord);
    gateway.identify(discord, GatewayIntentBits.GuildMessagePolls);
    await gateway.next((p) => p.t === 'READY');
    const ada = guild.addMember('ada');
    const bo = guild.addMember('bo');
    const created = await post({
      poll: {
        question: { text: 'Persona?' },
        answers: [{ poll_media: { text: 'Yes' } }, { poll_media: { text: 'No' } }],
        duration: 24,
      },
    });
    expect(created.status).toBe(200);
    const [message] = guild.channel('reading').messages();
    if (!message) throw new Error('no poll message');
    // Answer ids are Discord's to choose: read them from the poll, never assume 1 and 2.
    const [yes, no] = (created.body as { poll: { answers: { answer_id: number }[] } }).poll.answers.map(
      (a) => a.answer_id,
    );
    expect(yes).not.toBe(1);
    ada.vote(message, 'Yes');
    bo.vote(message, 'Yes');
    bo.vote(message, 'No');
    await gateway.next((p) => p.t === 'MESSAGE_POLL_VOTE_ADD' && p.d.answer_id === no);
    expect(gateway.dispatched('MESSAGE_POLL_VOTE_REMOVE').map((p) => p.d.user_id)).toEqual([bo.id]);
    const voters = await rest(discord, 'GET', `/channels/${channelId}/polls/${message.id}/answers/${yes}`);
    expect((voters.body as { users: { id: string }[] }).users.map((u) => u.id)).toEqual([ada.id]);
    const expired = await rest(discord, 'POST', `/channels/${channelId}/polls/${message.id}/expire`);
    expect(expired.body).toMatchObject({
      poll: {
        results: {
          is_finalized: true,
          answer_counts: [
            { id: yes, count: 1 },
            { id: no, count: 1 },
          ],
        },
      },
    });
    expect(
      (await rest(discord, 'POST', `/channels/${channelId}/polls/${message.id}/expire`)).body,
    ).toMatchObject({ code: 520001 });
    expect(() => ada.vote(message, 'No')).toThrow('the poll has closed');
    gateway.close();
  });
});

describe('uploads', () => {
  it('accept multipart bodies with files, as discord.js sends them', async () => {
    const form = new FormData();
    form.append(
      'payload_json',
      JSON.stringify({ content: 'chart', attachments: [{ id: '0', description: 'a chart' }] }),
    );
    form.append(
      'files[0]',
      new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' }),
      'chart.png',
    );
    const response = await fetch(`${discord.apiUrl}/v10/channels/${channelId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bot ${discord.token}` },
      body: form,
    });
    expect(response.status).toBe(200);
    const [message] = guild.channel('reading').messages();
    expect(message?.attachments).toMatchObject([
      { filename: 'chart.png', size: 4, content_type: 'image/png', description: 'a chart' },
    ]);
  });
});
