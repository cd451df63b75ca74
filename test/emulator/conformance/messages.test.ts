import { beforeEach, describe, expect, it } from 'vitest';
import { freshServerPerTest } from './server.js';

/**
 * Channel messages as Discord documents them (developers/resources/message.mdx unless said otherwise), each
 * rule in both directions: what Discord refuses is refused with its status and code, what it accepts is
 * accepted. Sources are cited per test.
 */
const server = freshServerPerTest();
const post = (body: unknown) => server.post(body);
const list = (query: string) => server.call('GET', `/channels/${server.channelId}/messages?${query}`);
const ids = (body: unknown) => (body as { id: string }[]).map((m) => m.id);

/** A multipart upload, as discord.js sends files. */
async function upload(bytes: number): Promise<{ status: number; body: unknown }> {
  const form = new FormData();
  form.append('payload_json', JSON.stringify({ content: 'file', attachments: [{ id: '0' }] }));
  form.append('files[0]', new Blob([new Uint8Array(bytes)]), 'export.csv');
  const response = await fetch(`${server.discord.apiUrl}/v10/channels/${server.channelId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bot ${server.discord.token}` },
    body: form,
  });
  return { status: response.status, body: await response.json() };
}

describe('Create Message: content, emptiness and lengths', () => {
  it('an empty message is refused with 400 / 50006 (opcodes-and-status-codes.mdx; "Create Message")', async () => {
    expect(await post({ content: '' })).toMatchObject({ status: 400, body: { code: 50006 } });
    expect((await post({ content: 'x' })).status).toBe(200);
  });

  it('content is counted in code points, not UTF-16 units (discord-api-docs#1315)', async () => {
    expect((await post({ content: '🙂'.repeat(2000) })).status).toBe(200);
    expect(await post({ content: '🙂'.repeat(2001) })).toMatchObject({ status: 400, body: { code: 50035 } });
  });

  it('embed limits are measured after trimming whitespace ("Embed Limits")', async () => {
    expect((await post({ embeds: [{ description: `${'x'.repeat(4096)}  ` }] })).status).toBe(200);
    expect(await post({ embeds: [{ description: 'x'.repeat(4097) }] })).toMatchObject({ status: 400 });
  });

  it('at most 5 legacy action rows (components/reference.mdx, "Action Row")', async () => {
    const row = (n: number) => ({
      type: 1,
      components: [{ type: 2, style: 1, label: `b${n}`, custom_id: `b${n}` }],
    });
    expect((await post({ components: [1, 2, 3, 4, 5].map(row) })).status).toBe(200);
    expect(await post({ components: [1, 2, 3, 4, 5, 6].map(row) })).toMatchObject({
      status: 400,
      body: { code: 50035 },
    });
  });

  it('a select menu has its row to itself ("Action Row": buttons or a single select)', async () => {
    const select = {
      type: 3,
      custom_id: 's',
      options: [{ label: 'A', value: 'a' }],
    };
    expect((await post({ components: [{ type: 1, components: [select] }] })).status).toBe(200);
    expect(
      await post({
        components: [{ type: 1, components: [select, { type: 2, style: 1, label: 'b', custom_id: 'b' }] }],
      }),
    ).toMatchObject({ status: 400, body: { code: 50035 } });
  });
});

describe('Embed Links (docs silent; discord-api-docs#2601, #5648, #1657)', () => {
  beforeEach(() => server.guild.channel('reading').setBotPermissions({ deny: ['EmbedLinks'] }));

  it('a message that is only embeds is refused: 403 / 50013', async () => {
    expect(await post({ embeds: [{ title: 'T' }] })).toMatchObject({ status: 403, body: { code: 50013 } });
  });

  it('a message with content is posted, and its embeds silently dropped', async () => {
    const { status, body } = await post({ content: 'hello', embeds: [{ title: 'T' }] });
    expect(status).toBe(200);
    expect(body).toMatchObject({ content: 'hello', embeds: [] });
  });

  it('with Embed Links, the embeds stay', async () => {
    server.guild.channel('reading').setBotPermissions({});
    expect((await post({ content: 'hello', embeds: [{ title: 'T' }] })).body).toMatchObject({
      embeds: [{ title: 'T' }],
    });
  });
});

describe('uploads (reference.mdx, "Uploading Files"; change-log.mdx, "Default File Upload Limit Change")', () => {
  it('a file up to 10 MiB is accepted', async () => {
    expect((await upload(10 * 1024 * 1024)).status).toBe(200);
  });

  it('a file over 10 MiB is refused: 413 / 40005', async () => {
    expect(await upload(10 * 1024 * 1024 + 1)).toMatchObject({ status: 413, body: { code: 40005 } });
  });
});

describe('Get Channel Messages', () => {
  let posted: string[];
  beforeEach(async () => {
    posted = [];
    for (let i = 0; i < 8; i++) posted.push(((await post({ content: `m${i}` })).body as { id: string }).id);
  });

  it('newest first; `after` gives the batch right after that id; `before` the batch right before', async () => {
    expect(ids((await list(`after=${posted[0]}&limit=3`)).body)).toEqual([posted[3], posted[2], posted[1]]);
    expect(ids((await list(`before=${posted[7]}&limit=2`)).body)).toEqual([posted[6], posted[5]]);
    expect(ids((await list('limit=2')).body)).toEqual([posted[7], posted[6]]);
  });

  it('`around` centres on the id', async () => {
    expect(ids((await list(`around=${posted[4]}&limit=3`)).body)).toEqual([posted[5], posted[4], posted[3]]);
  });

  it('limit is 1–100 and the anchors exclusive: otherwise 400 / 50035 (Query String Params)', async () => {
    expect(await list('limit=0')).toMatchObject({ status: 400, body: { code: 50035 } });
    expect(await list('limit=101')).toMatchObject({ status: 400, body: { code: 50035 } });
    expect(await list(`before=${posted[5]}&after=${posted[1]}`)).toMatchObject({ status: 400 });
    expect((await list('limit=100')).status).toBe(200);
  });

  it('without Read Message History: 200 with no messages, not an error (discord-api-docs#455)', async () => {
    server.guild.channel('reading').setBotPermissions({ deny: ['ReadMessageHistory'] });
    expect(await list('limit=50')).toMatchObject({ status: 200, body: [] });
  });

  it('without View Channel: 403 / 50001 Missing Access (opcodes-and-status-codes.mdx)', async () => {
    server.guild.channel('reading').setBotPermissions({ deny: ['ViewChannel'] });
    expect(await list('limit=50')).toMatchObject({ status: 403, body: { code: 50001 } });
  });
});

describe('mentions ("Allowed Mentions Object"; "Default Settings for Allowed Mentions")', () => {
  it('a role that is not mentionable is notified only if the bot has Mention Everyone', async () => {
    const role = server.guild.addRole('Readers');
    const bo = server.guild.addMember('bo');
    bo.giveRole(role.id);
    const ping = { content: `<@&${role.id}> session 1`, allowed_mentions: { parse: [], roles: [role.id] } };
    expect((await post(ping)).body).toMatchObject({ mention_roles: [] });
    expect(bo.notifications()).toHaveLength(0);

    server.guild.setRoleMentionable(role.id, true);
    expect((await post(ping)).body).toMatchObject({ mention_roles: [role.id] });
    expect(bo.notifications()).toHaveLength(1);
  });

  it('Mention Everyone lets the bot ping a role that is not mentionable', async () => {
    const role = server.guild.addRole('Readers');
    const bo = server.guild.addMember('bo');
    bo.giveRole(role.id);
    server.guild.channel('reading').setBotPermissions({ allow: ['MentionEveryone'] });
    await post({ content: `<@&${role.id}>`, allowed_mentions: { parse: [], roles: [role.id] } });
    expect(bo.notifications()).toHaveLength(1);
  });

  it('only mentions in the content notify; a listed id absent from it is ignored', async () => {
    const role = server.guild.addRole('Readers', [], { mentionable: true });
    const bo = server.guild.addMember('bo');
    bo.giveRole(role.id);
    await post({ content: 'no ping here', allowed_mentions: { parse: [], roles: [role.id] } });
    expect(bo.notifications()).toHaveLength(0);
  });

  it('`parse` with an id list of the same type is refused: 400 / 50035', async () => {
    const role = server.guild.addRole('Readers', [], { mentionable: true });
    expect(
      await post({ content: `<@&${role.id}>`, allowed_mentions: { parse: ['roles'], roles: [role.id] } }),
    ).toMatchObject({ status: 400, body: { code: 50035 } });
  });

  it('without allowed_mentions a channel message parses users, roles and @everyone', async () => {
    const bo = server.guild.addMember('bo');
    const cy = server.guild.addMember('cy');
    await post({ content: `hi <@${bo.id}>` });
    expect(bo.notifications()).toHaveLength(1);
    expect(cy.notifications()).toHaveLength(0);
    // @everyone needs Mention Everyone.
    await post({ content: '@everyone read this' });
    expect(cy.notifications()).toHaveLength(0);
    server.guild.channel('reading').setBotPermissions({ allow: ['MentionEveryone'] });
    await post({ content: '@everyone read this' });
    expect(cy.notifications()).toHaveLength(1);
  });
});
