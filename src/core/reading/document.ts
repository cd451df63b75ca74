import type { Corpus, Section, Session, Text, Writer } from '../corpus/types.js';
import { voiceAt } from '../corpus/voices.js';

/**
 * A session's readings as one document: its texts in reading order, each text's sections, and each section's
 * paragraphs with a mark wherever the writer changes (the texts are comment threads with no separators of
 * their own). /read pages it in Discord, and the downloads write it as Markdown and EPUB, so all three show
 * exactly the same words in the same order.
 */

/** A paragraph of the text, verbatim, or the start of a different writer's lines. */
export type Block =
  | { readonly kind: 'paragraph'; readonly line: number; readonly text: string }
  | { readonly kind: 'writer'; readonly writer: Writer };

export interface DocumentSection {
  readonly section: Section;
  readonly blocks: readonly Block[];
}

/** One text's part of the session. */
export interface DocumentPart {
  readonly text: Text;
  readonly sections: readonly DocumentSection[];
  readonly words: number;
}

export interface ReadingDocument {
  readonly session: Session;
  readonly parts: readonly DocumentPart[];
  readonly words: number;
}

/** The session's readings, or only those of one text when `textId` is given. */
export function readingDocument(corpus: Corpus, session: Session, textId?: string): ReadingDocument {
  const parts = session.readings
    .filter((reading) => textId === undefined || reading.textId === textId)
    .flatMap((reading): DocumentPart[] => {
      const text = corpus.textById.get(reading.textId);
      if (!text) return [];
      return [
        {
          text,
          sections: reading.sections.map((section) => ({ section, blocks: sectionBlocks(text, section) })),
          words: reading.words,
        },
      ];
    });
  return { session, parts, words: parts.reduce((sum, part) => sum + part.words, 0) };
}

/**
 * A section's paragraphs, each run of one writer's lines opened by who wrote them. A section starts with its
 * writer even when the previous section was theirs too, so every page of /read says whose words it shows.
 */
function sectionBlocks(text: Text, section: Section): Block[] {
  const blocks: Block[] = [];
  let writer: string | undefined;
  for (let line = section.firstLine; line <= section.lastLine; line++) {
    const voice = voiceAt(text, line);
    if (voice && voice.writer.id !== writer) {
      blocks.push({ kind: 'writer', writer: voice.writer });
      writer = voice.writer.id;
    }
    blocks.push({ kind: 'paragraph', line, text: text.lines[line - 1] ?? '' });
  }
  return blocks;
}

/** The paragraphs of a document, in order: what a reader reads, without the writer marks. */
export function documentParagraphs(document: ReadingDocument): string[] {
  return document.parts.flatMap((part) =>
    part.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'paragraph' ? [b.text] : []))),
  );
}
