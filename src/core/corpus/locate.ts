import { countWords, isSentenceSpan } from '../text.js';
import type { Location } from './types.js';

/** A text as the locator needs it: its body and where each line starts. */
export interface LocatableText {
  readonly id: string;
  readonly body: string;
  readonly lineStarts: readonly number[];
  readonly words: number;
}

/** Builds the line index for a text body. */
export function indexLines(id: string, body: string): LocatableText {
  const lineStarts = [0];
  for (let i = body.indexOf('\n'); i !== -1; i = body.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  return { id, body, lineStarts, words: countWords(body) };
}

/** 1-based line number of a character offset. */
export function lineAt(text: LocatableText, offset: number): number {
  let low = 0;
  let high = text.lineStarts.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if ((text.lineStarts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}

/** The location of the span `[offset, offset + length)`. */
export function locationOf(text: LocatableText, offset: number, length: number): Location {
  const wordsBefore = countWords(text.body.slice(0, offset));
  return {
    textId: text.id,
    startLine: lineAt(text, offset),
    endLine: lineAt(text, Math.max(offset, offset + length - 1)),
    offset,
    percent: text.words === 0 ? 0 : Math.round((wordsBefore / text.words) * 100),
  };
}

/** Why a quote could not be located, for the validation report. */
export type LocateFailure = 'not-verbatim' | 'outside-range' | 'not-sentences';

/**
 * Finds `quote` verbatim in the text, inside the inclusive line range when one is given, starting and ending
 * at sentence boundaries. Texts repeat some paragraphs, so every occurrence is tried.
 */
export function locateQuote(
  text: LocatableText,
  quote: string,
  lines?: { readonly first: number; readonly last: number },
): Location | LocateFailure {
  let failure: LocateFailure = 'not-verbatim';
  for (let at = text.body.indexOf(quote); at !== -1; at = text.body.indexOf(quote, at + 1)) {
    const location = locationOf(text, at, quote.length);
    if (lines && (location.startLine < lines.first || location.endLine > lines.last)) {
      failure = 'outside-range';
      continue;
    }
    if (!isSentenceSpan(text.body, at, at + quote.length)) {
      failure = 'not-sentences';
      continue;
    }
    return location;
  }
  return failure;
}
