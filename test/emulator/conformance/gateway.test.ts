import type { EventEmitter } from 'node:events';
import { once } from 'node:events';
import { Client, Events, ShardClientUtil } from 'discord.js';
import { GatewayIntentBits } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Emulator,
  type EmulatorOptions,
  type GuildHandle,
  InteractionFailed,
  Member,
  startEmulator,
} from '../../../src/emulator/index.js';
import { RawGateway, rest } from '../raw.js';

/**
 * The gateway's rules as Discord documents them (discord-api-docs, developers/…): sharding, session start
 * limits, GUILD_CREATE members without privileged intents, and gateway latency against the 3-second
 * interaction window. Each rule is checked both ways: what Discord accepts works, what it refuses closes
 * with its code.
 */

let discord: Emulator;
const raws: RawGateway[] = [];
const clients: Client[] = [];
afterEach(async () => {
  for (const raw of raws.splice(0)) raw.close();
  await Promise.all(clients.splice(0).map((client) => client.destroy()));
  await discord?.close();
});

/**
 * An emulator whose clock the test moves, so each server's id carries its own millisecond and servers
 * spread over shards deterministically (a snowflake's shard comes from its timestamp, `id >> 22`).
 */
async function start(options: EmulatorOptions = {}): Promise<{ addGuilds(n: number): GuildHandle[] }> {
  let now = Date.UTC(2025, 0, 1);
  // REST rate limits are not under test here, and every raw connection asks GET /gateway/bot for the URL.
  discord = await startEmulator({ rateLimits: false, ...options, now: () => now });
  return {
    addGuilds(n) {
      return Array.from({ length: n }, (_, i) => {
        now++;
        return discord.addGuild({ name: `Server ${i}` });
      });
    },
  };
}

/** events/gateway.mdx "Sharding Formula": `shard_id = (guild_id >> 22) % num_shards`, computed independently. */
const shardOf = (guildId: string, numShards: number) => Number((BigInt(guildId) >> 22n) % BigInt(numShards));

async function connect(identify: Record<string, unknown>): Promise<RawGateway> {
  const raw = await RawGateway.connect(discord);
  raws.push(raw);
  raw.send(2, {
    token: discord.token,
    intents: GatewayIntentBits.Guilds,
    properties: { os: 'linux', browser: 'raw', device: 'raw' },
    ...identify,
  });
  return raw;
}

/** Polls until `done` holds; for conditions `RawGateway.next` would scan too often (thousands of events). */
async function until(done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const readyGuilds = async (raw: RawGateway) =>
  ((await raw.next((p) => p.t === 'READY', 10_000)).d.guilds as { id: string }[]).map((g) => g.id).sort();
const guildCreates = (raw: RawGateway) =>
  raw
    .dispatched('GUILD_CREATE')
    .map((p) => String(p.d.id))
    .sort();
const sorted = (ids: readonly string[]) => [...ids].sort();

describe('GET /gateway/bot (events/gateway.mdx "Get Gateway Bot", "Session Start Limit Object")', () => {
  it('answers the URL, one shard for a small bot, and the session start limit', async () => {
    const { addGuilds } = await start();
    addGuilds(3);
    const { status, body } = await rest(discord, 'GET', '/gateway/bot');
    expect(status).toBe(200);
    expect(body).toEqual({
      url: expect.stringMatching(/^ws:\/\//),
      shards: 1,
      // "Identifying": "Clients are limited to 1000 IDENTIFY calls to the websocket in a 24-hour period";
      // max_concurrency 1 as in the docs' example (more only for large-bot sharding).
      session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
    });
  });

  it('requires the bot token, unlike GET /gateway ("This endpoint requires authentication")', async () => {
    await start();
    expect((await rest(discord, 'GET', '/gateway/bot', undefined, { auth: false })).status).toBe(401);
    // "Get Gateway": "This endpoint does not require authentication."
    const open = await rest(discord, 'GET', '/gateway', undefined, { auth: false });
    expect(open).toMatchObject({ status: 200, body: { url: expect.stringMatching(/^ws:\/\//) } });
  });

  it('counts session starts down, with the time left in the 24-hour window', async () => {
    const { addGuilds } = await start();
    addGuilds(1);
    await readyGuilds(await connect({}));
    await readyGuilds(await connect({ shard: [0, 2] }));
    const { body } = await rest(discord, 'GET', '/gateway/bot');
    const limit = (body as { session_start_limit: { remaining: number; reset_after: number } })
      .session_start_limit;
    expect(limit.remaining).toBe(998);
    expect(limit.reset_after).toBeGreaterThan(0);
    expect(limit.reset_after).toBeLessThanOrEqual(24 * 60 * 60 * 1000);
  });

  it('recommends at least one shard, one more per 1,000 servers (docs: "Recommended number of shards")', async () => {
    const { addGuilds } = await start();
    const shards = async () =>
      ((await rest(discord, 'GET', '/gateway/bot')).body as { shards: number }).shards;
    expect(await shards()).toBe(1);
    const guilds = addGuilds(1000);
    expect(await shards()).toBe(1);
    addGuilds(1);
    expect(await shards()).toBe(2);
    // Servers the bot was removed from do not count.
    guilds[0]?.removeBot();
    expect(await shards()).toBe(1);
  });
});

describe('sharding (events/gateway.mdx "Sharding")', () => {
  it('gives each shard, in READY and GUILD_CREATE, only the servers (guild_id >> 22) % num_shards picks', async () => {
    const { addGuilds } = await start();
    const all = addGuilds(6).map((g) => g.id);
    const zero = await connect({ shard: [0, 2] });
    const one = await connect({ shard: [1, 2] });
    const inZero = await readyGuilds(zero);
    const inOne = await readyGuilds(one);
    expect(inZero).toEqual(sorted(all.filter((id) => shardOf(id, 2) === 0)));
    expect(inOne).toEqual(sorted(all.filter((id) => shardOf(id, 2) === 1)));
    expect(inZero.length).toBeGreaterThan(0);
    expect(inOne.length).toBeGreaterThan(0);
    await until(
      () => guildCreates(zero).length === inZero.length && guildCreates(one).length === inOne.length,
    );
    expect(guildCreates(zero)).toEqual(inZero);
    expect(guildCreates(one)).toEqual(inOne);
  });

  it('echoes the shard in READY, and leaves it out when none was sent (Ready Event Fields, `shard?`)', async () => {
    const { addGuilds } = await start();
    const all = addGuilds(4).map((g) => g.id);
    const sharded = await connect({ shard: [1, 3] });
    expect((await sharded.next((p) => p.t === 'READY')).d.shard).toEqual([1, 3]);
    // No `shard` in IDENTIFY: one connection for every server.
    const whole = await connect({});
    const ready = await whole.next((p) => p.t === 'READY');
    expect(ready.d).not.toHaveProperty('shard');
    expect(await readyGuilds(whole)).toEqual(sorted(all));
  });

  it('sends later server events only to the shard that owns the server', async () => {
    const { addGuilds } = await start();
    const guilds = addGuilds(4);
    const [mine, theirs] = [
      guilds.find((g) => shardOf(g.id, 2) === 0),
      guilds.find((g) => shardOf(g.id, 2) === 1),
    ];
    if (!mine || !theirs) throw new Error('the clock should spread servers over both shards');
    await rest(discord, 'PUT', `/applications/${discord.applicationId}/commands`, [
      { name: 'ping', description: 'Ping' },
    ]);
    const intents =
      GatewayIntentBits.Guilds |
      GatewayIntentBits.GuildMembers |
      GatewayIntentBits.GuildMessages |
      GatewayIntentBits.GuildMessagePolls;
    const zero = await connect({ shard: [0, 2], intents });
    const one = await connect({ shard: [1, 2], intents });
    await readyGuilds(zero);
    await readyGuilds(one);

    // Every kind of server event, in the server shard 0 owns.
    mine.addChannel('later');
    const ada = mine.addMember('ada');
    const channelId = mine.channel('reading').id;
    const posted = await rest(discord, 'POST', `/channels/${channelId}/messages`, {
      poll: { question: { text: 'Which?' }, answers: [{ poll_media: { text: 'This' } }], duration: 1 },
    });
    expect(posted.status).toBe(200);
    const poll = mine.channel('reading').messages()[0];
    if (!poll) throw new Error('no poll');
    ada.vote(poll, 'This');
    const running = ada.run('ping').catch(() => undefined);
    const interaction = await zero.next((p) => p.t === 'INTERACTION_CREATE');
    await rest(
      discord,
      'POST',
      `/interactions/${interaction.d.id}/${interaction.d.token}/callback`,
      { type: 4, data: { content: 'pong' } },
      { auth: false },
    );
    await running;
    mine.removeBot();
    const events = ['CHANNEL_CREATE', 'GUILD_MEMBER_ADD', 'MESSAGE_CREATE', 'MESSAGE_POLL_VOTE_ADD'];
    await zero.next((p) => p.t === 'GUILD_DELETE');
    for (const event of [...events, 'INTERACTION_CREATE', 'GUILD_DELETE'])
      expect([...new Set(zero.dispatched(event).map((p) => p.d.guild_id ?? p.d.id))]).toEqual([mine.id]);

    // A server event shard 1 does receive: anything sent to it before arrived first, on the same socket.
    theirs.addChannel('barrier');
    await one.next((p) => p.t === 'CHANNEL_CREATE');
    for (const event of [...events, 'INTERACTION_CREATE', 'GUILD_DELETE'])
      expect(one.dispatched(event).filter((p) => (p.d.guild_id ?? p.d.id) === mine.id)).toEqual([]);

    // A server the bot joins later arrives on its own shard only.
    const joined = addGuilds(2);
    for (const guild of joined) {
      const [owner, other] = shardOf(guild.id, 2) === 0 ? [zero, one] : [one, zero];
      await owner.next((p) => p.t === 'GUILD_CREATE' && p.d.id === guild.id);
      expect(other.dispatched('GUILD_CREATE').some((p) => p.d.id === guild.id)).toBe(false);
    }
  });

  it('allows several sessions on one shard, and sessions with different shard counts ("Sharding")', async () => {
    const { addGuilds } = await start();
    const all = addGuilds(6).map((g) => g.id);
    const first = await connect({ shard: [0, 2] });
    const again = await connect({ shard: [0, 2] });
    const third = await connect({ shard: [2, 3] });
    expect(await readyGuilds(again)).toEqual(await readyGuilds(first));
    expect(await readyGuilds(third)).toEqual(sorted(all.filter((id) => shardOf(id, 3) === 2)));
  });

  it.each([
    ['a shard id equal to the count', [2, 2]],
    ['a shard id above the count', [5, 2]],
    ['a count of zero', [0, 0]],
    ['a negative shard id', [-1, 2]],
    ['a fractional shard', [0.5, 2]],
    ['one number', [0]],
    ['not an array', '0,1'],
  ])('closes with 4010 Invalid shard for %s (topics/opcodes-and-status-codes.mdx)', async (_, shard) => {
    await start();
    const raw = await connect({ shard });
    expect(await raw.closed()).toBe(4010);
  });

  it('closes with 4011 Sharding required when a session would hold more than 2,500 servers', async () => {
    // "Each shard can only support a maximum of 2500 guilds, and apps that are in 2500+ guilds *must* enable
    // sharding"; 4011: "The session would have handled too many guilds".
    const { addGuilds } = await start();
    addGuilds(2500);
    // 2,500 on one connection is the documented maximum, still allowed.
    expect((await readyGuilds(await connect({}))).length).toBe(2500);
    addGuilds(1);
    expect(await (await connect({})).closed()).toBe(4011);
    expect(await (await connect({ shard: [0, 1] })).closed()).toBe(4011);
    // Split over two shards, each holds about half.
    const zero = await readyGuilds(await connect({ shard: [0, 2] }));
    const one = await readyGuilds(await connect({ shard: [1, 2] }));
    expect(zero.length + one.length).toBe(2501);
    // And the recommendation is enough shards for it: one per 1,000 servers.
    expect(((await rest(discord, 'GET', '/gateway/bot')).body as { shards: number }).shards).toBe(3);
  });
});

/** A discord.js Client on the emulator, recording which shard each raw dispatch arrived on. */
async function startClient(
  shards: readonly number[] | 'auto',
  shardCount?: number,
): Promise<{ client: Client; arrivals: { t: string; guildId: string | undefined; shardId: number }[] }> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: discord.apiUrl },
    shards,
    ...(shardCount === undefined ? {} : { shardCount }),
  });
  clients.push(client);
  const arrivals: { t: string; guildId: string | undefined; shardId: number }[] = [];
  (client as unknown as EventEmitter).on(
    'raw',
    (packet: { t: string | null; d: { id?: string; guild_id?: string } | null }, shardId: number) => {
      if (!packet.t) return;
      const guildId = packet.t === 'GUILD_CREATE' ? packet.d?.id : packet.d?.guild_id;
      arrivals.push({ t: packet.t, guildId, shardId });
    },
  );
  const ready = once(client, Events.ClientReady);
  await client.login(discord.token);
  await ready;
  return { client, arrivals };
}

describe('sharding with the real discord.js client', () => {
  it('one client running both shards of two gets every server, each on the shard discord.js expects', async () => {
    // max_concurrency 2 lets discord.js identify both shards at once instead of 5 s apart ("Max Concurrency").
    const { addGuilds } = await start({ maxConcurrency: 2 });
    const all = addGuilds(6).map((g) => g.id);
    const { client, arrivals } = await startClient([0, 1], 2);
    expect(sorted([...client.guilds.cache.keys()])).toEqual(sorted(all));
    for (const id of all) {
      const shardId = ShardClientUtil.shardIdForGuildId(id, 2);
      expect(shardId).toBe(shardOf(id, 2));
      expect(
        arrivals.filter((a) => a.t === 'GUILD_CREATE' && a.guildId === id).map((a) => a.shardId),
      ).toEqual([shardId]);
      expect(client.guilds.cache.get(id)?.shardId).toBe(shardId);
    }
  });

  it('two clients with one shard of two each get disjoint servers that together are all of them', async () => {
    const { addGuilds } = await start();
    const guilds = addGuilds(6);
    const all = guilds.map((g) => g.id);
    const zero = await startClient([0], 2);
    const one = await startClient([1], 2);
    const inZero = sorted([...zero.client.guilds.cache.keys()]);
    const inOne = sorted([...one.client.guilds.cache.keys()]);
    expect(inZero).toEqual(sorted(all.filter((id) => ShardClientUtil.shardIdForGuildId(id, 2) === 0)));
    expect(inOne).toEqual(sorted(all.filter((id) => ShardClientUtil.shardIdForGuildId(id, 2) === 1)));
    expect(inZero.filter((id) => inOne.includes(id))).toEqual([]);
    expect(sorted([...inZero, ...inOne])).toEqual(sorted(all));

    // A command run in a server reaches only the client whose shard owns it, which answers it.
    await rest(discord, 'PUT', `/applications/${discord.applicationId}/commands`, [
      { name: 'ping', description: 'Ping' },
    ]);
    const received: string[] = [];
    for (const [name, { client }] of [
      ['zero', zero],
      ['one', one],
    ] as const) {
      client.on(Events.InteractionCreate, async (interaction) => {
        received.push(name);
        if (interaction.isChatInputCommand()) await interaction.reply(`pong from ${name}`);
      });
    }
    const target = guilds.find((g) => ShardClientUtil.shardIdForGuildId(g.id, 2) === 1);
    const other = guilds.find((g) => ShardClientUtil.shardIdForGuildId(g.id, 2) === 0);
    if (!target || !other) throw new Error('the clock should spread servers over both shards');
    const reply = await target.addMember('ada').run('ping');
    expect(reply.content).toBe('pong from one');
    // Shard 0 receives a later event on the same socket, so an interaction sent to it would be in by now.
    other.addChannel('barrier');
    await until(() => zero.arrivals.some((a) => a.t === 'CHANNEL_CREATE'));
    expect(received).toEqual(['one']);
    expect(zero.arrivals.filter((a) => a.t === 'INTERACTION_CREATE')).toEqual([]);
  });

  it('shards: "auto" follows the recommendation of GET /gateway/bot', async () => {
    const { addGuilds } = await start({ maxConcurrency: 2 });
    const all = addGuilds(1001).map((g) => g.id);
    const { client } = await startClient('auto');
    expect(client.options.shardCount).toBe(2);
    expect(client.guilds.cache.size).toBe(all.length);
  });
});

describe('GUILD_CREATE members (events/gateway-events.mdx "Guild Create")', () => {
  // "If your bot does not have the GUILD_PRESENCES Gateway Intent, or if the guild has over 75k members,
  // members and presences returned in this event will only contain your bot and users in voice channels."
  const membersOf = async (identify: Record<string, unknown>, guildId: string) => {
    const raw = await connect(identify);
    const event = await raw.next((p) => p.t === 'GUILD_CREATE' && p.d.id === guildId);
    return event.d as { members: { user: { id: string } }[]; member_count: number; large: boolean };
  };

  it('holds only the bot without GUILD_PRESENCES, even with GUILD_MEMBERS; member_count is the total', async () => {
    const { addGuilds } = await start();
    const [guild] = addGuilds(1);
    if (!guild) throw new Error('no server');
    guild.addMember('ada');
    const bot = (await rest(discord, 'GET', '/users/@me')).body as { id: string };
    for (const intents of [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.Guilds | GatewayIntentBits.GuildMembers,
    ]) {
      const created = await membersOf({ intents }, guild.id);
      expect(created.members.map((m) => m.user.id)).toEqual([bot.id]);
      expect(created.member_count).toBe(3);
    }
  });

  it('holds every member with GUILD_PRESENCES in a server below large_threshold', async () => {
    const { addGuilds } = await start();
    const [guild] = addGuilds(1);
    if (!guild) throw new Error('no server');
    guild.addMember('ada');
    const created = await membersOf(
      { intents: GatewayIntentBits.Guilds | GatewayIntentBits.GuildPresences },
      guild.id,
    );
    expect(created.members).toHaveLength(3);
    expect(created.large).toBe(false);
  });

  it('leaves offline members out of a large server (Identify Structure, `large_threshold`, default 50)', async () => {
    const { addGuilds } = await start();
    const [guild] = addGuilds(1);
    if (!guild) throw new Error('no server');
    for (let i = 0; i < 48; i++) guild.addMember(`member ${i}`);
    const intents = GatewayIntentBits.Guilds | GatewayIntentBits.GuildPresences;
    // 50 members reach the default threshold of 50: large, and nobody is online but the bot.
    const large = await membersOf({ intents }, guild.id);
    expect(large).toMatchObject({ large: true, member_count: 50 });
    expect(large.members).toHaveLength(1);
    // A threshold of 250 (the highest allowed) keeps it small, with every member.
    const small = await membersOf({ intents, large_threshold: 250 }, guild.id);
    expect(small).toMatchObject({ large: false, member_count: 50 });
    expect(small.members).toHaveLength(50);
  });

  it('applies to a server the bot joins after READY as well', async () => {
    const { addGuilds } = await start();
    const raw = await connect({ intents: GatewayIntentBits.Guilds });
    await raw.next((p) => p.t === 'READY');
    const [guild] = addGuilds(1);
    if (!guild) throw new Error('no server');
    const event = await raw.next((p) => p.t === 'GUILD_CREATE');
    expect((event.d.members as unknown[]).length).toBe(1);
  });

  it('GUILD_MEMBER_UPDATE about the bot comes without GUILD_MEMBERS, about others not (events/gateway.mdx "Caveats")', async () => {
    const { addGuilds } = await start();
    const [guild] = addGuilds(1);
    if (!guild) throw new Error('no server');
    const ada = guild.addMember('ada');
    const role = guild.addRole('readers');
    const raw = await connect({ intents: GatewayIntentBits.Guilds });
    await raw.next((p) => p.t === 'READY');
    const botUser = (await rest(discord, 'GET', '/users/@me')).body as ConstructorParameters<
      typeof Member
    >[2];
    ada.giveRole(role.id);
    new Member(guild.deps, guild, botUser).giveRole(role.id);
    const update = await raw.next((p) => p.t === 'GUILD_MEMBER_UPDATE');
    expect((update.d.user as { id: string }).id).toBe(botUser.id);
    expect(raw.dispatched('GUILD_MEMBER_UPDATE')).toHaveLength(1);
  });
});

describe('gateway latency (EmulatorOptions.gatewayLatencyMs)', () => {
  it('delivers every dispatch that much later, in order', async () => {
    const { addGuilds } = await start({ gatewayLatencyMs: 1000 });
    const [guild] = addGuilds(1);
    if (!guild) throw new Error('no server');
    const raw = await connect({ intents: GatewayIntentBits.Guilds });
    await raw.next((p) => p.t === 'READY', 5000);
    await raw.next((p) => p.t === 'GUILD_CREATE', 5000);
    const sent = Date.now();
    for (const name of ['a', 'b', 'c', 'd']) guild.addChannel(name);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(raw.dispatched('CHANNEL_CREATE')).toEqual([]);
    await until(() => raw.dispatched('CHANNEL_CREATE').length === 4, 5000);
    expect(Date.now() - sent).toBeGreaterThanOrEqual(900);
    expect(raw.dispatched('CHANNEL_CREATE').map((p) => p.d.name)).toEqual(['a', 'b', 'c', 'd']);
    const sequence = raw.received.filter((p) => p.op === 0).map((p) => p.s ?? 0);
    expect(sequence).toEqual(sequence.map((_, i) => i + 1));
    // Heartbeat ACKs are not dispatches: they come at once.
    raw.send(1, null);
    await raw.next((p) => p.op === 11, 500);
  });

  it('replays what a resumed session missed in order, then RESUMED, also with latency', async () => {
    const { addGuilds } = await start({ gatewayLatencyMs: 300 });
    const [guild] = addGuilds(1);
    if (!guild) throw new Error('no server');
    const first = await connect({ intents: GatewayIntentBits.Guilds });
    const ready = await first.next((p) => p.t === 'READY', 5000);
    await first.next((p) => p.t === 'GUILD_CREATE', 5000);
    // Sent while the connection is still up, lost with it before delivery.
    guild.addChannel('in flight');
    discord.dropGateway();
    guild.addChannel('while away');
    const second = await RawGateway.connect(discord);
    raws.push(second);
    second.send(6, { token: discord.token, session_id: ready.d.session_id, seq: 2 });
    await second.next((p) => p.t === 'RESUMED', 5000);
    expect(second.received.filter((p) => p.op === 0).map((p) => [p.t, p.d.name])).toEqual([
      ['CHANNEL_CREATE', 'in flight'],
      ['CHANNEL_CREATE', 'while away'],
      ['RESUMED', undefined],
    ]);
  });

  /**
   * interactions/receiving-and-responding.mdx: an interaction must be answered within 3 seconds of Discord
   * sending it. The window starts when Discord sends it, so time on the way to the bot counts against it.
   */
  async function answeringAfter(delayMs: number) {
    const { addGuilds } = await start({ gatewayLatencyMs: 1000 });
    const [guild] = addGuilds(1);
    if (!guild) throw new Error('no server');
    await rest(discord, 'PUT', `/applications/${discord.applicationId}/commands`, [
      { name: 'ping', description: 'Ping' },
    ]);
    const { client } = await startClient([0], 1);
    let receivedAfter = 0;
    let ran = 0;
    const late: Promise<unknown>[] = [];
    client.on(Events.InteractionCreate, (interaction) => {
      receivedAfter = Date.now() - ran;
      if (!interaction.isChatInputCommand()) return;
      late.push(
        new Promise((resolve) => setTimeout(resolve, delayMs))
          .then(() => interaction.reply('pong'))
          .catch((e) => e),
      );
    });
    ran = Date.now();
    const outcome = await guild
      .addMember('ada')
      .run('ping')
      .catch((error: unknown) => error);
    await Promise.all(late);
    return { outcome, receivedAfter, late: await Promise.all(late) };
  }

  it('leaves a bot 2 s of the 3 s window at 1 s latency: an answer 500 ms after receipt arrives', async () => {
    const { outcome, receivedAfter } = await answeringAfter(500);
    expect(receivedAfter).toBeGreaterThanOrEqual(900);
    expect((outcome as { content?: string }).content).toBe('pong');
  });

  it('fails an answer 2,500 ms after receipt at 1 s latency: "The application did not respond"', async () => {
    const { outcome, receivedAfter, late } = await answeringAfter(2500);
    expect(receivedAfter).toBeGreaterThanOrEqual(900);
    expect(outcome).toBeInstanceOf(InteractionFailed);
    expect((outcome as Error).message).toBe('The application did not respond');
    // The late answer is refused: 404 Unknown interaction (10062).
    expect(late[0]).toMatchObject({ status: 404, code: 10062 });
  });
});
