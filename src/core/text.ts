/** Plain-text helpers shared by the corpus, search and reply builders. */

/** Words as `wc -w` counts them: runs of non-whitespace. */
export function countWords(text: string): number {
  const matches = text.match(/\S+/g);
  return matches ? matches.length : 0;
}

/** Silent reading speed used for every "reading time" Crux shows. */
export const WORDS_PER_MINUTE = 230;

/** Reading time in whole minutes, at least 1. */
export function readingMinutes(words: number): number {
  return Math.max(1, Math.round(words / WORDS_PER_MINUTE));
}

/** "about 40 s", "about 3 min": short passages read in seconds, readings in minutes. */
export function formatReadingTime(words: number): string {
  const seconds = Math.round((words / WORDS_PER_MINUTE) * 60);
  if (seconds < 60) return `about ${Math.max(5, Math.round(seconds / 5) * 5)} s`;
  return `about ${readingMinutes(words)} min`;
}

const SENTENCE_END = /[.!?…]["'”’)\]]*$/u;
const SENTENCE_END_BEFORE_SPACE = /[.!?…]["'”’)\]]*\s+$/u;

/** True when `text` ends a sentence: terminal punctuation, optionally closed by quotes or brackets. */
export function endsSentence(text: string): boolean {
  return SENTENCE_END.test(text);
}

/**
 * True when a span of `body` starting at `start` and ending before `end` begins and ends at sentence
 * boundaries. A line start or line end always counts as one, since every line of a text is a paragraph.
 */
export function isSentenceSpan(body: string, start: number, end: number): boolean {
  const startsAtBoundary =
    start === 0 ||
    body[start - 1] === '\n' ||
    SENTENCE_END_BEFORE_SPACE.test(body.slice(Math.max(0, start - 6), start));
  const endsAtBoundary = end === body.length || body[end] === '\n' || endsSentence(body.slice(start, end));
  return startsAtBoundary && endsAtBoundary;
}

/**
 * Where to cut `text` so the head is at most `max` characters: after the last whole sentence that fits, or
 * at a word boundary when that would throw away most of the room. `sentence` tells which it was.
 */
export function cutPoint(text: string, max: number): { readonly end: number; readonly sentence: boolean } {
  if (text.length <= max) return { end: text.length, sentence: true };
  const room = text.slice(0, max);
  let cut = -1;
  for (const match of room.matchAll(/[.!?…]["'”’)\]]*(?=\s)/gu)) cut = match.index + match[0].length;
  if (cut >= room.length * 0.5) return { end: cut, sentence: true };
  // When the room ends exactly at a word's end, keep that word; otherwise drop the partial word.
  if (/\s/u.test(text[room.length] ?? ' ')) return { end: room.length, sentence: false };
  const space = room.search(/\s\S*$/u);
  return { end: space > room.length * 0.5 ? space : room.length, sentence: false };
}

/**
 * Cuts `text` to at most `max` characters at a sentence (or, failing that, a word) and marks the cut with an
 * ellipsis. Text that already fits is returned unchanged.
 */
export function truncateAtSentence(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 2) return '…'.slice(0, max);
  // A whole sentence gets a spaced ellipsis ("… the end. …"); a word cut, a tight one ("… the wo…").
  const atSentence = cutPoint(text, max - 2);
  if (atSentence.sentence) return `${text.slice(0, atSentence.end).trimEnd()} …`;
  return `${text.slice(0, cutPoint(text, max - 1).end).trimEnd()}…`;
}

/** Collapses whitespace and trims, for one-line previews (autocomplete names, quote openings). */
export function oneLine(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}
