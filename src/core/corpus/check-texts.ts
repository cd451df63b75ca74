import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { countWords } from '../text.js';
import { indexLines, type LocatableText } from './locate.js';
import type { TextSchema } from './schema.js';
import type { Section, Text, Voice, Writer } from './types.js';

/** A text as read from `data/`, before the schedule assigns its sections to sessions. */
export interface TextDraft extends Omit<Text, 'sections'> {
  readonly sectionIds: readonly string[];
  readonly locatable: LocatableText;
}

/** What checking the texts yields for the later checks. */
export interface CheckedTexts {
  readonly texts: readonly TextDraft[];
  readonly textById: ReadonlyMap<string, TextDraft>;
  readonly sections: ReadonlyMap<string, Omit<Section, 'session'>>;
}

type RawText = z.infer<typeof TextSchema>;

/**
 * Checks each text against its file (present, UTF-8, unchanged bytes), and that its sections and its
 * voices (who wrote which lines) each cover every line exactly once.
 */
export function checkTexts(
  raw: readonly RawText[],
  files: ReadonlyMap<string, Buffer>,
  report: (message: string) => void,
): CheckedTexts {
  const texts: TextDraft[] = [];
  const sections = new Map<string, Omit<Section, 'session'>>();
  for (const [index, text] of raw.entries()) {
    const where = `texts.json[${index}] (${text.id})`;
    if (texts.some((t) => t.id === text.id)) report(`${where}: text id is used twice`);
    const bytes = files.get(text.file);
    if (!bytes) {
      report(`${where}: file data/${text.file} is missing`);
      continue;
    }
    if (text.sha256 && createHash('sha256').update(bytes).digest('hex') !== text.sha256) {
      report(
        `${where}: data/${text.file} does not match its sha256; the texts must stay byte for byte as published`,
      );
    }
    let body: string;
    try {
      body = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      report(`${where}: data/${text.file} is not valid UTF-8`);
      continue;
    }
    const locatable = indexLines(text.id, body);
    const lines = body.split('\n');
    for (const section of checkTiling(`${where} section`, text.sections, lines.length, report)) {
      const [first, last] = section.lines;
      if (sections.has(section.id)) report(`${where} section ${section.id}: section id is used twice`);
      sections.set(section.id, {
        id: section.id,
        textId: text.id,
        heading: section.heading,
        topics: section.topics,
        firstLine: first,
        lastLine: last,
        words: countWords(lines.slice(first - 1, last).join('\n')),
      });
    }
    const { writers, voices } = checkVoices(where, text, lines.length, report);
    texts.push({
      id: text.id,
      title: text.title,
      kind: text.kind,
      summary: text.summary,
      body,
      lines,
      lineStarts: locatable.lineStarts,
      words: locatable.words,
      sectionIds: text.sections.map((s) => s.id),
      writers,
      voices,
      locatable,
    });
  }
  return { texts, textById: new Map(texts.map((t) => [t.id, t])), sections };
}

/** The writers a text declares and the voices that say who wrote each line. */
function checkVoices(
  where: string,
  text: RawText,
  lineCount: number,
  report: (message: string) => void,
): { writers: Writer[]; voices: Voice[] } {
  const writers = new Map<string, Writer>();
  for (const writer of text.writers) {
    if (writers.has(writer.id)) report(`${where} writer ${writer.id}: writer id is used twice`);
    writers.set(writer.id, writer);
  }
  const voices: Voice[] = [];
  const used = new Set<string>();
  const named = text.voices.map((voice) => ({ ...voice, id: `${voice.lines[0]}–${voice.lines[1]}` }));
  for (const voice of checkTiling(`${where} voice`, named, lineCount, report)) {
    const writer = writers.get(voice.writer);
    if (!writer) {
      report(`${where} voice ${voice.id}: unknown writer "${voice.writer}"; declare it in "writers"`);
      continue;
    }
    used.add(writer.id);
    voices.push({ firstLine: voice.lines[0], lastLine: voice.lines[1], writer });
  }
  for (const id of writers.keys()) {
    if (!used.has(id)) report(`${where} writer ${id}: wrote no lines; remove it or give it a voice`);
  }
  return { writers: [...writers.values()], voices };
}

/**
 * Checks that ranges cover lines 1…`lineCount` in order without gaps or overlaps, reporting each break with
 * `what` and the range's id; returns the ranges in line order.
 */
function checkTiling<R extends { readonly id: string; readonly lines: readonly [number, number] }>(
  what: string,
  ranges: readonly R[],
  lineCount: number,
  report: (message: string) => void,
): R[] {
  const sorted = [...ranges].sort((a, b) => a.lines[0] - b.lines[0]);
  let expectedFirst = 1;
  for (const range of sorted) {
    const [first, last] = range.lines;
    if (last < first || last > lineCount) {
      report(
        `${what} ${range.id}: lines ${first}–${last} are not a range inside the text's ${lineCount} lines`,
      );
    }
    if (first !== expectedFirst) {
      report(
        `${what} ${range.id}: starts at line ${first} but line ${expectedFirst} comes next; they must cover the text without gaps or overlaps`,
      );
    }
    expectedFirst = Math.max(expectedFirst, last + 1);
  }
  if (expectedFirst !== lineCount + 1) {
    report(`${what}s end at line ${expectedFirst - 1} but the text has ${lineCount} lines`);
  }
  return sorted;
}
