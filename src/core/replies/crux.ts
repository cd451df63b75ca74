import { defineComponent, param } from '../components.js';
import type { Corpus, Crux, Passage, Position } from '../corpus/types.js';
import { voiceAt } from '../corpus/voices.js';
import { blockQuote, describeLocation, literal } from '../format.js';
import { pagedReply, paginate } from '../paging.js';
import { type Button, CRUX_COLOR, type Embed, type Reply } from '../reply.js';
import { oneLine, truncateAtSentence } from '../text.js';

/** The /crux command's name and component actions, shared by the command module and these layouts. */
export const CRUX_COMMAND = 'crux';
/** The Quotes button (and its page buttons) and the Discuss button of a crux. */
export const cruxQuotes = defineComponent(CRUX_COMMAND, 'quotes', {
  c: param.slug(),
  p: param.int(0, 999).optional(),
});
export const cruxDiscuss = defineComponent(CRUX_COMMAND, 'discuss', { c: param.slug() });

/** How much of a supporting quote the crux card shows; the Quotes button shows them in full. */
const QUOTE_OPENING_CHARS = 160;

/** Letters that name positions in cards and polls. */
export const POSITION_LETTERS = ['A', 'B', 'C', 'D', 'E'] as const;

/** "A", "B"… for the position at `index`. */
export function positionLetter(index: number): string {
  return POSITION_LETTERS[index] ?? String(index + 1);
}

/**
 * A passage's source, for under a quote: who wrote it, as the texts let Crux say (never a guessed name), and
 * where: "— A commenter on DeepSeek and GRPO, *Title*, paragraph 42 of 180, 23% through".
 */
export function quoteSource(corpus: Corpus, passage: Passage): string {
  const text = corpus.textById.get(passage.textId);
  if (!text) return '';
  const writer = voiceAt(text, passage.location.startLine)?.writer;
  return `— ${writer ? `${literal(writer.description)}, ` : ''}*${literal(text.title)}*, ${describeLocation(passage.location, text)}`;
}

/** Where a position is argued: "The post's author (Title, paragraphs 110–111); …". */
export function heldByLine(corpus: Corpus, position: Position): string {
  return position.heldBy
    .map((held) => {
      const title = corpus.textById.get(held.textId)?.title ?? held.textId;
      const lines =
        held.firstLine === held.lastLine
          ? `paragraph ${held.firstLine}`
          : `paragraphs ${held.firstLine}–${held.lastLine}`;
      return `${literal(held.writer.description)} (*${literal(title)}*, ${lines})`;
    })
    .join('; ');
}

/** The crux card: question, positions with statements and quote openings, and prompts. */
export function cruxEmbed(corpus: Corpus, crux: Crux, note?: string): Embed {
  const session = corpus.sessions.find((s) => s.number === crux.session);
  const topics = crux.topics.map((id) => corpus.topicById.get(id)?.label ?? id).join(', ');
  return {
    author: `Crux · Session ${crux.session}${session ? `: ${session.title}` : ''}`,
    description: [note ? `*${literal(note)}*\n` : undefined, `**${literal(crux.question)}**`]
      .filter(Boolean)
      .join('\n'),
    fields: [
      ...crux.positions.map((position, index) => {
        const quote = position.quotes[0];
        const opening = quote ? truncateAtSentence(oneLine(quote.quote), QUOTE_OPENING_CHARS) : '';
        return {
          name: `${positionLetter(index)}. ${position.label}`,
          value: [
            literal(position.statement),
            quote ? `> ${literal(opening)}` : undefined,
            quote ? quoteSource(corpus, quote) : undefined,
          ]
            .filter(Boolean)
            .join('\n'),
        };
      }),
      {
        name: 'To discuss',
        value: crux.prompts.map((prompt, i) => `${i + 1}. ${literal(prompt)}`).join('\n'),
      },
    ],
    footer: `Crux ${crux.id} · ${topics}`,
    color: CRUX_COLOR,
  };
}

/** The Quotes button of a crux. */
export function quotesButton(crux: Crux): Button {
  return {
    type: 'button',
    customId: cruxQuotes.id({ c: crux.id }),
    label: 'Quotes',
    style: 'primary',
  };
}

/** The crux card with its buttons: Quotes and Discuss. */
export function cruxReply(corpus: Corpus, crux: Crux, note?: string): Reply {
  return {
    embeds: [cruxEmbed(corpus, crux, note)],
    components: [
      [
        quotesButton(crux),
        {
          type: 'button',
          customId: cruxDiscuss.id({ c: crux.id }),
          label: 'Discuss',
          style: 'secondary',
        },
      ],
    ],
  };
}

/** Every supporting quote of a crux in full, privately and paged. `page` is 0-based. */
export function cruxQuotesReply(corpus: Corpus, crux: Crux, page: number): Reply {
  const blocks = crux.positions.flatMap((position, index) => [
    `**${positionLetter(index)}. ${literal(position.label)}**\nArgued by ${heldByLine(corpus, position)}.`,
    ...position.quotes.map((quote) => `${blockQuote(quote.quote)}\n${quoteSource(corpus, quote)}`),
  ]);
  return pagedReply({
    title: `Quotes: ${crux.question}`,
    pages: paginate(blocks),
    page,
    pageId: (n) => cruxQuotes.id({ c: crux.id, p: n }),
    footer: `Crux ${crux.id}`,
  });
}

/** The name of a crux's discussion thread. */
export function cruxThreadName(crux: Crux): string {
  return `Crux: ${crux.question}`;
}

/** The first message in a crux's discussion thread: its prompts. */
export function cruxThreadStarter(crux: Crux): Reply {
  return {
    content: [
      `**${literal(crux.question)}**`,
      ...crux.prompts.map((prompt, i) => `${i + 1}. ${literal(prompt)}`),
    ].join('\n'),
  };
}
