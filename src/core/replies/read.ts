import { defineComponent, param } from '../components.js';
import { ID_IN_BUTTONS_MAX } from '../corpus/schema.js';
import type { Corpus } from '../corpus/types.js';
import { literal, readingTimeLabel } from '../format.js';
import type { ReadingDocument } from '../reading/document.js';
import { type ReadingPage, sectionStarts } from '../reading/pages.js';
import { type Button, type ComponentRow, CRUX_COLOR, notice, type Reply } from '../reply.js';
import { checkInId } from './checkin.js';

/** The /read command's name and component actions, shared by the command module and these layouts. */
export const READ_COMMAND = 'read';

/** The files a session's readings can be downloaded as, with their names for people. */
export const READING_FORMATS = { epub: 'EPUB', markdown: 'Markdown' } as const;
export type ReadingFormat = keyof typeof READING_FORMATS;

/** Which readings a /read message shows: the session, one text of it, and whether it is read ahead. */
const VIEW_PARAMS = {
  s: param.int(1, 999),
  x: param.slug(ID_IN_BUTTONS_MAX).optional(),
  a: param.flag(),
} as const;
export const readPage = defineComponent(READ_COMMAND, 'page', { ...VIEW_PARAMS, p: param.int(-1, 9999) });
export const readJump = defineComponent(READ_COMMAND, 'jump', VIEW_PARAMS, { value: param.int(0, 9999) });
/**
 * Read the texts, on a kickoff or a reminder (`r`): opens the session's first page privately. The session
 * is the one the schedule has just announced, so it is open to read even before the group has reached it.
 * Its custom id is unique to the session and the kind of post, so the scheduler finds its own reminder by it.
 */
export const readOpen = defineComponent(READ_COMMAND, 'open', { s: param.int(1, 999), r: param.flag() });
export const readFile = defineComponent(READ_COMMAND, 'file', {
  ...VIEW_PARAMS,
  f: param.choice(['epub', 'markdown']),
});

/** What a /read message is showing: which readings, and whether the member asked to read ahead. */
export interface ReadView {
  readonly session: number;
  readonly textId?: string | undefined;
  readonly ahead: boolean;
}

function viewParams(view: ReadView): { s: number; x: string | undefined; a: boolean } {
  return { s: view.session, x: view.textId, a: view.ahead };
}

/** The view a /read button carries. */
export function viewFromParams(params: {
  readonly s: number;
  readonly x?: string | undefined;
  readonly a: boolean;
}): ReadView {
  return { session: params.s, textId: params.x, ahead: params.a };
}

/** The custom id of a button that shows page `page` of a view. */
export function readPageId(view: ReadView, page: number): string {
  return readPage.id({ ...viewParams(view), p: page });
}

/** The custom id of a download button. */
export function readFileId(view: ReadView, format: ReadingFormat): string {
  return readFile.id({ ...viewParams(view), f: format });
}

/**
 * One page of a session's readings, privately: the section's heading and paragraphs (who wrote each run of
 * them), where the page sits ("section 3 of 8 · 2,100 words left"), paging, a section menu, downloads, and on
 * the last page of the whole session the I've read it button.
 */
export function readPageReply(
  document: ReadingDocument,
  pages: readonly ReadingPage[],
  page: number,
  view: ReadView,
): Reply {
  const index = Math.min(Math.max(0, page), pages.length - 1);
  const shown = pages[index];
  if (!shown) return notice('There is nothing to read in that session.');
  const last = index === pages.length - 1;
  const { session } = document;
  const intro = index === 0 && session.note ? `*${literal(session.note)}*\n\n` : '';
  const place = [
    `Session ${session.number}`,
    `section ${shown.section + 1} of ${shown.sections}`,
    shown.pagesInSection > 1 ? `page ${shown.pageInSection + 1} of ${shown.pagesInSection}` : undefined,
    last ? 'the end' : `${shown.wordsLeft.toLocaleString('en')} words left`,
  ].filter(Boolean);
  const navigation: Button[] = [
    {
      type: 'button',
      customId: readPageId(view, index - 1),
      label: '◀ Previous',
      style: 'secondary',
      disabled: index === 0,
    },
    {
      type: 'button',
      customId: readPageId(view, index + 1),
      label: 'Next ▶',
      style: last ? 'secondary' : 'primary',
      disabled: last,
    },
  ];
  // Checking in means having read the whole session, so only its very last page offers it.
  if (last && view.textId === undefined) {
    navigation.push({
      type: 'button',
      customId: checkInId(session.number),
      label: 'I’ve read it',
      style: 'success',
    });
  }
  const rows: ComponentRow[] = [navigation];
  const starts = sectionStarts(pages);
  if (starts.length > 1) {
    rows.push([
      {
        type: 'select',
        customId: readJump.id(viewParams(view)),
        placeholder: 'Go to a section…',
        options: starts.map((start) => {
          const first = pages[start];
          return {
            label: first?.heading ?? `Section ${start + 1}`,
            value: String(start),
            description: first?.textTitle ?? '',
            default: first?.section === shown.section,
          };
        }),
      },
    ]);
  }
  rows.push(
    (['epub', 'markdown'] as const).map((format) => ({
      type: 'button',
      customId: readFileId(view, format),
      label: `Download ${READING_FORMATS[format]}`,
      style: 'secondary',
    })),
  );
  return {
    embeds: [
      {
        author: shown.textTitle,
        title: shown.heading,
        description: `${intro}${shown.body}`,
        footer: place.join(' · '),
        color: CRUX_COLOR,
      },
    ],
    components: rows,
    ephemeral: true,
  };
}

/** The private message a download arrives in. */
export function readingFileReply(
  corpus: Corpus,
  document: ReadingDocument,
  format: ReadingFormat,
  file: { readonly name: string; readonly data: Uint8Array },
): Reply {
  const titles = document.parts.map((part) => `**${literal(part.text.title)}**`).join(' and ');
  const size = Math.max(1, Math.round(file.data.byteLength / 1024));
  const how =
    format === 'epub'
      ? 'Open it in any e-book reader (Apple Books, Google Play Books, Calibre, a Kobo or Kindle).'
      : 'Open it in any text editor or Markdown viewer.';
  return {
    content: `Session ${document.session.number} of ${corpus.sessions.length}, ${literal(document.session.title)}: ${titles}, ${document.words.toLocaleString('en')} words (${readingTimeLabel(document.words)}) as ${READING_FORMATS[format]}, ${size} KB. ${how}`,
    files: [
      { name: file.name, data: file.data, description: `The readings of session ${document.session.number}` },
    ],
    ephemeral: true,
  };
}

/** The file name of a session's readings, or of one text's part of them. */
export function readingFileName(view: ReadView, format: ReadingFormat): string {
  const text = view.textId === undefined ? '' : `-${view.textId}`;
  return `crux-session-${view.session}${text}.${format === 'epub' ? 'epub' : 'md'}`;
}
