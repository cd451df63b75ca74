import { describe, expect, it } from 'vitest';
import { freshServerPerTest } from './server.js';

/**
 * Permissions and access (developers/topics/permissions.mdx; topics/opcodes-and-status-codes.mdx), and
 * threads started from a message (resources/channel.mdx, "Start Thread from Message"), both directions.
 */
const server = freshServerPerTest();
const post = (body: unknown) => server.post(body);

describe('50001 Missing Access vs 50013 Missing Permissions (docs silent on which; discord-api-docs#867)', () => {
  it('a channel the bot cannot view: 50001 for every request on it', async () => {
    server.guild.channel('reading').setBotPermissions({ deny: ['ViewChannel'] });
    expect(await post({ content: 'x' })).toMatchObject({ status: 403, body: { code: 50001 } });
    expect(await server.call('GET', `/channels/${server.channelId}`)).toMatchObject({
      status: 403,
      body: { code: 50001 },
    });
  });

  it('a channel it views but may not post in: 50013', async () => {
    server.guild.channel('reading').setBotPermissions({ deny: ['SendMessages'] });
    expect(await post({ content: 'x' })).toMatchObject({ status: 403, body: { code: 50013 } });
    expect((await server.call('GET', `/channels/${server.channelId}`)).status).toBe(200);
  });

  it('a server the bot was removed from: 50001', async () => {
    server.guild.removeBot();
    expect(await post({ content: 'x' })).toMatchObject({ status: 403, body: { code: 50001 } });
  });

  it('a deleted channel: 404 / 10003', async () => {
    server.guild.channel('reading').delete();
    expect(await post({ content: 'x' })).toMatchObject({ status: 404, body: { code: 10003 } });
  });
});

describe('Start Thread from Message', () => {
  const start = async () => {
    const message = (await post({ content: 'kickoff' })).body as { id: string };
    return {
      message,
      result: await server.call('POST', `/channels/${server.channelId}/messages/${message.id}/threads`, {
        name: 'Talk',
      }),
    };
  };

  it('needs Create Public Threads, and nothing more: Read Message History is not required', async () => {
    server.guild.channel('reading').setBotPermissions({ deny: ['ReadMessageHistory'] });
    const { message, result } = await start();
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({ id: message.id, type: 11 });
    server.guild.channel('reading').setBotPermissions({ deny: ['CreatePublicThreads'] });
    expect((await start()).result).toMatchObject({ status: 403, body: { code: 50013 } });
  });

  it('one thread per message: a second gets 400 / 160004; the message is flagged HAS_THREAD', async () => {
    const { message } = await start();
    expect(
      await server.call('POST', `/channels/${server.channelId}/messages/${message.id}/threads`, {
        name: 'Again',
      }),
    ).toMatchObject({ status: 400, body: { code: 160004 } });
    const fetched = (await server.call('GET', `/channels/${server.channelId}/messages/${message.id}`))
      .body as {
      flags: number;
    };
    expect(fetched.flags & (1 << 5)).toBe(1 << 5);
  });
});
