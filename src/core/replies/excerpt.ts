import { defineComponent, param } from '../components.js';
import { ID_IN_BUTTONS_MAX } from '../corpus/schema.js';
import type { Corpus, Excerpt, Passage, Topic } from '../corpus/types.js';
import { describeScope, type ExcerptScope } from '../excerpts.js';
import { blockQuote, describeLocation, literal, readingTimeLabel } from '../format.js';
import { pagedReply, paginate } from '../paging.js';
import { type Button, CRUX_COLOR, type Embed, notice, type Reply } from '../reply.js';
import { PASSAGE_PARAMS, passageParams } from './passage-ref.js';

/** The /excerpt command's name and component actions, shared by the command module and these layouts. */
export const EXCERPT_COMMAND = 'excerpt';

/**
 * Another: the next excerpt of the same scope, every bound of it included (a session, or the sessions the
 * group had reached, `u`), so the button can never reach past what the command that made it could show.
 * `v` keeps a private preview private.
 */
export const excerptAnother = defineComponent(
  EXCERPT_COMMAND,
  'another',
  {
    s: param.int(1, 999).optional(),
    u: param.int(1, 999).optional(),
    x: param.slug(ID_IN_BUTTONS_MAX).optional(),
    t: param.slug(ID_IN_BUTTONS_MAX).optional(),
    v: param.flag(),
    q: param.text(100).optional(),
  },
  { shrink: 'q' },
);
/** Context (and its page buttons, `p`) and Discuss, on a passage. */
export const excerptContext = defineComponent(EXCERPT_COMMAND, 'context', {
  ...PASSAGE_PARAMS,
  p: param.int(0, 999).optional(),
});
export const excerptDiscuss = defineComponent(EXCERPT_COMMAND, 'discuss', PASSAGE_PARAMS);

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
  return excerptAnother.id({
    s: scope.session,
    u: scope.through,
    x: scope.textId,
    t: scope.topicId,
    v: ephemeral,
    q: scope.query,
  });
}

/** The scope an Another button carries. */
export function scopeFromParams(params: NonNullable<ReturnType<typeof excerptAnother.parse>>): {
  scope: ExcerptScope;
  ephemeral: boolean;
} {
  return {
    scope: {
      ...(params.s !== undefined ? { session: params.s } : {}),
      ...(params.u !== undefined ? { through: params.u } : {}),
      ...(params.x !== undefined ? { textId: params.x } : {}),
      ...(params.t !== undefined ? { topicId: params.t } : {}),
      ...(params.q !== undefined ? { query: params.q } : {}),
    },
    ephemeral: params.v,
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
    customId: excerptContext.id(passageParams(passage)),
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
      customId: excerptDiscuss.id(passageParams(view.passage)),
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
    pageId: (n) => excerptContext.id({ ...params, p: n }),
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
