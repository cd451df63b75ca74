import { describe, expect, it } from 'vitest';
import { pagedReply, paginate } from '../../src/core/paging.js';

describe('paginate', () => {
  it('packs blocks without splitting any that fit', () => {
    const blocks = ['a'.repeat(40), 'b'.repeat(40), 'c'.repeat(40)];
    const pages = paginate(blocks, 90);
    expect(pages).toEqual([`${'a'.repeat(40)}\n\n${'b'.repeat(40)}`, 'c'.repeat(40)]);
  });

  it('splits a block longer than a page at sentences, losing nothing', () => {
    const long = 'This is one sentence. '.repeat(30).trim();
    const pages = paginate([long], 100);
    expect(pages.every((page) => page.length <= 100)).toBe(true);
    expect(pages.join(' ')).toBe(long);
  });
});

describe('pagedReply', () => {
  const view = { title: 'T', pages: ['one', 'two', 'three'], pageId: (n: number) => `x:page:p=${n}` };

  it('shows one page with Previous and Next, disabled at the ends', () => {
    const first = pagedReply({ ...view, page: 0 });
    expect(first.embeds?.[0]?.description).toBe('one');
    expect(first.embeds?.[0]?.footer).toBe('Page 1 of 3');
    expect(first.components?.[0]).toMatchObject([
      { label: '◀ Previous', disabled: true },
      { label: 'Next ▶', customId: 'x:page:p=1', disabled: false },
    ]);
    expect(first.ephemeral).toBe(true);
  });

  it('clamps a page out of range', () => {
    expect(pagedReply({ ...view, page: 9 }).embeds?.[0]?.description).toBe('three');
  });

  it('has no buttons for a single page', () => {
    expect(pagedReply({ ...view, pages: ['only'], page: 0 }).components).toEqual([]);
  });
});
