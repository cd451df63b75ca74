import { escapeMarkdown, TimestampStyles, time } from '@discordjs/formatters';
import type { Location, Text } from './corpus/types.js';
import { formatReadingTime } from './text.js';

/**
 * Message formatting shared by every reply. `@discordjs/formatters` is a pure string library (no client, no
 * network), so using it here keeps core free of the Discord runtime while matching Discord's markdown exactly.
 */

/** Escaped texts, by text: escaping an excerpt took half a millisecond, and the corpus's texts recur. */
const escaped = new Map<string, string>();
/** Enough for every passage of the corpus; past it the cache starts again rather than grow with members' text. */
const ESCAPED_MAX = 4096;

/** Text from the corpus or from members, made inert: no markdown, no masked links, no headings or lists. */
export function literal(text: string): string {
  let inert = escaped.get(text);
  if (inert === undefined) {
    inert = escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true });
    if (escaped.size >= ESCAPED_MAX) escaped.clear();
    escaped.set(text, inert);
  }
  return inert;
}

/**
 * Text shown as inline code, whatever it contains. A backslash does not escape inside inline code, so text
 * with a backtick gets a double-backtick span (padded, as Markdown wants), and text that a double backtick
 * would still break is shown as a plain quoted literal instead.
 */
export function inlineCode(text: string): string {
  const line = text.replace(/\s+/gu, ' ');
  if (!line.includes('`')) return `\`${line}\``;
  if (!line.includes('``')) return `\`\` ${line} \`\``;
  return `“${literal(line)}”`;
}

/** A verbatim quote as a Discord block quote, each paragraph on its own quoted line. */
export function blockQuote(quote: string): string {
  return quote
    .split('\n')
    .map((line) => `> ${literal(line)}`)
    .join('\n> \n');
}

/** "paragraphs 42–43 of 180, 23% through". */
export function describeLocation(location: Location, text: Text): string {
  const lines =
    location.startLine === location.endLine
      ? `paragraph ${location.startLine}`
      : `paragraphs ${location.startLine}–${location.endLine}`;
  return `${lines} of ${text.lines.length}, ${location.percent}% through`;
}

/** "about 2 min read". */
export function readingTimeLabel(words: number): string {
  return `${formatReadingTime(words)} read`;
}

/** A Discord timestamp: every member sees it in their own time zone. */
export function localTime(date: Date, style: 'full' | 'date' | 'relative' = 'full'): string {
  const styles = {
    full: TimestampStyles.LongDateTime,
    date: TimestampStyles.LongDate,
    relative: TimestampStyles.RelativeTime,
  };
  return time(date, styles[style]);
}

const AND = new Intl.ListFormat('en', { type: 'conjunction' });

/** "a, b, and c". */
export function listAnd(items: readonly string[]): string {
  return AND.format(items);
}
