import type { Text, Voice, Writer } from './types.js';

/** Who wrote which lines of a text: lookups over its voices. */

/** The voice that wrote a line. */
export function voiceAt(text: Pick<Text, 'voices'>, line: number): Voice | undefined {
  return text.voices.find((voice) => voice.firstLine <= line && line <= voice.lastLine);
}

/**
 * The one writer of lines `first`…`last`, with the last line of their run of lines (so a check can read on
 * to where they stop); `undefined` when the lines mix writers.
 */
export function soleWriter(
  text: Pick<Text, 'voices'>,
  first: number,
  last: number,
): { readonly writer: Writer; readonly lastLine: number } | undefined {
  const start = voiceAt(text, first);
  if (!start) return undefined;
  let end = start;
  for (let next = voiceAt(text, end.lastLine + 1); next?.writer.id === start.writer.id; ) {
    end = next;
    next = voiceAt(text, end.lastLine + 1);
  }
  return end.lastLine >= last ? { writer: start.writer, lastLine: end.lastLine } : undefined;
}
