import { describe, expect, it } from 'vitest';
import excerpt from '../../commands/excerpt.js';
import type { CommandContext } from '../../src/command.js';
import { splitCustomId } from '../../src/core/components.js';
import type { Corpus, Excerpt, Passage } from '../../src/core/corpus/types.js';
import { excerptContext } from '../../src/core/replies/excerpt.js';
import { passageFromParams } from '../../src/core/replies/passage-ref.js';
import type { Reply } from '../../src/core/reply.js';
import { EVERYDAY_PERMISSIONS, reachSession, testContext } from '../helpers/context.js';
import { buttons, press as pressOn, run } from '../helpers/replies.js';

const press = (ctx: CommandContext, customId: string, message?: { id: string; ephemeral: boolean }) =>
  pressOn(excerpt, ctx, customId, message);

/** The passage a reply shows, read back from its Context button. */
function shown(corpus: Corpus, reply: Reply): Passage | undefined {
  const params = excerptContext.parse(splitCustomId(buttons(reply).Context ?? '')?.query ?? '');
  return params ? passageFromParams(corpus, params) : undefined;
}

/** The curated excerpt a reply shows. */
function shownExcerpt(corpus: Corpus, reply: Reply): Excerpt | undefined {
  const passage = shown(corpus, reply);
  return corpus.excerpts.find(
    (e) => e.textId === passage?.textId && e.location.offset === passage.location.offset,
  );
}

describe('/excerpt', () => {
  it('posts a public excerpt from session 1 with its source, place, reading time and buttons', async () => {
    const ctx = await testContext();
    const reply = await run(excerpt, {}, ctx);
    const shownOne = shownExcerpt(ctx.corpus, reply);
    expect(shownOne?.session).toBe(1);
    expect(reply.ephemeral).toBe(false);
    const [embed] = reply.embeds ?? [];
    expect(embed?.author).toBe(ctx.corpus.textById.get(shownOne?.textId ?? '')?.title);
    expect(embed?.title).toBe(ctx.corpus.sectionById.get(shownOne?.sectionId ?? '')?.heading);
    expect(embed?.footer).toMatch(
      /^Session 1 · paragraphs? \d+(–\d+)? of \d+, \d+% through · about \d+ (s|min) read/u,
    );
    expect(Object.keys(buttons(reply))).toEqual(['Another', 'Context', 'Discuss']);
  });

  it('shows every excerpt of the session once before repeating, then says it starts over', async () => {
    const ctx = await testContext();
    const inSession = ctx.corpus.excerpts.filter((e) => e.session === 1);
    const seen: string[] = [];
    for (let i = 0; i < inSession.length; i++) {
      const reply = await run(excerpt, {}, ctx);
      seen.push(shownExcerpt(ctx.corpus, reply)?.id ?? '');
      expect(reply.embeds?.[0]?.description).not.toMatch(/starting the round again/u);
    }
    expect(new Set(seen).size).toBe(inSession.length);
    expect([...seen].sort()).toEqual(inSession.map((e) => e.id).sort());
    const next = await run(excerpt, {}, ctx);
    expect(next.embeds?.[0]?.description).toMatch(
      /Every excerpt in session 1 has been shown once; starting the round again/u,
    );
  });

  it('keeps rotation per server', async () => {
    const ctx = await testContext();
    await reachSession(ctx, 8);
    const first = shownExcerpt(ctx.corpus, await run(excerpt, { session: 8 }, ctx));
    const other = await testContext({ state: ctx.state, guildId: '200000000000000002', random: () => 0 });
    const record = await other.state.guilds.read(other.guildId);
    expect(record.excerpts.shown).toEqual([]);
    expect((await ctx.state.guilds.read(ctx.guildId)).excerpts.shown).toEqual([first?.id]);
  });

  it('previews privately without using up the group’s excerpts', async () => {
    const ctx = await testContext();
    const reply = await run(excerpt, { private: true }, ctx);
    expect(reply.ephemeral).toBe(true);
    // A private preview is not a channel message, so it cannot carry a thread.
    expect(Object.keys(buttons(reply))).toEqual(['Another', 'Context']);
    expect((await ctx.state.guilds.read(ctx.guildId)).excerpts.shown).toEqual([]);
  });

  it('narrows by topic, text or search to the sessions the group has reached, never beyond', async () => {
    const ctx = await testContext();
    await reachSession(ctx, 3);
    const sessions = new Set<number>();
    for (let i = 0; i < 12; i++) {
      const shownOne = shownExcerpt(ctx.corpus, await run(excerpt, { topic: 'superintelligence' }, ctx));
      expect(shownOne?.topics).toContain('superintelligence');
      sessions.add(shownOne?.session ?? 0);
    }
    expect(Math.max(...sessions)).toBeLessThanOrEqual(3);
    expect(sessions.size).toBeGreaterThan(1);
  });

  it('keeps Another within the sessions the group had reached when narrowed by text', async () => {
    const ctx = await testContext();
    await reachSession(ctx, 2);
    let reply = await run(excerpt, { text: 'persona-selection' }, ctx);
    const sessions = new Set<number>();
    // More presses than session 1–2 has excerpts of this text: the rotation restarts rather than reaching on.
    for (let i = 0; i < 40; i++) {
      const shownOne = shownExcerpt(ctx.corpus, reply);
      sessions.add(shownOne?.session ?? 0);
      const outcome = await press(ctx, buttons(reply).Another ?? '');
      reply = outcome.type === 'thread' ? reply : outcome.reply;
    }
    expect(Math.max(...sessions)).toBeLessThanOrEqual(2);
    expect(sessions).toContain(2);
  });

  it('shows what a member reaches ahead for only to them, and keeps it out of the group’s rotation', async () => {
    const ctx = await testContext();
    const reply = await run(excerpt, { session: 6, ahead: true }, ctx);
    expect(reply.ephemeral).toBe(true);
    expect(shownExcerpt(ctx.corpus, reply)?.session).toBe(6);
    expect((await ctx.state.guilds.read(ctx.guildId)).excerpts.shown).toEqual([]);
  });

  it('keeps later texts out of reach until their session, unless asked with ahead', async () => {
    const ctx = await testContext();
    const early = await run(excerpt, { text: 'coding-agents-notes' }, ctx);
    expect(early.ephemeral).toBe(true);
    expect(early.content).toMatch(/^No excerpt in session 1 of “Notes on coding agents/u);
    const ahead = shownExcerpt(
      ctx.corpus,
      await run(excerpt, { text: 'coding-agents-notes', ahead: true }, ctx),
    );
    expect(ahead?.textId).toBe('coding-agents-notes');
    const named = shownExcerpt(
      ctx.corpus,
      await run(excerpt, { text: 'coding-agents-notes', session: 7, ahead: true }, ctx),
    );
    expect(named?.session).toBe(7);
  });

  it('takes an explicit session up to where the group is; a later one only with ahead', async () => {
    const ctx = await testContext();
    const refused = await run(excerpt, { session: 5 }, ctx);
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toMatch(
      /^Session 5 is ahead of the group, which has reached session 1\. Add \*\*ahead: True\*\*/u,
    );
    for (let i = 0; i < 3; i++) {
      expect(shownExcerpt(ctx.corpus, await run(excerpt, { session: 5, ahead: true }, ctx))?.session).toBe(5);
    }
  });

  it('counts sessions the group has marked as read ahead as reached', async () => {
    const ctx = await testContext();
    await ctx.state.guilds.change(ctx.guildId, (record) => ({
      record: {
        ...record,
        progress: { ...record.progress, covered: ctx.corpus.sessions[2]?.sections.map((s) => s.id) ?? [] },
      },
      result: undefined,
    }));
    expect(shownExcerpt(ctx.corpus, await run(excerpt, { session: 3 }, ctx))?.session).toBe(3);
  });

  it('searches what the group has read', async () => {
    const ctx = await testContext();
    await reachSession(ctx, 4);
    const reply = await run(excerpt, { search: 'paintball' }, ctx);
    expect(shownExcerpt(ctx.corpus, reply)?.quote).toMatch(/paintball/u);
    expect(
      shownExcerpt(ctx.corpus, await run(excerpt, { search: 'legible', session: 8, ahead: true }, ctx))
        ?.session,
    ).toBe(8);
  });

  it('shows exactly the excerpt picked from the search suggestions', async () => {
    const ctx = await testContext();
    const target = ctx.corpus.excerpts.find(
      (e) => e.session === 1 && e.topics.includes('human-values'),
    ) as Excerpt;
    const reply = await run(excerpt, { search: `excerpt:${target.id}` }, ctx);
    expect(shownExcerpt(ctx.corpus, reply)?.id).toBe(target.id);
    expect((await ctx.state.guilds.read(ctx.guildId)).excerpts.shown).toEqual([target.id]);
  });

  it('refuses a picked excerpt that the other options exclude', async () => {
    const ctx = await testContext();
    const late = ctx.corpus.excerpts.find((e) => e.session === 8) as Excerpt;
    const reply = await run(
      excerpt,
      { search: `excerpt:${late.id}`, text: 'persona-selection', ahead: true },
      ctx,
    );
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/^That excerpt is from session 8, outside the other options you chose/u);
    const spoiler = await run(excerpt, { search: `excerpt:${late.id}` }, ctx);
    expect(spoiler.content).toMatch(/^Session 8 is ahead of the group/u);
  });

  it('falls back to verbatim passages of the texts when no excerpt matches, and rotates them', async () => {
    const ctx = await testContext();
    // "Garrabrant" matches excerpts; "Straumli" appears only in a paragraph no excerpt quotes.
    expect(ctx.search.excerpts('straumli')).toEqual([]);
    const reply = await run(excerpt, { search: 'straumli' }, ctx);
    expect(reply.embeds?.[0]?.description).toMatch(
      /No curated excerpt matches “straumli”; this passage from the text does/u,
    );
    const passage = shown(ctx.corpus, reply);
    expect(passage?.quote).toContain('Straumli');
    expect(passage?.quote.length).toBeGreaterThanOrEqual(150);
    expect(ctx.corpus.textById.get(passage?.textId ?? '')?.body.includes(passage?.quote ?? '∅')).toBe(true);
  });

  it('says a word is too common to search for', async () => {
    const ctx = await testContext();
    const reply = await run(excerpt, { search: 'the of' }, ctx);
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/^“the of” is too common to search for/u);
  });

  it('says privately when a search finds nothing, and suggests topics', async () => {
    const ctx = await testContext();
    const reply = await run(excerpt, { search: 'zeppelin xylophone' }, ctx);
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(
      /^Nothing in session 1 mentions “zeppelin xylophone”\. Try other words, or a topic\. Topics with excerpts there: \*\*/u,
    );
  });

  it('says privately when the options leave nothing, naming topics that do exist there', async () => {
    const ctx = await testContext();
    const reply = await run(excerpt, { topic: 'cot-legibility', session: 1 }, ctx);
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(
      /^No excerpt in Chain-of-thought legibility in session 1 fits those options\. Topics with excerpts there: \*\*/u,
    );
    // Every topic it names has excerpts in session 1, most used first.
    const named = [...(reply.content ?? '').matchAll(/\*\*([^*]+)\*\*/gu)].map((m) => m[1]);
    const counts = named.map(
      (label) =>
        ctx.corpus.excerpts.filter(
          (e) => e.session === 1 && e.topics.some((t) => ctx.corpus.topicById.get(t)?.label === label),
        ).length,
    );
    expect(counts.every((count) => count > 0)).toBe(true);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it.each([
    ['an unknown text', { text: 'moby-dick' }, /There is no text called “moby-dick”/u],
    ['an unknown topic', { topic: 'astrology' }, /“astrology” is not a topic/u],
    [
      'a session out of range',
      { session: 99 },
      /Crux could not read \*\*session\*\*: this command may have changed/u,
    ],
  ])('refuses %s privately and records nothing', async (_name, args, message) => {
    const ctx = await testContext();
    const reply = await run(excerpt, args, ctx);
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(message);
    expect((await ctx.state.guilds.read(ctx.guildId)).excerpts.shown).toEqual([]);
  });

  it('neutralises markdown typed into a search', async () => {
    const ctx = await testContext();
    const reply = await run(excerpt, { search: '**zzqx** @everyone' }, ctx);
    expect(reply.content).toContain('\\*\\*zzqx\\*\\*');
  });
});

describe('/excerpt buttons', () => {
  it('Another posts a new excerpt from the same scope in the channel', async () => {
    const ctx = await testContext();
    await reachSession(ctx, 6);
    const first = await run(excerpt, { topic: 'coding-agents' }, ctx);
    const outcome = await press(ctx, buttons(first).Another ?? '');
    expect(outcome.type).toBe('reply');
    const next = outcome.type === 'reply' ? shownExcerpt(ctx.corpus, outcome.reply) : undefined;
    expect(next?.topics).toContain('coding-agents');
    expect(next?.id).not.toBe(shownExcerpt(ctx.corpus, first)?.id);
  });

  it('Another on a private preview changes the preview in place', async () => {
    const ctx = await testContext();
    const preview = await run(excerpt, { private: true, search: 'persona' }, ctx);
    const outcome = await press(ctx, buttons(preview).Another ?? '', { id: '2', ephemeral: true });
    expect(outcome.type).toBe('update');
    expect(outcome.type === 'update' && outcome.reply.ephemeral).toBe(true);
  });

  it('Context shows the surrounding paragraphs privately, opening on the passage in bold', async () => {
    const ctx = await testContext();
    await reachSession(ctx, 4);
    const reply = await run(excerpt, { search: 'paintball' }, ctx);
    const passage = shown(ctx.corpus, reply);
    const outcome = await press(ctx, buttons(reply).Context ?? '');
    expect(outcome.type).toBe('reply');
    const page = outcome.type === 'reply' ? outcome.reply : undefined;
    expect(page?.ephemeral).toBe(true);
    expect(page?.embeds?.[0]?.description).toContain(`\`¶${passage?.location.startLine}\``);
    expect(page?.embeds?.[0]?.description).toMatch(/\*\*[^*]*paintball/u);
    expect(page?.embeds?.[0]?.footer).toMatch(/paragraphs \d+–\d+ of \d+/u);
  });

  it('Context on a private preview opens its own message, keeping the preview', async () => {
    const ctx = await testContext();
    const preview = await run(excerpt, { private: true }, ctx);
    const outcome = await press(ctx, buttons(preview).Context ?? '', { id: '2', ephemeral: true });
    expect(outcome.type).toBe('reply');
  });

  it('Context pages through long surroundings by editing the private message', async () => {
    const ctx = await testContext();
    // The excerpt with the longest surroundings needs more than one page of context.
    const contextChars = (e: Excerpt) =>
      (ctx.corpus.textById.get(e.textId)?.lines ?? [])
        .slice(Math.max(0, e.location.startLine - 3), e.location.endLine + 2)
        .reduce((sum, line) => sum + line.length, 0);
    const target = [...ctx.corpus.excerpts].sort((a, b) => contextChars(b) - contextChars(a))[0] as Excerpt;
    expect(contextChars(target)).toBeGreaterThan(3500);
    const reply = await run(
      excerpt,
      { search: `excerpt:${target.id}`, session: target.session, ahead: true },
      ctx,
    );
    const first = await press(ctx, buttons(reply).Context ?? '');
    const footer = first.type === 'reply' ? first.reply.embeds?.[0]?.footer : '';
    expect(footer).toMatch(/^Page \d of [2-9]/u);
    const next = first.type === 'reply' ? buttons(first.reply)['Next ▶'] : undefined;
    const second = await press(ctx, next ?? '', { id: '3', ephemeral: true });
    expect(second.type).toBe('update');
    expect(second.type === 'update' ? second.reply.embeds?.[0]?.description : '').not.toBe(
      first.type === 'reply' ? first.reply.embeds?.[0]?.description : '',
    );
  });

  it('Discuss opens a thread named after the section, with a first message', async () => {
    const ctx = await testContext();
    const reply = await run(excerpt, {}, ctx);
    const outcome = await press(ctx, buttons(reply).Discuss ?? '');
    const section = ctx.corpus.sectionById.get(shown(ctx.corpus, reply)?.sectionId ?? '');
    expect(outcome).toMatchObject({ type: 'thread', name: `Excerpt: ${section?.heading}` });
    expect(outcome.type === 'thread' ? outcome.starter?.content : '').toMatch(/What is the writer claiming/u);
  });

  it.each([
    [
      'the member lacks Create Public Threads',
      { member: new Set(['ViewChannel']) },
      'text',
      /You need the \*\*Create Public Threads\*\* permission/u,
    ],
    [
      'the bot lacks Create Public Threads',
      { bot: new Set(['ViewChannel', 'ReadMessageHistory', 'SendMessagesInThreads']) },
      'text',
      /I can't open a thread here: I need \*\*Create Public Threads\*\*/u,
    ],
    ['the message is already in a thread', {}, 'thread', /already in a thread/u],
  ] as const)('Discuss explains privately when %s', async (_name, permissions, channelKind, message) => {
    const ctx = await testContext({
      channelKind,
      permissions: {
        member: new Set(EVERYDAY_PERMISSIONS),
        bot: new Set(EVERYDAY_PERMISSIONS),
        ...permissions,
      },
    });
    const reply = await run(excerpt, {}, ctx);
    const outcome = await press(ctx, buttons(reply).Discuss ?? '');
    expect(outcome.type).toBe('reply');
    expect(outcome.type === 'reply' && outcome.reply.ephemeral).toBe(true);
    expect(outcome.type === 'reply' ? outcome.reply.content : '').toMatch(message);
  });

  it('answers a stale or forged button with a private note', async () => {
    const ctx = await testContext();
    const outcome = await press(ctx, 'excerpt:context:t=gone&o=1&n=5');
    expect(outcome).toMatchObject({ type: 'reply', reply: { ephemeral: true } });
    expect(outcome.type === 'reply' ? outcome.reply.content : '').toMatch(/no longer in the reading list/u);
  });
});

describe('/excerpt autocomplete', () => {
  it('suggests texts by title', async () => {
    const ctx = await testContext();
    const choices = (await excerpt.autocomplete?.({ name: 'text', value: 'coding' }, {}, ctx)) ?? [];
    expect(choices).toEqual([
      {
        name: 'Notes on coding agents, AI writing and chain-of-thought legibility',
        value: 'coding-agents-notes',
      },
    ]);
  });

  it('suggests matching excerpts within the other options', async () => {
    const ctx = await testContext();
    const choices =
      (await excerpt.autocomplete?.(
        { name: 'search', value: 'persona' },
        { session: 2, ahead: true },
        ctx,
      )) ?? [];
    expect(choices[0]).toEqual({ name: 'Search for “persona”', value: 'persona' });
    const ids = choices.slice(1).map((c) => String(c.value).replace('excerpt:', ''));
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => ctx.corpus.excerptById.get(id)?.session === 2)).toBe(true);
  });
});
