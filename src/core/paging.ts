import type { Button, ComponentRow, Embed, Reply } from './reply.js';
import { CRUX_COLOR } from './reply.js';
import { cutPoint } from './text.js';

/** Room per page: well under the 4,096-character description limit, so a page reads comfortably. */
export const PAGE_CHARS = 3500;

/**
 * Packs blocks (paragraphs, quotes) into pages of at most `max` characters, never splitting a block that
 * fits on a page; a block longer than a page is split at sentence boundaries.
 */
export function paginate(blocks: readonly string[], max: number = PAGE_CHARS): string[] {
  const pages: string[] = [];
  let current = '';
  const push = (block: string) => {
    const joined = current ? `${current}\n\n${block}` : block;
    if (joined.length <= max) {
      current = joined;
      return;
    }
    if (current) pages.push(current);
    current = block;
  };
  for (const block of blocks) {
    let rest = block;
    while (rest.length > max) {
      const { end } = cutPoint(rest, max);
      push(rest.slice(0, end).trimEnd());
      rest = rest.slice(end).trimStart();
    }
    if (rest) push(rest);
  }
  if (current) pages.push(current);
  return pages.length > 0 ? pages : [''];
}

/** What a paged reply shows around its pages. */
export interface PagedView {
  readonly title: string;
  readonly pages: readonly string[];
  /** 0-based page to show; clamped into range. */
  readonly page: number;
  /** The custom id of the button that shows page `n`. */
  readonly pageId: (page: number) => string;
  readonly footer?: string;
}

/**
 * A private reply showing one page, with Previous / Next buttons when there is more than one page. The
 * buttons edit the same message, so paging never floods the channel.
 */
export function pagedReply(view: PagedView): Reply {
  const count = view.pages.length;
  const page = Math.min(Math.max(0, view.page), count - 1);
  const footer = [count > 1 ? `Page ${page + 1} of ${count}` : undefined, view.footer]
    .filter(Boolean)
    .join(' · ');
  const embed: Embed = {
    title: view.title,
    description: view.pages[page] ?? '',
    color: CRUX_COLOR,
    ...(footer ? { footer } : {}),
  };
  const components: ComponentRow[] = [];
  if (count > 1) {
    const nav: Button[] = [
      {
        type: 'button',
        customId: view.pageId(page - 1),
        label: '◀ Previous',
        style: 'secondary',
        disabled: page === 0,
      },
      {
        type: 'button',
        customId: view.pageId(page + 1),
        label: 'Next ▶',
        style: 'secondary',
        disabled: page === count - 1,
      },
    ];
    components.push(nav);
  }
  return { embeds: [embed], components, ephemeral: true };
}
