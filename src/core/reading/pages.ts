import { literal } from '../format.js';
import { paginate } from '../paging.js';
import { countWords } from '../text.js';
import type { Block, ReadingDocument } from './document.js';

/** One page of /read: part of one section, with where it sits in the session. */
export interface ReadingPage {
  readonly textTitle: string;
  readonly heading: string;
  /** Discord markdown: the paragraphs, verbatim and made inert, with who wrote them. */
  readonly body: string;
  /** 0-based index of the page's section in the document, and how many sections it has. */
  readonly section: number;
  readonly sections: number;
  readonly pageInSection: number;
  readonly pagesInSection: number;
  /** Words of the reading after this page. */
  readonly wordsLeft: number;
}

/** Marks the start of a writer's lines; Discord shows `-#` lines as small grey text. */
const WRITER_MARK = '-# ';

/**
 * Splits a document into pages: each section starts a page and takes as many as it needs. A writer's mark
 * stays on the page of the paragraph it introduces.
 */
export function readingPages(document: ReadingDocument): ReadingPage[] {
  const drafts = document.parts.flatMap((part) =>
    part.sections.map((s) => ({
      textTitle: part.text.title,
      heading: s.section.heading,
      pages: paginate(joinWriterMarks(s.blocks)),
    })),
  );
  const pages: ReadingPage[] = [];
  let wordsLeft = document.words;
  for (const [section, draft] of drafts.entries()) {
    for (const [pageInSection, body] of draft.pages.entries()) {
      wordsLeft -= pageWords(body);
      pages.push({
        textTitle: draft.textTitle,
        heading: draft.heading,
        body,
        section,
        sections: drafts.length,
        pageInSection,
        pagesInSection: draft.pages.length,
        wordsLeft: Math.max(0, wordsLeft),
      });
    }
  }
  return pages;
}

/** The index of the first page of each section. */
export function sectionStarts(pages: readonly ReadingPage[]): number[] {
  return pages.flatMap((page, index) => (page.pageInSection === 0 ? [index] : []));
}

/** Paragraphs as page blocks, each writer's mark joined to the paragraph after it. */
function joinWriterMarks(blocks: readonly Block[]): string[] {
  const out: string[] = [];
  let mark: string | undefined;
  for (const block of blocks) {
    if (block.kind === 'writer') {
      mark = `${WRITER_MARK}${literal(block.writer.description)}`;
      continue;
    }
    out.push(mark ? `${mark}\n${literal(block.text)}` : literal(block.text));
    mark = undefined;
  }
  return out;
}

/** Words of the text on a page, not counting writer marks (escaping adds no spaces, so no words). */
function pageWords(body: string): number {
  return body
    .split('\n')
    .filter((line) => !line.startsWith(WRITER_MARK))
    .reduce((sum, line) => sum + countWords(line), 0);
}
