import { describe, expect, it } from 'vitest';
import { cruxQuotesReply, cruxReply } from '../../src/core/replies/crux.js';
import { contextReply, excerptReply } from '../../src/core/replies/excerpt.js';
import { threadOpened } from '../../src/core/replies/threads.js';
import type { Reply } from '../../src/core/reply.js';
import { render } from '../../src/discord/render.js';
import { shippedCorpus, testContext } from '../helpers/context.js';
import { requestBody, responseProblems } from '../helpers/contract.js';

/** Every page of a paged reply, by following its Next button's page number. */
function allPages(first: Reply, pageAt: (page: number) => Reply): Reply[] {
  const footer = first.embeds?.[0]?.footer ?? '';
  const count = Number(/Page \d+ of (\d+)/u.exec(footer)?.[1] ?? 1);
  return Array.from({ length: count }, (_, page) => pageAt(page));
}

describe('every reply Crux can send passes Discord’s published schemas, strictly', () => {
  it('sends mentions disabled, as discord.js serializes them', async () => {
    const rendered = render({ content: 'hello' });
    expect(await responseProblems(rendered)).toEqual([]);
    expect(requestBody(rendered)).toHaveProperty('allowed_mentions', { parse: [] });
  });

  it('every excerpt, public and private, and every page of its context', async () => {
    const { corpus } = await shippedCorpus();
    const problems: string[] = [];
    for (const excerpt of corpus.excerpts) {
      for (const ephemeral of [false, true]) {
        const reply = excerptReply(corpus, {
          passage: excerpt,
          scope: { session: excerpt.session, query: 'a long search query '.repeat(5) },
          ephemeral,
        });
        for (const problem of await responseProblems(render(reply)))
          problems.push(`${excerpt.id}: ${problem}`);
      }
      const first = contextReply(corpus, excerpt, 0);
      for (const page of allPages(first, (p) => contextReply(corpus, excerpt, p))) {
        for (const problem of await responseProblems(render(page), 7))
          problems.push(`${excerpt.id} context: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every crux card and every page of its quotes', async () => {
    const { corpus } = await shippedCorpus();
    const problems: string[] = [];
    for (const crux of corpus.cruxes) {
      for (const problem of await responseProblems(
        render(cruxReply(corpus, crux, 'A note above the question.')),
      )) {
        problems.push(`${crux.id}: ${problem}`);
      }
      const first = cruxQuotesReply(corpus, crux, 0);
      for (const page of allPages(first, (p) => cruxQuotesReply(corpus, crux, p))) {
        for (const problem of await responseProblems(render(page)))
          problems.push(`${crux.id} quotes: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('help and the short notices', async () => {
    const ctx = await testContext();
    const help = (await import('../../commands/help.js')).default;
    for (const reply of [await help.run({}, ctx), threadOpened('<#123>')]) {
      expect(await responseProblems(render(reply))).toEqual([]);
    }
  });

  it('rejects what Discord rejects: the checker is not a rubber stamp', async () => {
    const rendered = render({ content: 'x' });
    const misnamed = { ...rendered, embeds: [{ description: 'x', colour: 1 }] } as unknown as typeof rendered;
    expect((await responseProblems(misnamed)).join()).toMatch(/colour/u);
    const tooLong = { ...rendered, content: 'x'.repeat(2001) };
    expect((await responseProblems(tooLong)).join()).toMatch(/content/u);
    const badButton = {
      ...rendered,
      components: [{ type: 1, components: [{ type: 2, style: 1, label: 'x', custom_id: 'y'.repeat(101) }] }],
    } as typeof rendered;
    expect(await responseProblems(badButton)).not.toEqual([]);
  });
});
