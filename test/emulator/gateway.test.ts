import { GatewayIntentBits } from 'discord-api-types/v10';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { RawGateway } from './raw.js';

let discord: Emulator;
const clients: RawGateway[] = [];
const connect = async () => {
  const client = await RawGateway.connect(discord);
  clients.push(client);
  return client;
};

beforeEach(async () => {
  discord = await startEmulator();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await discord.close();
});

describe('the gateway handshake', () => {
  it('says HELLO, answers IDENTIFY with READY, then one GUILD_CREATE per server', async () => {
    discord.addGuild({ name: 'One', channels: ['a', 'b'] });
    discord.addGuild({ name: 'Two' });
    const client = await connect();
    const hello = await client.next((p) => p.op === 10);
    expect(hello.d.heartbeat_interval).toBeGreaterThan(0);
    client.identify(discord, GatewayIntentBits.Guilds);
    const ready = await client.next((p) => p.t === 'READY');
    expect(ready.s).toBe(1);
    expect(ready.d).toMatchObject({ user: { bot: true }, application: { id: discord.applicationId } });
    expect((ready.d.guilds as unknown[]).length).toBe(2);
    await client.next((p) => p.t === 'GUILD_CREATE' && p.d.name === 'Two');
    const one = client.dispatched('GUILD_CREATE').find((p) => p.d.name === 'One');
    expect(((one?.d.channels ?? []) as { name: string }[]).map((c) => c.name)).toEqual(['a', 'b']);
    // Without GUILD_PRESENCES, members holds only the bot itself (events/gateway-events.mdx, "Guild Create").
    expect(((one?.d.members ?? []) as { user: { bot?: boolean } }[]).map((m) => m.user.bot)).toEqual([true]);
  });

  it('acknowledges heartbeats', async () => {
    const client = await connect();
    client.send(1, null);
    await client.next((p) => p.op === 11);
  });

  it('closes with 4004 for a wrong token', async () => {
    const client = await connect();
    const closed = client.closed();
    client.identify(discord, 0, 'wrong.token.here');
    expect(await closed).toBe(4004);
  });

  it('sends only the events the identified intents cover', async () => {
    const guild = discord.addGuild();
    const client = await connect();
    client.identify(discord, 0);
    await client.next((p) => p.t === 'READY');
    guild.addChannel('later').delete();
    guild.addMember('ada');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.dispatched('GUILD_CREATE')).toEqual([]);
    expect(client.dispatched('CHANNEL_DELETE')).toEqual([]);
    expect(client.dispatched('GUILD_MEMBER_ADD')).toEqual([]);
  });
});

describe('resuming', () => {
  it('replays what was missed, then says RESUMED', async () => {
    const first = await connect();
    first.identify(discord, GatewayIntentBits.Guilds);
    const ready = await first.next((p) => p.t === 'READY');
    first.close();
    await first.closed();
    const guild = discord.addGuild({ name: 'While away' });
    guild.channel('reading').delete();

    const second = await connect();
    second.send(6, { token: discord.token, session_id: ready.d.session_id, seq: ready.s });
    const resumed = await second.next((p) => p.t === 'RESUMED');
    const replayed = second.received.filter((p) => p.op === 0 && p.t !== 'RESUMED').map((p) => p.t);
    expect(replayed).toEqual(['GUILD_CREATE', 'CHANNEL_DELETE']);
    expect(resumed.s).toBe(4);
    expect(discord.gateway.resumes).toBe(1);
  });

  it('refuses to resume an unknown session', async () => {
    const client = await connect();
    client.send(6, { token: discord.token, session_id: 'nope', seq: 1 });
    const invalid = await client.next((p) => p.op === 9);
    expect(invalid.d).toBe(false);
  });
});
