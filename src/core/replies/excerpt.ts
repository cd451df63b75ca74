import type { Corpus, Excerpt, Passage, Topic } from '../corpus/types.js';
import { encodeCustomId } from '../custom-id.js';
import { describeScope, type ExcerptScope } from '../excerpts.js';
import { blockQuote, describeLocation, literal, readingTimeLabel } from '../format.js';
import { pagedReply, paginate } from '../paging.js';
import { type Button, CRUX_COLOR, type Embed, notice, type Reply } from '../reply.js';
import { passageParams } from './passage-ref.js';

/** The /excerpt command's name and component actions, shared by the command module and these layouts. */
export const EXCERPT_COMMAND = 'excerpt';
export const EXCERPT_ACTIONS = { another: 'another', context: 'context', discuss: 'discuss' } as const;

/** Paragraphs of context shown on each side of a passage. */
const CONTEXT_PARAGRAPHS = 2;

export interface ExcerptView {
  readonly passage: Passage | Excerpt;
  readonly scope: ExcerptScope;
  readonly ephemeral: boolean;
  /** A line above the quote, e.g. that the rotation started over or that this passage answers a search. */
  readonly note?: string;
}

/** The custom id of the Another button for a scope. */
export function anotherId(scope: ExcerptScope, ephemeral: boolean): string {
  return encodeCustomId(
    EXCERPT_COMMAND,
    EXCERPT_ACTIONS.another,
    { s: scope.session, x: scope.textId, t: scope.topicId, v: ephemeral ? 1 : undefined, q: scope.query },
    'q',
  );
}

/** The scope an Another button carries. */
export function scopeFromParams(params: Readonly<Record<string, string>>): {
  scope: ExcerptScope;
  ephemeral: boolean;
} {
  const session = Number.parseInt(params.s ?? '', 10);
  return {
    scope: {
      ...(Number.isFinite(session) ? { session } : {}),
      ...(params.x ? { textId: params.x } : {}),
      ...(params.t ? { topicId: params.t } : {}),
      ...(params.q ? { query: params.q } : {}),
    },
    ephemeral: params.v === '1',
  };
}

/** An excerpt (or a passage found by search) with its source, place in the text, and reading time. */
export function excerptEmbed(corpus: Corpus, passage: Passage | Excerpt, note?: string): Embed {
  const text = corpus.textById.get(passage.textId);
  const section = corpus.sectionById.get(passage.sectionId);
  if (!text || !section) throw new Error(`passage refers to unknown text or section ${passage.sectionId}`);
  const topics = 'topics' in passage ? passage.topics.map((id) => corpus.topicById.get(id)?.label ?? id) : [];
  const footer = [
    `Session ${passage.session}`,
    describeLocation(passage.location, text),
    readingTimeLabel(passage.words),
    topics.length > 0 ? topics.join(', ') : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  return {
    author: text.title,
    title: section.heading,
    description: [note ? `*${literal(note)}*\n` : undefined, blockQuote(passage.quote)]
      .filter(Boolean)
      .join('\n'),
    footer,
    color: CRUX_COLOR,
  };
}

/** The Context button of a passage. */
export function contextButton(passage: Passage): Button {
  return {
    type: 'button',
    customId: encodeCustomId(EXCERPT_COMMAND, EXCERPT_ACTIONS.context, passageParams(passage)),
    label: 'Context',
    style: 'secondary',
  };
}

/** An excerpt with its buttons: Another (same scope), Context, and Discuss for channel messages. */
export function excerptReply(corpus: Corpus, view: ExcerptView): Reply {
  const buttons: Button[] = [
    { type: 'button', customId: anotherId(view.scope, view.ephemeral), label: 'Another', style: 'primary' },
    contextButton(view.passage),
  ];
  // A thread needs a real channel message; an ephemeral preview is not one.
  if (!view.ephemeral) {
    buttons.push({
      type: 'button',
      customId: encodeCustomId(EXCERPT_COMMAND, EXCERPT_ACTIONS.discuss, passageParams(view.passage)),
      label: 'Discuss',
      style: 'secondary',
    });
  }
  return {
    embeds: [excerptEmbed(corpus, view.passage, view.note)],
    components: [buttons],
    ephemeral: view.ephemeral,
  };
}

/** Why nothing could be shown, and what to try instead: a private notice. */
export function nothingToShowReply(
  corpus: Corpus,
  scope: ExcerptScope,
  reason: 'no-match' | 'empty-scope' | 'too-common',
  topics: readonly Topic[],
): Reply {
  const where = describeScope(corpus, { ...scope, query: undefined });
  const named = topics.slice(0, 6).map((topic) => `**${topic.label}**`);
  const suggestion =
    named.length > 0
      ? ` Topics with excerpts there: ${named.join(', ')}.`
      : ' Try `/excerpt` with no options.';
  const query = literal(scope.query ?? '');
  switch (reason) {
    case 'too-common':
      return notice(`“${query}” is too common to search for. Try a more specific word or two.${suggestion}`);
    case 'no-match':
      return notice(`Nothing in ${where} mentions “${query}”. Try other words, or a topic.${suggestion}`);
    case 'empty-scope':
      return notice(`No excerpt in ${where} fits those options.${suggestion}`);
  }
}

/**
 * The paragraphs around a passage, privately and paged, with the passage in bold. `page` is 0-based; when
 * undefined, the page holding the passage opens.
 */
export function contextReply(corpus: Corpus, passage: Passage, page: number | undefined): Reply {
  const text = corpus.textById.get(passage.textId);
  const section = corpus.sectionById.get(passage.sectionId);
  if (!text || !section) throw new Error(`passage refers to unknown text or section ${passage.sectionId}`);
  const first = Math.max(1, passage.location.startLine - CONTEXT_PARAGRAPHS);
  const last = Math.min(text.lines.length, passage.location.endLine + CONTEXT_PARAGRAPHS);
  const start = passage.location.offset;
  const end = start + passage.quote.length;
  const blocks: string[] = [];
  let passageBlock = 0;
  for (let line = first; line <= last; line++) {
    const body = text.lines[line - 1] ?? '';
    const lineStart = text.lineStarts[line - 1] ?? 0;
    const from = Math.min(Math.max(start - lineStart, 0), body.length);
    const to = Math.min(Math.max(end - lineStart, 0), body.length);
    if (line === passage.location.startLine) passageBlock = blocks.length;
    const marked =
      to > from
        ? `${literal(body.slice(0, from))}**${literal(body.slice(from, to))}**${literal(body.slice(to))}`
        : literal(body);
    blocks.push(`\`¶${line}\` ${marked}`);
  }
  const pages = paginate(blocks);
  const passagePage = paginate(blocks.slice(0, passageBlock + 1)).length - 1;
  const params = passageParams(passage);
  return pagedReply({
    title: `Context: ${section.heading}`,
    pages,
    page: page ?? passagePage,
    pageId: (n) => encodeCustomId(EXCERPT_COMMAND, EXCERPT_ACTIONS.context, { ...params, p: n }),
    footer: `${text.title}, paragraphs ${first}–${last} of ${text.lines.length}`,
  });
}

/** The name of a discussion thread about a passage. */
export function excerptThreadName(corpus: Corpus, passage: Passage): string {
  return `Excerpt: ${corpus.sectionById.get(passage.sectionId)?.heading ?? 'discussion'}`;
}

/** The first message in a passage's discussion thread. */
export function excerptThreadStarter(corpus: Corpus, passage: Passage): Reply {
  const text = corpus.textById.get(passage.textId);
  return {
    content: [
      `Discussion of the excerpt above from **${literal(text?.title ?? passage.textId)}** (session ${passage.session}).`,
      'What is the writer claiming, what would have to be true for it to hold, and do you buy it?',
    ].join('\n'),
  };
}
