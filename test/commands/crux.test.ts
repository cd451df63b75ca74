import { describe, expect, it } from 'vitest';
import crux from '../../commands/crux.js';
import type { CommandContext } from '../../src/command.js';
import { splitCustomId } from '../../src/core/components.js';
import type { Crux } from '../../src/core/corpus/types.js';
import { literal } from '../../src/core/format.js';
import { cruxQuotes } from '../../src/core/replies/crux.js';
import type { Reply } from '../../src/core/reply.js';
import { reachSession, testContext } from '../helpers/context.js';
import { buttons, press as pressOn, run } from '../helpers/replies.js';

const press = (ctx: CommandContext, customId: string, ephemeral = false) =>
  pressOn(crux, ctx, customId, { id: '9', ephemeral });

/** The crux a card shows, read back from its Quotes button. */
function shownCrux(ctx: CommandContext, reply: Reply): Crux | undefined {
  return ctx.corpus.cruxById.get(
    cruxQuotes.parse(splitCustomId(buttons(reply).Quotes ?? '')?.query ?? '')?.c ?? '',
  );
}

describe('/crux', () => {
  it('rotates through the current session’s cruxes in order, then starts over', async () => {
    const ctx = await testContext();
    const busiest = Math.max(...ctx.corpus.cruxes.map((c) => c.session), 1);
    const number =
      [...new Set(ctx.corpus.cruxes.map((c) => c.session))].sort(
        (a, b) =>
          ctx.corpus.cruxes.filter((c) => c.session === b).length -
          ctx.corpus.cruxes.filter((c) => c.session === a).length,
      )[0] ?? busiest;
    await reachSession(ctx, number);
    const session = ctx.corpus.cruxes.filter((c) => c.session === number);
    expect(session.length).toBeGreaterThan(1);
    const shown: string[] = [];
    for (let i = 0; i < session.length + 1; i++)
      shown.push(shownCrux(ctx, await run(crux, {}, ctx))?.id ?? '');
    expect(shown).toEqual([...session.map((c) => c.id), session[0]?.id]);
  });

  it('shows the question, every position with its statement and quote opening, and the prompts', async () => {
    const ctx = await testContext();
    const target = ctx.corpus.cruxById.get('conscientious-objector') as Crux;
    const reply = await run(crux, { id: target.id, ahead: true }, ctx);
    const [embed] = reply.embeds ?? [];
    expect(embed?.description).toContain(literal(target.question));
    const session = ctx.corpus.sessions[target.session - 1];
    expect(embed?.author).toBe(`Crux · Session ${target.session}: ${session?.title}`);
    const names = embed?.fields?.map((f) => f.name);
    expect(names).toEqual([...target.positions.map((p, i) => `${'ABCDE'[i]}. ${p.label}`), 'To discuss']);
    for (const [i, position] of target.positions.entries()) {
      const value = embed?.fields?.[i]?.value ?? '';
      expect(value.startsWith(literal(position.statement))).toBe(true);
      expect(value).toMatch(/\n> .+\n— .+, \*.+\*, paragraphs? \d+/u);
    }
    expect(embed?.fields?.at(-1)?.value).toBe(
      target.prompts.map((p, i) => `${i + 1}. ${literal(p)}`).join('\n'),
    );
    expect(Object.keys(buttons(reply))).toEqual(['Quotes', 'Discuss']);
    expect(reply.ephemeral).toBe(true);
  });

  it('finds a crux from words typed without picking a suggestion, when only one matches', async () => {
    const ctx = await testContext();
    expect(shownCrux(ctx, await run(crux, { id: 'lucky on sampling', ahead: true }, ctx))?.id).toBe(
      'lucky-sampling',
    );
  });

  it('refuses an unknown crux privately and says how to find one', async () => {
    const ctx = await testContext();
    const reply = await run(crux, { id: 'zeppelin' }, ctx);
    expect(reply).toMatchObject({ ephemeral: true });
    expect(reply.content).toMatch(/No crux matches “zeppelin”\. Type words from a question/u);
  });

  it('keeps a later session’s crux back unless asked with ahead', async () => {
    const ctx = await testContext();
    const refused = await run(crux, { id: 'hyperstition' }, ctx);
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toMatch(
      /^That crux belongs to session 5, ahead of the group, which has reached session 1/u,
    );
    expect(shownCrux(ctx, await run(crux, { id: 'hyperstition', ahead: true }, ctx))?.id).toBe(
      'hyperstition',
    );
  });

  it('lists the candidates when typed words match several cruxes', async () => {
    const ctx = await testContext();
    const reply = await run(crux, { id: 'persona', ahead: true }, ctx);
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/^Several cruxes match “persona”\. Pick one of the suggestions/u);
    expect(reply.content?.split('\n').length).toBeGreaterThan(2);
  });

  it('autocompletes by question, naming each crux’s session', async () => {
    const ctx = await testContext();
    const reached = (await crux.autocomplete?.({ name: 'id', value: '' }, {}, ctx)) ?? [];
    expect(reached.map((c) => c.value)).toEqual(
      ctx.corpus.cruxes.filter((c) => c.session === 1).map((c) => c.id),
    );
    const all = (await crux.autocomplete?.({ name: 'id', value: '' }, { ahead: true }, ctx)) ?? [];
    expect(all).toHaveLength(ctx.corpus.cruxes.length);
    expect(all.every((c) => /^Session \d · /u.test(c.name))).toBe(true);
    const some =
      (await crux.autocomplete?.({ name: 'id', value: 'superintelligence persona' }, { ahead: true }, ctx)) ??
      [];
    expect(some.length).toBeGreaterThan(0);
    expect(some.length).toBeLessThan(all.length);
  });
});

describe('/crux buttons', () => {
  it('Quotes shows every supporting quote in full, privately, across its pages', async () => {
    const ctx = await testContext();
    const target = ctx.corpus.cruxById.get('source-of-misalignment') as Crux;
    const card = await run(crux, { id: target.id, ahead: true }, ctx);
    const pages: string[] = [];
    let outcome = await press(ctx, buttons(card).Quotes ?? '');
    expect(outcome).toMatchObject({ type: 'reply', reply: { ephemeral: true } });
    for (;;) {
      const reply = outcome.type === 'reply' || outcome.type === 'update' ? outcome.reply : {};
      pages.push(reply.embeds?.[0]?.description ?? '');
      const next = (reply.components ?? []).flat().find((c) => c.type === 'button' && c.label === 'Next ▶');
      if (!next || (next.type === 'button' && next.disabled)) break;
      outcome = await press(ctx, next.customId, true);
      expect(outcome.type).toBe('update');
    }
    const all = pages.join('\n');
    for (const quote of target.positions.flatMap((p) => p.quotes)) {
      for (const line of quote.quote.split('\n')) expect(all).toContain(`> ${literal(line)}`);
    }
  });

  it('Discuss opens a thread whose first message carries the prompts', async () => {
    const ctx = await testContext();
    const target = ctx.corpus.cruxById.get('hyperstition') as Crux;
    const outcome = await press(
      ctx,
      buttons(await run(crux, { id: target.id, ahead: true }, ctx)).Discuss ?? '',
    );
    expect(outcome.type).toBe('thread');
    if (outcome.type !== 'thread') return;
    expect(outcome.name).toBe(`Crux: ${target.question}`);
    for (const prompt of target.prompts) expect(outcome.starter?.content).toContain(literal(prompt));
  });

  it('Discuss explains privately when the bot cannot open threads', async () => {
    const ctx = await testContext({
      permissions: { member: new Set(['CreatePublicThreads']), bot: new Set() },
    });
    const outcome = await press(ctx, buttons(await run(crux, {}, ctx)).Discuss ?? '');
    expect(outcome.type === 'reply' ? outcome.reply.content : '').toMatch(
      /I need \*\*View Channel\*\*, \*\*Read Message History\*\*, \*\*Create Public Threads\*\*, and \*\*Send Messages In Threads\*\*/u,
    );
  });
});

describe('/crux Quotes', () => {
  it('says, for every position, who argues it and where, and under each quote who wrote it', async () => {
    const ctx = await testContext();
    for (const target of ctx.corpus.cruxes) {
      const pages: string[] = [];
      for (let page = 0; ; page++) {
        const outcome = await press(ctx, cruxQuotes.id({ c: target.id, p: page }), true);
        pages.push(outcome.type === 'update' ? (outcome.reply.embeds?.[0]?.description ?? '') : '');
        const footer = outcome.type === 'update' ? (outcome.reply.embeds?.[0]?.footer ?? '') : '';
        const match = /Page (\d+) of (\d+)/u.exec(footer);
        if (!match || match[1] === match[2]) break;
      }
      const text = pages.join('\n');
      for (const position of target.positions) {
        for (const held of position.heldBy)
          expect(text, `${target.id}/${position.id}`).toContain(literal(held.writer.description));
      }
      expect(text.match(/^— /gmu)).toHaveLength(target.positions.flatMap((p) => p.quotes).length);
    }
  });
});
