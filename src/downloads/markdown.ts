import type { ReadingDocument } from '../core/reading/document.js';

/**
 * A session's readings as one Markdown file: the session and its note, then each text and its sections as
 * headings, each writer's lines introduced by who wrote them, and every paragraph as the text has it.
 */
export function readingMarkdown(document: ReadingDocument): string {
  const { session } = document;
  const out: string[] = [`# Session ${session.number}: ${inert(session.title)}`];
  if (session.note) out.push(`*${inert(session.note)}*`);
  for (const part of document.parts) {
    out.push(`## ${inert(part.text.title)}`, `*${inert(part.text.kind)}*`);
    for (const { section, blocks } of part.sections) {
      out.push(`### ${inert(section.heading)}`);
      for (const block of blocks) {
        out.push(block.kind === 'writer' ? `**${inert(block.writer.description)}:**` : inert(block.text));
      }
    }
  }
  return `${out.join('\n\n')}\n`;
}

/**
 * Text that Markdown shows as written. Only what would hide or restyle words is escaped (emphasis, code,
 * HTML tags, a heading or quote marker at the start); a list marker is left, since a list shows the same
 * words. Ordinary prose, and every paragraph of the shipped texts, stays byte for byte.
 */
export function inert(text: string): string {
  return text
    .replace(/[\\`*_]/gu, (c) => `\\${c}`)
    .replace(/<(?=[A-Za-z/!?])/gu, '\\<')
    .replace(/^(\s*)([#>])/u, '$1\\$2');
}
