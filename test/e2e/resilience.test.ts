import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { worldForFile } from './harness.js';

const world = await worldForFile();

const CALLBACK = 'POST /interactions/:interactionId/:token/callback';
const CHANNEL_POST = 'POST /channels/:channelId/messages';

describe('a restart', () => {
  it('loses nothing: rotation continues and buttons on old messages still work', async () => {
    const { corpus } = world.bot;
    const count = (n: number) => corpus.cruxes.filter((c) => c.session === n).length;
    const session = corpus.sessions.map((s) => s.number).sort((x, y) => count(y) - count(x))[0] ?? 1;
    await world.reach(session);
    const inSession = count(session);
    const before = await world.bo.run('excerpt', { session: 2 });
    const cruxBefore = await world.bo.run('crux');
    const identifies = world.discord.gateway.identifies;

    await world.restart();
    expect(world.discord.gateway.identifies).toBe(identifies + 1);

    // The crux rotation picks up where it was: the next crux is another one of the session.
    const cruxAfter = await world.bo.run('crux');
    expect(inSession).toBeGreaterThanOrEqual(2);
    expect(cruxAfter.embeds[0]?.description).not.toBe(cruxBefore.embeds[0]?.description);
    // Buttons on a message sent before the restart.
    const another = await world.ada.click(before, 'Another');
    expect(another.embeds[0]?.footer?.text).toMatch(/^Session 2/u);
    expect(another.embeds[0]?.description).not.toBe(before.embeds[0]?.description);
    const context = await world.ada.click(before, 'Context');
    expect(context.embeds[0]?.title).toBe(`Context: ${before.embeds[0]?.title}`);
    const quotes = await world.ada.click(cruxBefore, 'Quotes');
    expect(quotes.ephemeral).toBe(true);
  });
});

describe('faults', () => {
  it('a 429 on the reply: discord.js waits as told and the member still gets the answer', async () => {
    world.discord.faults.rateLimit(CALLBACK, { retryAfterSeconds: 0.3 });
    const reply = await world.bo.run('crux');
    expect(reply.embeds[0]?.author?.name).toMatch(/^Crux/u);
    expect(world.discord.faults.served.map((s) => s.fault.type)).toContain('rate-limit');
  });

  it('a 500 on the reply: retried, and the member still gets the answer', async () => {
    const served = world.discord.faults.served.length;
    world.discord.faults.serverError(CALLBACK);
    const reply = await world.bo.run('excerpt');
    expect(reply.embeds).toHaveLength(1);
    expect(world.discord.faults.served.length).toBe(served + 1);
  });

  it('a 429 and a 500 on a channel post: the thread’s first message still arrives', async () => {
    world.discord.faults.rateLimit(CHANNEL_POST, { retryAfterSeconds: 0.2 });
    world.discord.faults.serverError(CHANNEL_POST);
    const reply = await world.bo.run('excerpt', { session: 2 });
    const confirmation = await world.bo.click(reply, 'Discuss');
    expect(confirmation.content).toMatch(/^Opened a discussion thread/u);
    const thread = world.guild
      .channel('reading')
      .threads()
      .find((t) => t.id === reply.id);
    expect(thread?.messages()).toHaveLength(1);
  });

  it('a thread’s first message that keeps failing: the thread stays, the member is told, with a reference', async () => {
    world.discord.faults.serverError(CHANNEL_POST, { times: 10 });
    const reply = await world.bo.run('excerpt', { session: 1 });
    const answer = await world.bo.click(reply, 'Discuss');
    expect(answer.ephemeral).toBe(true);
    expect(answer.content).toMatch(
      /^Opened a discussion thread: <#\d+>, but I couldn't post its first message there \(ref \d+\)\.$/u,
    );
    expect(
      world.guild
        .channel('reading')
        .threads()
        .find((t) => t.id === reply.id)
        ?.messages(),
    ).toEqual([]);
  });

  it('a global 429: every request waits, then goes through', async () => {
    world.discord.faults.globalRateLimit({ retryAfterSeconds: 0.3 });
    const reply = await world.bo.run('help');
    expect(reply.ephemeral).toBe(true);
  });

  it('a slow Discord: answers still arrive', async () => {
    world.discord.faults.slow(CALLBACK, 800);
    const reply = await world.bo.run('excerpt');
    expect(reply.embeds).toHaveLength(1);
  });

  it('a dropped gateway: the bot resumes, and a command sent meanwhile is answered', async () => {
    const resumes = world.discord.gateway.resumes;
    world.discord.dropGateway();
    const crux = world.bot.corpus.cruxes.find((c) => c.session === 5);
    const reply = await world.bo.run('crux', { id: crux?.id ?? '', ahead: true });
    expect(reply.embeds[0]?.description).toContain(crux?.question.slice(0, 40));
    expect(world.discord.gateway.resumes).toBe(resumes + 1);
  });
});

describe('permissions', () => {
  it('without Create Public Threads, Discuss explains privately and opens nothing', async () => {
    const general = world.guild.channel('general');
    general.setBotPermissions({ deny: ['CreatePublicThreads'] });
    // Give the bot a moment to receive the CHANNEL_UPDATE, as it would on Discord.
    await sleep(50);
    const reply = await world.bo.run('excerpt', {}, general);
    const answer = await world.bo.click(reply, 'Discuss');
    expect(answer.ephemeral).toBe(true);
    expect(answer.content).toMatch(/I can't open a thread here: I need \*\*Create Public Threads\*\*/u);
    expect(general.threads()).toEqual([]);
  });
});
