import { createRequire } from 'node:module';
import type { ReadingDocument } from '../core/reading/document.js';

// CommonJS modules that set `exports.default`, which Node's and Vite's ESM interop expose differently;
// `require` reads them the same way everywhere, and the types are the packages' own.
const require = createRequire(import.meta.url);
const { default: generateEpub } = require('epub-gen-memory') as typeof import('epub-gen-memory');
const { default: contentOpf } =
  require('epub-gen-memory/dist/lib/templates/epub3/content.opf.ejs.js') as typeof import('epub-gen-memory/dist/lib/templates/epub3/content.opf.ejs.js');

/**
 * A session's readings as an EPUB 3 book, one chapter per text with a heading per section, for reading
 * offline in any e-book reader. Built by epub-gen-memory; EPUBCheck passes it (see the test).
 */
export async function readingEpub(document: ReadingDocument): Promise<Uint8Array> {
  const { session } = document;
  const chapters = document.parts.map((part, index) => ({
    title: part.text.title,
    content: [
      index === 0 && session.note ? `<p class="note"><em>${xml(session.note)}</em></p>` : '',
      `<p class="kind"><em>${xml(part.text.kind)}</em></p>`,
      ...part.sections.flatMap(({ section, blocks }) => [
        `<h2>${xml(section.heading)}</h2>`,
        ...blocks.map((block) =>
          block.kind === 'writer'
            ? `<p class="writer"><strong>${xml(block.writer.description)}:</strong></p>`
            : `<p>${xml(block.text)}</p>`,
        ),
      ]),
    ].join('\n'),
  }));
  const book = await generateEpub(
    {
      title: `Session ${session.number}: ${session.title}`,
      description: `The readings of session ${session.number} of the reading group's schedule: ${document.parts.map((p) => p.text.title).join('; ')}.`,
      // The texts are comment threads by many writers, mostly unnamed; Crux names none of them.
      author: 'The writers of the comment threads',
      publisher: 'Crux reading group',
      lang: 'en',
      tocTitle: 'Contents',
      prependChapterTitles: true,
      version: 3,
      verbose: false,
      contentOPF: TEMPLATE,
    },
    chapters,
  );
  return new Uint8Array(book.buffer, book.byteOffset, book.byteLength);
}

/**
 * The library's package template claims "Copyright … by <publisher>", which would be false: the texts belong
 * to their writers. The template is the library's own with that claim taken out.
 */
const TEMPLATE = withoutRightsClaim(contentOpf);

function withoutRightsClaim(template: string): string {
  const claim =
    /\s*<meta property="dcterms:rights">[^<]*<\/meta>\s*<dc:rights>[^<]*<%=[^%]*%>[^<]*<%=[^%]*%><\/dc:rights>/u;
  if (!claim.test(template))
    throw new Error('epub-gen-memory changed its content.opf template; review TEMPLATE');
  return template.replace(
    claim,
    '\n        <dc:rights>Quoted as published; the rights stay with the writers of the texts.</dc:rights>',
  );
}

/** Text made safe inside XHTML. */
function xml(text: string): string {
  return text.replace(/[&<>"]/gu, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}
