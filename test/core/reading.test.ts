import { describe, expect, it } from 'vitest';
import { PAGE_CHARS } from '../../src/core/paging.js';
import { documentParagraphs, readingDocument } from '../../src/core/reading/document.js';
import { readingPages, sectionStarts } from '../../src/core/reading/pages.js';
import { readPageReply } from '../../src/core/replies/read.js';
import { countWords } from '../../src/core/text.js';
import { shippedCorpus } from '../helpers/context.js';

const { corpus } = await shippedCorpus();

describe.each(corpus.sessions.map((s) => [s.number, s] as const))('session %i’s readings', (_n, session) => {
  const document = readingDocument(corpus, session);
  const pages = readingPages(document);

  it('hold every line of its sections once, in reading order, verbatim', () => {
    const expected = session.sections.flatMap(
      (section) =>
        corpus.textById.get(section.textId)?.lines.slice(section.firstLine - 1, section.lastLine) ?? [],
    );
    expect(documentParagraphs(document)).toEqual(expected);
    expect(document.words).toBe(session.words);
  });

  it('say who wrote each run of lines, and open every section with its writer', () => {
    for (const part of document.parts) {
      for (const { section, blocks } of part.sections) {
        expect(blocks[0]?.kind, section.id).toBe('writer');
        for (const [i, block] of blocks.entries()) {
          if (block.kind !== 'paragraph') continue;
          const writer = [...blocks.slice(0, i)].reverse().find((b) => b.kind === 'writer');
          const voice = part.text.voices.find((v) => v.firstLine <= block.line && block.line <= v.lastLine);
          expect(writer?.kind === 'writer' ? writer.writer.id : undefined).toBe(voice?.writer.id);
        }
      }
    }
  });

  it('page section by section, within Discord’s limits, counting the words left down to none', () => {
    expect(sectionStarts(pages)).toHaveLength(session.sections.length);
    for (const page of pages) expect(page.body.length).toBeLessThanOrEqual(PAGE_CHARS);
    expect(pages.at(-1)?.wordsLeft).toBe(0);
    const read = pages.reduce(
      (sum, page) =>
        sum +
        page.body
          .split('\n')
          .filter((line) => !line.startsWith('-# '))
          .reduce((w, line) => w + countWords(line), 0),
      0,
    );
    expect(read).toBe(session.words);
  });

  it('end on I’ve read it for the whole session, and open with the session’s note', () => {
    const view = { session: session.number, ahead: false };
    const last = readPageReply(document, pages, pages.length - 1, view);
    const labels = (last.components ?? []).flat().map((c) => (c.type === 'button' ? c.label : 'select'));
    expect(labels).toContain('I’ve read it');
    expect(labels).toEqual(expect.arrayContaining(['Download EPUB', 'Download Markdown']));
    const first = readPageReply(document, pages, 0, view);
    expect(
      (first.components ?? []).flat().map((c) => (c.type === 'button' ? c.label : 'select')),
    ).not.toContain('I’ve read it');
    expect(first.ephemeral).toBe(true);
    if (session.note) expect(first.embeds?.[0]?.description).toMatch(/^\*.+\*\n\n/su);
    expect(first.embeds?.[0]?.footer).toMatch(
      new RegExp(`^Session ${session.number} · section 1 of ${session.sections.length}`, 'u'),
    );
  });
});
