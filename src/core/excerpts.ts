import type { Corpus, Excerpt, Passage, Topic } from './corpus/types.js';
import { nextInRotation } from './rotation.js';
import type { CorpusSearch } from './search.js';

/**
 * Which excerpts a request draws from. `session` is an explicit ask for one session; otherwise `through`
 * keeps to the sessions the group has reached, so nothing spoils a later week. Unset fields do not narrow.
 */
export interface ExcerptScope {
  readonly session?: number;
  readonly through?: number;
  readonly textId?: string;
  readonly topicId?: string;
  readonly query?: string;
}

/** What a member asked for with /excerpt's options. */
export interface ExcerptRequest {
  readonly session?: number | undefined;
  readonly textId?: string | undefined;
  readonly topicId?: string | undefined;
  readonly query?: string | undefined;
  /** Asked for material beyond the sessions the group has reached. */
  readonly ahead?: boolean | undefined;
}

/** Where a server's group is: the week's session, and the last session it has reached (read ahead to). */
export interface GroupPlace {
  readonly current: number;
  readonly reached: number;
}

/**
 * The scope of a request: the week's session by default; every session reached so far when the member
 * narrows by text, topic or search; a named session. Anything beyond the sessions reached only with
 * `ahead`, so nothing spoils a later week by accident. Returns the session that would need `ahead` when
 * the member named one without it.
 */
export function scopeFor(
  request: ExcerptRequest,
  place: GroupPlace,
): ExcerptScope | { readonly needsAhead: number } {
  if (request.session !== undefined && request.session > place.reached && !request.ahead)
    return { needsAhead: request.session };
  const narrowed =
    request.textId !== undefined || request.topicId !== undefined || request.query !== undefined;
  const sessions =
    request.session !== undefined
      ? { session: request.session }
      : request.ahead
        ? {}
        : narrowed
          ? { through: place.reached }
          : { session: place.current };
  return {
    ...sessions,
    ...(request.textId !== undefined ? { textId: request.textId } : {}),
    ...(request.topicId !== undefined ? { topicId: request.topicId } : {}),
    ...(request.query !== undefined ? { query: request.query } : {}),
  };
}

/** True when a passage lies in the scope's sessions and text, and its section carries the scope's topic. */
export function passageInScope(corpus: Corpus, scope: ExcerptScope): (passage: Passage) => boolean {
  return (passage) =>
    inSessions(scope, passage.session) &&
    (scope.textId === undefined || passage.textId === scope.textId) &&
    (scope.topicId === undefined ||
      (corpus.sectionById.get(passage.sectionId)?.topics.includes(scope.topicId) ?? false));
}

/** True when an excerpt lies in the scope's sessions, text and topic (the query is matched by search). */
export function inScope(scope: ExcerptScope): (excerpt: Excerpt) => boolean {
  return (excerpt) =>
    inSessions(scope, excerpt.session) &&
    (scope.textId === undefined || excerpt.textId === scope.textId) &&
    (scope.topicId === undefined || excerpt.topics.includes(scope.topicId));
}

function inSessions(scope: ExcerptScope, session: number): boolean {
  if (scope.session !== undefined) return session === scope.session;
  return scope.through === undefined || session <= scope.through;
}

/** The topics that excerpts in the scope (ignoring its topic and query) carry, most used first. */
export function topicsAvailable(corpus: Corpus, scope: ExcerptScope): Topic[] {
  const counts = new Map<string, number>();
  for (const excerpt of corpus.excerpts.filter(inScope({ ...scope, topicId: undefined }))) {
    for (const topic of excerpt.topics) counts.set(topic, (counts.get(topic) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).flatMap(([id]) => corpus.topicById.get(id) ?? []);
}

/** "Coding agents in sessions 1–3 of “Notes on…”": the scope in words, for messages. */
export function describeScope(corpus: Corpus, scope: ExcerptScope): string {
  const topic = scope.topicId ? corpus.topicById.get(scope.topicId)?.label : undefined;
  const text = scope.textId ? corpus.textById.get(scope.textId)?.title : undefined;
  const sessions =
    scope.session !== undefined
      ? `session ${scope.session}`
      : scope.through === undefined
        ? undefined
        : scope.through === 1
          ? 'session 1'
          : `sessions 1–${scope.through}`;
  const place = [sessions, text ? `“${text}”` : undefined].filter(Boolean);
  const where = place.length > 0 ? place.join(' of ') : 'the whole reading list';
  return topic ? `${topic} in ${where}` : where;
}

/** Paragraphs shorter than this (bylines, one-line remarks) are not served as passages. */
const MIN_PASSAGE_CHARS = 150;

/** The outcome of choosing what /excerpt shows. */
export type ExcerptPick =
  | {
      readonly kind: 'excerpt' | 'passage';
      readonly passage: Passage | Excerpt;
      /** The server's shown-list after this pick. */
      readonly shown: readonly string[];
      /** Every candidate had been shown, so the round started again. */
      readonly restarted: boolean;
    }
  | {
      readonly kind: 'nothing';
      readonly reason: 'no-match' | 'empty-scope' | 'too-common';
      readonly topics: readonly Topic[];
    };

/**
 * Chooses the next excerpt in scope that the server has not seen. A search that no curated excerpt answers
 * falls back to verbatim passages of the texts (whole paragraphs, or the sentences around the match),
 * rotated the same way, so Another moves on.
 */
export function pickExcerpt(
  corpus: Corpus,
  search: CorpusSearch,
  scope: ExcerptScope,
  shown: readonly string[],
  random: () => number,
): ExcerptPick {
  const nothing = (reason: 'no-match' | 'empty-scope' | 'too-common'): ExcerptPick => ({
    kind: 'nothing',
    reason,
    topics: topicsAvailable(corpus, scope),
  });
  if (scope.query !== undefined && !search.isSearchable(scope.query)) return nothing('too-common');
  const excerpts = scope.query
    ? search.excerpts(scope.query, inScope(scope))
    : corpus.excerpts.filter(inScope(scope));
  const excerpt = nextInRotation(excerpts, shown, 'random', random);
  if (excerpt)
    return { kind: 'excerpt', passage: excerpt.item, shown: excerpt.shown, restarted: excerpt.restarted };
  if (!scope.query) return nothing('empty-scope');
  const accept = passageInScope(corpus, scope);
  const passages = search.paragraphs(scope.query).flatMap((hit) => {
    const passage = search.passageFor(hit);
    return passage && passage.quote.length >= MIN_PASSAGE_CHARS && accept(passage)
      ? [{ id: `passage:${hit.textId}:${hit.line}`, passage }]
      : [];
  });
  const next = nextInRotation(passages, shown, 'in-order', random);
  if (!next) return nothing('no-match');
  return { kind: 'passage', passage: next.item.passage, shown: next.shown, restarted: next.restarted };
}
