import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../../src/emulator/index.js';
import { startWorld, type World } from './harness.js';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.close());
// Any reply Discord would have refused (a broken limit, a malformed body) fails the test that caused it.
afterEach(() => {
  expect(world.discord.violations).toEqual([]);
});

/** Follows Next ▶ through every page of a paged private reply, returning each page's text. */
async function readAllPages(first: MessageView): Promise<string[]> {
  const pages = [first.embeds[0]?.description ?? ''];
  let current = first;
  while (current.buttons.some((b) => b.label === 'Next ▶' && !b.disabled)) {
    current = await world.ada.click(current, 'Next ▶');
    expect(current.via).toBe('update');
    pages.push(current.embeds[0]?.description ?? '');
  }
  return pages;
}

describe('registered commands', () => {
  it('are registered by the bot at start, with the options members see', () => {
    const commands = world.discord.commands();
    expect(commands.map((c) => c.name).sort()).toEqual([
      'crux',
      'data',
      'excerpt',
      'export',
      'help',
      'map',
      'poll',
      'positions',
      'progress',
      'read',
      'schedule',
    ]);
    const excerpt = commands.find((c) => c.name === 'excerpt');
    expect(excerpt?.options?.map((o) => o.name)).toEqual([
      'text',
      'topic',
      'search',
      'session',
      'private',
      'ahead',
    ]);
  });
});

describe('/excerpt', () => {
  it('posts a public excerpt from session 1 in the channel', async () => {
    const reply = await world.bo.run('excerpt');
    expect(reply.ephemeral).toBe(false);
    expect(reply.embeds[0]?.footer?.text).toMatch(/^Session 1 · paragraphs? \d+/u);
    expect(reply.buttons.map((b) => b.label)).toEqual(['Another', 'Context', 'Discuss']);
    expect(
      world.guild
        .channel('reading')
        .messages()
        .map((m) => m.id),
    ).toContain(reply.id);
  });

  it.each([
    [{ topic: 'human-values' }, /^Session 1 .*Human values/u],
    [{ session: 6, ahead: true }, /^Session 6/u],
    [{ text: 'persona-selection', search: 'Garrabrant' }, /^Session 1/u],
  ])('narrows with %o', async (options, footer) => {
    const reply = await world.bo.run('excerpt', options);
    expect(reply.embeds[0]?.footer?.text).toMatch(footer);
  });

  it('previews privately, seen only by the member who asked', async () => {
    const reply = await world.bo.run('excerpt', { private: true });
    expect(reply.ephemeral).toBe(true);
    expect(
      world.guild
        .channel('reading')
        .messages()
        .map((m) => m.id),
    ).not.toContain(reply.id);
    expect(world.bo.sees(world.guild.channel('reading')).map((m) => m.id)).toContain(reply.id);
    expect(world.ada.sees(world.guild.channel('reading')).map((m) => m.id)).not.toContain(reply.id);
  });

  it('answers a search that finds nothing privately, suggesting topics', async () => {
    const reply = await world.bo.run('excerpt', { search: 'zeppelin xylophone' });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/^Nothing in session 1 mentions “zeppelin xylophone”/u);
  });

  it('autocompletes texts and searches', async () => {
    const texts = await world.bo.autocomplete('excerpt', { text: 'void' }, 'text');
    expect(texts).toEqual([
      {
        name: 'Comments on "the void": hyperstition, post-training and underspecified personas',
        value: 'void-comments',
      },
    ]);
    const searches = await world.bo.autocomplete('excerpt', { search: 'Garrabr' }, 'search');
    expect(searches[0]?.name).toBe('Search for “Garrabr”');
    expect(searches.slice(1).some((c) => c.name.includes('Garrabrant'))).toBe(true);
    const picked = await world.bo.run('excerpt', { search: String(searches[1]?.value) });
    expect(picked.embeds[0]?.description).toMatch(/Garrabrant/u);
  });

  it('Another posts the next excerpt of the same scope as a new message', async () => {
    const first = await world.bo.run('excerpt', { topic: 'persona-selection' });
    const next = await world.ada.click(first, 'Another');
    expect(next.via).toBe('reply');
    expect(next.id).not.toBe(first.id);
    expect(next.embeds[0]?.footer?.text).toMatch(/Persona selection/u);
    expect(next.embeds[0]?.description).not.toBe(first.embeds[0]?.description);
  });

  it('Another on a private preview replaces the preview', async () => {
    const preview = await world.bo.run('excerpt', { private: true });
    const next = await world.bo.click(preview, 'Another');
    expect(next.via).toBe('update');
    expect(next.id).toBe(preview.id);
    expect(next.ephemeral).toBe(true);
  });

  it('Context shows the surrounding paragraphs privately and pages through them', async () => {
    // Reaching ahead is private, so the member who asked opens its context.
    const reply = await world.bo.run('excerpt', { search: 'p-value 0.47', session: 8, ahead: true });
    expect(reply.ephemeral).toBe(true);
    const context = await world.bo.click(reply, 'Context');
    expect(context.ephemeral).toBe(true);
    expect(context.embeds[0]?.title).toMatch(/^Context: /u);
    const pages = await readAllPages(context);
    expect(pages.join('\n')).toMatch(/\*\*/u);
  });

  it('Discuss opens a thread on the message with a first message, once', async () => {
    const reply = await world.bo.run('excerpt', { session: 1 });
    const confirmation = await world.ada.click(reply, 'Discuss');
    expect(confirmation.ephemeral).toBe(true);
    expect(confirmation.content).toMatch(/^Opened a discussion thread: <#\d+>$/u);
    const thread = world.guild
      .channel('reading')
      .threads()
      .find((t) => t.id === reply.id);
    expect(thread?.name).toBe(`Excerpt: ${reply.embeds[0]?.title}`);
    expect(thread?.messages()[0]?.content).toMatch(/^Discussion of the excerpt above/u);
    const again = await world.bo.click(reply, 'Discuss');
    expect(again.content).toBe(`The discussion is already open: <#${reply.id}>`);
    expect(
      world.guild
        .channel('reading')
        .threads()
        .filter((t) => t.id === reply.id),
    ).toHaveLength(1);
  });
});

describe('/crux', () => {
  it('shows the session’s cruxes in turn', async () => {
    const { corpus } = world.bot;
    const busiest = Math.max(
      ...corpus.sessions.map((s) => corpus.cruxes.filter((c) => c.session === s.number).length),
    );
    const session = corpus.sessions.find(
      (s) => corpus.cruxes.filter((c) => c.session === s.number).length === busiest,
    );
    await world.reach(session?.number ?? 1);
    try {
      const first = await world.bo.run('crux');
      const second = await world.bo.run('crux');
      expect(first.embeds[0]?.author?.name).toMatch(new RegExp(`^Crux · Session ${session?.number}`, 'u'));
      expect(second.embeds[0]?.description).not.toBe(first.embeds[0]?.description);
      expect(first.buttons.map((b) => b.label)).toEqual(['Quotes', 'Discuss']);
    } finally {
      await world.reach(1);
    }
  });

  it('finds any crux through autocomplete', async () => {
    const choices = await world.bo.autocomplete('crux', { id: 'legib', ahead: true }, 'id');
    expect(choices.map((c) => c.value)).toContain('illegible-cot-default');
    const reply = await world.bo.run('crux', { id: 'illegible-cot-default', ahead: true });
    const session = world.bot.corpus.cruxById.get('illegible-cot-default')?.session;
    expect(reply.embeds[0]?.author?.name).toMatch(new RegExp(`^Crux · Session ${session}`, 'u'));
    // Reaching ahead shows it only to the member who asked.
    expect(reply.ephemeral).toBe(true);
  });

  it('Quotes shows every supporting quote in full, privately, paged', async () => {
    const crux = world.bot.corpus.cruxes.find((c) => c.session === 1);
    const card = await world.bo.run('crux', { id: crux?.id ?? '' });
    const quotes = await world.bo.click(card, 'Quotes');
    expect(quotes.ephemeral).toBe(true);
    const pages = (await readAllPagesAs(world, quotes)).join('\n').replace(/\\/gu, '');
    for (const quote of crux?.positions.flatMap((p) => p.quotes) ?? [])
      expect(pages).toContain(quote.quote.split('\n')[0]?.slice(0, 60));
  });

  it('Discuss opens a thread whose first message carries the prompts', async () => {
    const crux = world.bot.corpus.cruxes.find((c) => c.session === 1);
    const card = await world.bo.run('crux', { id: crux?.id ?? '' });
    await world.bo.click(card, 'Discuss');
    const thread = world.guild
      .channel('reading')
      .threads()
      .find((t) => t.id === card.id);
    // The thread is named after the question, cut to Discord's 100 characters where it is longer.
    expect(thread?.name.length).toBeGreaterThan(10);
    expect(`Crux: ${crux?.question}`.startsWith((thread?.name ?? '').replace(/ ?…$/u, ''))).toBe(true);
    expect(thread?.messages()[0]?.content).toContain(`1. ${crux?.prompts[0]?.slice(0, 40)}`);
  });
});

describe('/help', () => {
  it('lists the commands privately', async () => {
    const reply = await world.bo.run('help');
    expect(reply.ephemeral).toBe(true);
    for (const name of ['excerpt', 'crux', 'schedule setup', 'progress show', 'help'])
      expect(reply.text).toContain(`/${name}`);
  });
});

/** Pages of a reply only its recipient can click. */
async function readAllPagesAs(w: World, first: MessageView): Promise<string[]> {
  const pages = [first.embeds[0]?.description ?? ''];
  let current = first;
  while (current.buttons.some((b) => b.label === 'Next ▶' && !b.disabled)) {
    current = await w.bo.click(current, 'Next ▶');
    pages.push(current.embeds[0]?.description ?? '');
  }
  return pages;
}
