import { describe, expect, it } from 'vitest';
import { inScope } from '../../src/core/excerpts.js';
import { EXCERPT_VALUE_PREFIX, snippet } from '../../src/core/search.js';
import { shippedCorpus } from '../helpers/context.js';

describe('CorpusSearch', () => {
  it('finds excerpts by their words, best first', async () => {
    const { search } = await shippedCorpus();
    const found = search.excerpts('paintball arrow');
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]?.quote).toMatch(/paintball/u);
    expect(found.every((e) => /paintball/iu.test(e.quote) && /arrow/iu.test(e.quote))).toBe(true);
  });

  it('matches prefixes, so autocomplete works while the member types', async () => {
    const { search } = await shippedCorpus();
    expect(search.excerpts('hypersti').some((e) => /hyperstition/iu.test(e.quote))).toBe(true);
  });

  it('narrows to a scope', async () => {
    const { search } = await shippedCorpus();
    const found = search.excerpts('persona', inScope({ session: 2 }));
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((e) => e.session === 2)).toBe(true);
  });

  it('finds paragraphs no excerpt covers and serves them as verbatim passages', async () => {
    const { corpus, search } = await shippedCorpus();
    expect(search.excerpts('straumli')).toEqual([]);
    const [hit] = search.paragraphs('straumli');
    const passage = hit ? search.passageFor(hit) : undefined;
    expect(passage?.quote).toContain('Straumli');
    expect(corpus.textById.get(passage?.textId ?? '')?.body.includes(passage?.quote ?? '∅')).toBe(true);
  });

  it('cuts a paragraph longer than 1,200 characters to whole sentences around the match', async () => {
    const { corpus, search } = await shippedCorpus();
    // void-comments paragraph 6 is 1,290 characters; "trojan" sits near its end.
    expect(corpus.textById.get('void-comments')?.lines[5]?.length).toBeGreaterThan(1200);
    const [hit] = search.paragraphs('memetic trojan');
    expect(hit).toMatchObject({ textId: 'void-comments', line: 6 });
    const passage = hit ? search.passageFor(hit) : undefined;
    expect(passage?.quote.length).toBeLessThanOrEqual(1200);
    expect(passage?.quote).toContain('memetic trojan');
    expect(passage?.quote).toMatch(/[.!?]$/u);
    const text = corpus.textById.get(passage?.textId ?? '');
    expect(
      text?.body.slice(
        passage?.location.offset,
        (passage?.location.offset ?? 0) + (passage?.quote.length ?? 0),
      ),
    ).toBe(passage?.quote);
  });

  it('suggests the typed query first, then matching excerpts as snippets', async () => {
    const { search } = await shippedCorpus();
    const suggestions = search.suggest('persona');
    expect(suggestions[0]).toEqual({ name: 'Search for “persona”', value: 'persona' });
    expect(suggestions.length).toBeGreaterThan(1);
    expect(
      suggestions.slice(1).every((s) => s.value.startsWith(EXCERPT_VALUE_PREFIX) && /perso/iu.test(s.name)),
    ).toBe(true);
    expect(search.suggest('   ')).toEqual([]);
  });

  it('finds cruxes by their questions and positions', async () => {
    const { search } = await shippedCorpus();
    expect(search.cruxes('lucky on sampling').map((c) => c.id)).toEqual(['lucky-sampling']);
    expect(search.cruxes('zeppelin')).toEqual([]);
  });

  it('knows when a query is all common words', async () => {
    const { search } = await shippedCorpus();
    expect(search.isSearchable('the of and')).toBe(false);
    expect(search.isSearchable('the void')).toBe(true);
  });
});

describe('snippet', () => {
  it('centres on the first match and stays within the limit', () => {
    const body = `${'lead-in words '.repeat(20)}the needle is here${' trailing words'.repeat(20)}`;
    const cut = snippet(body, ['needle'], 60);
    expect(cut.length).toBeLessThanOrEqual(60);
    expect(cut).toContain('needle');
    expect(cut.startsWith('…')).toBe(true);
  });
});
