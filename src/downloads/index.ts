import type { ReadingDocument } from '../core/reading/document.js';
import type { ReadingFormat } from '../core/replies/read.js';
import { readingEpub } from './epub.js';
import { readingMarkdown } from './markdown.js';

/** A session's readings as a file in `format`. */
export async function readingFile(document: ReadingDocument, format: ReadingFormat): Promise<Uint8Array> {
  return format === 'epub' ? readingEpub(document) : new TextEncoder().encode(readingMarkdown(document));
}
