import MiniSearch from 'minisearch';
import { locationOf } from './corpus/locate.js';
import type { Corpus, Crux, Excerpt, Passage, Text } from './corpus/types.js';
import { countWords, oneLine } from './text.js';

/** A search document: a curated excerpt, a paragraph (line) of a text, or a crux. */
interface SearchDocument {
  readonly id: string;
  readonly kind: 'excerpt' | 'paragraph' | 'crux';
  readonly body: string;
}

/** A paragraph that matched a search. */
export interface ParagraphHit {
  readonly textId: string;
  readonly line: number;
  readonly terms: readonly string[];
}

/** An autocomplete suggestion: `name` is what the member sees, `value` what the command receives. */
export interface Suggestion {
  readonly name: string;
  readonly value: string;
}

/** Prefix for autocomplete values that name an excerpt rather than a free-text query. */
export const EXCERPT_VALUE_PREFIX = 'excerpt:';

// Words too common to narrow a search; with AND-matching they would only exclude paragraphs by accident.
const STOP_WORDS = new Set(
  'a an and are as at be but by for from has have i if in is it its of on or so that the their there this to was we were what when which who will with you'.split(
    ' ',
  ),
);

/** How much of an excerpt an autocomplete suggestion shows around the match (render clips to Discord's 100). */
const SNIPPET_CHARS = 90;

/** The longest passage a search may serve when no curated excerpt matches. */
const MAX_PASSAGE_CHARS = 1200;
const SENTENCES = new Intl.Segmenter('en', { granularity: 'sentence' });

/**
 * Full-text search over the excerpts and every paragraph of the texts, built once at start. Prefix and
 * light fuzzy matching let autocomplete answer while the member is still typing.
 */
export class CorpusSearch {
  readonly #corpus: Corpus;
  readonly #index: MiniSearch<SearchDocument>;

  constructor(corpus: Corpus) {
    this.#corpus = corpus;
    this.#index = new MiniSearch<SearchDocument>({
      fields: ['body'],
      storeFields: ['kind'],
      processTerm: (term) => {
        const lower = term.toLowerCase();
        return STOP_WORDS.has(lower) ? null : lower;
      },
      searchOptions: { prefix: true, fuzzy: 0.15, combineWith: 'AND', boost: { body: 1 } },
    });
    this.#index.addAll([
      ...corpus.excerpts.map((e): SearchDocument => ({ id: `e/${e.id}`, kind: 'excerpt', body: e.quote })),
      ...corpus.cruxes.map(
        (c): SearchDocument => ({
          id: `c/${c.id}`,
          kind: 'crux',
          body: [
            c.id.replaceAll('-', ' '),
            c.question,
            ...c.positions.flatMap((p) => [p.label, p.statement]),
          ].join('\n'),
        }),
      ),
      ...corpus.texts.flatMap((text) =>
        text.lines.map(
          (line, i): SearchDocument => ({ id: `p/${text.id}/${i + 1}`, kind: 'paragraph', body: line }),
        ),
      ),
    ]);
  }

  /** False when every word of `query` is too common to search for ("the", "of"…). */
  isSearchable(query: string): boolean {
    return MiniSearch.getDefault('tokenize')(query).some(
      (word: string) => word.length > 0 && !STOP_WORDS.has(word.toLowerCase()),
    );
  }

  /** Cruxes whose question, positions or id match `query`, best first. */
  cruxes(query: string): Crux[] {
    return this.#index
      .search(query, { filter: (hit) => hit.kind === 'crux' })
      .flatMap((hit) => this.#corpus.cruxById.get(String(hit.id).slice(2)) ?? []);
  }

  /** Excerpts matching `query`, best first, restricted to those `accept` lets through. */
  excerpts(query: string, accept: (excerpt: Excerpt) => boolean = () => true): Excerpt[] {
    return this.#index
      .search(query, { filter: (hit) => hit.kind === 'excerpt' })
      .flatMap((hit) => this.#corpus.excerptById.get(String(hit.id).slice(2)) ?? [])
      .filter(accept);
  }

  /** Paragraphs matching `query`, best first, restricted to those `accept` lets through. */
  paragraphs(query: string, accept: (hit: ParagraphHit) => boolean = () => true): ParagraphHit[] {
    return this.#index
      .search(query, { filter: (hit) => hit.kind === 'paragraph' })
      .map((hit) => {
        const [, textId = '', line = '0'] = String(hit.id).split('/');
        return { textId, line: Number(line), terms: hit.terms };
      })
      .filter(accept);
  }

  /**
   * Autocomplete suggestions for `query`: the query itself first, so a member can search for exactly what
   * they typed, then matching excerpts as snippets that select that excerpt.
   */
  suggest(query: string, accept: (excerpt: Excerpt) => boolean = () => true): Suggestion[] {
    const trimmed = query.trim();
    if (trimmed.length === 0) return [];
    const own: Suggestion = { name: `Search for “${trimmed}”`, value: trimmed };
    const hits = this.#index.search(trimmed, { filter: (hit) => hit.kind === 'excerpt' });
    const suggestions = hits.flatMap((hit) => {
      const excerpt = this.#corpus.excerptById.get(String(hit.id).slice(2));
      if (!excerpt || !accept(excerpt)) return [];
      return [
        {
          name: snippet(excerpt.quote, hit.terms, SNIPPET_CHARS),
          value: `${EXCERPT_VALUE_PREFIX}${excerpt.id}`,
        },
      ];
    });
    return [own, ...suggestions];
  }

  /**
   * A verbatim passage around a matching paragraph, for searches no curated excerpt answers: the whole
   * paragraph when it is short enough, otherwise the sentences around the first match.
   */
  passageFor(hit: ParagraphHit): Passage | undefined {
    const text = this.#corpus.textById.get(hit.textId);
    const line = text?.lines[hit.line - 1];
    const lineStart = text?.lineStarts[hit.line - 1];
    if (!text || line === undefined || lineStart === undefined) return undefined;
    const [start, end] =
      line.length <= MAX_PASSAGE_CHARS ? [0, line.length] : sentenceWindow(line, hit.terms);
    return passageAt(text, lineStart + start, end - start);
  }
}

/** The passage of `text` at `[offset, offset + length)`, with its section and session. */
export function passageAt(text: Text, offset: number, length: number): Passage | undefined {
  if (offset < 0 || length <= 0 || offset + length > text.body.length) return undefined;
  const location = locationOf(
    { id: text.id, body: text.body, lineStarts: text.lineStarts, words: text.words },
    offset,
    length,
  );
  const section = text.sections.find(
    (s) => s.firstLine <= location.startLine && location.startLine <= s.lastLine,
  );
  if (!section) return undefined;
  const quote = text.body.slice(offset, offset + length);
  return {
    textId: text.id,
    sectionId: section.id,
    session: section.session,
    quote,
    words: countWords(quote),
    location,
  };
}

/** Start and end offsets, within `line`, of whole sentences around the first matching term. */
function sentenceWindow(line: string, terms: readonly string[]): [number, number] {
  const sentences = [...SENTENCES.segment(line)].map((s) => ({
    start: s.index,
    end: s.index + s.segment.length,
  }));
  const lower = line.toLowerCase();
  const at = Math.max(
    0,
    Math.min(...terms.map((t) => lower.indexOf(t)).filter((i) => i >= 0), line.length - 1),
  );
  let first = sentences.findIndex((s) => s.start <= at && at < s.end);
  if (first === -1) first = 0;
  let last = first;
  const size = () => (sentences[last]?.end ?? 0) - (sentences[first]?.start ?? 0);
  // Grow forward first: the sentences after a match usually finish its thought.
  while (
    last + 1 < sentences.length &&
    (sentences[last + 1]?.end ?? 0) - (sentences[first]?.start ?? 0) <= MAX_PASSAGE_CHARS
  )
    last++;
  while (first > 0 && (sentences[last]?.end ?? 0) - (sentences[first - 1]?.start ?? 0) <= MAX_PASSAGE_CHARS)
    first--;
  const start = sentences[first]?.start ?? 0;
  const end = size() > MAX_PASSAGE_CHARS ? start + MAX_PASSAGE_CHARS : (sentences[last]?.end ?? line.length);
  // Segments keep their trailing space; a passage should not.
  return [start, start + line.slice(start, end).trimEnd().length];
}

/** A one-line window of `body` around the first matching term, at most `max` characters. */
export function snippet(body: string, terms: readonly string[], max: number): string {
  const flat = oneLine(body);
  if (flat.length <= max) return flat;
  const lower = flat.toLowerCase();
  const positions = terms.map((t) => lower.indexOf(t.toLowerCase())).filter((i) => i >= 0);
  const at = positions.length > 0 ? Math.min(...positions) : 0;
  const start = Math.max(0, Math.min(at - Math.floor(max / 3), flat.length - max + 2));
  const prefix = start > 0 ? '…' : '';
  const room = max - prefix.length - 1;
  const window = flat.slice(start, start + room);
  return `${prefix}${window}${start + room < flat.length ? '…' : flat.slice(start + room, start + room + 1)}`;
}
