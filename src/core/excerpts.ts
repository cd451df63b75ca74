import type { Corpus, Excerpt, Passage, Topic } from './corpus/types.js';

/** The session a server is on until it sets up a reading schedule. */
export const FIRST_SESSION = 1;

/** Which excerpts a request draws from. Unset fields do not narrow. */
export interface ExcerptScope {
  readonly session?: number;
  readonly textId?: string;
  readonly topicId?: string;
  readonly query?: string;
}

/** True when a passage (or excerpt) lies in the scope's session and text; topics are checked by `inScope`. */
export function inPlace(scope: ExcerptScope): (passage: Passage) => boolean {
  return (passage) =>
    (scope.session === undefined || passage.session === scope.session) &&
    (scope.textId === undefined || passage.textId === scope.textId);
}

/** True when a passage lies in the scope's session and text, and its section carries the scope's topic. */
export function passageInScope(corpus: Corpus, scope: ExcerptScope): (passage: Passage) => boolean {
  const place = inPlace(scope);
  return (passage) =>
    place(passage) &&
    (scope.topicId === undefined ||
      (corpus.sectionById.get(passage.sectionId)?.topics.includes(scope.topicId) ?? false));
}

/** True when an excerpt lies in the scope's session, text and topic (the query is matched by search). */
export function inScope(scope: ExcerptScope): (excerpt: Excerpt) => boolean {
  const place = inPlace(scope);
  return (excerpt) =>
    place(excerpt) && (scope.topicId === undefined || excerpt.topics.includes(scope.topicId));
}

/** The topics that excerpts in the scope (ignoring its topic and query) carry, most used first. */
export function topicsAvailable(corpus: Corpus, scope: ExcerptScope): Topic[] {
  const counts = new Map<string, number>();
  for (const excerpt of corpus.excerpts.filter(inScope({ ...scope, topicId: undefined }))) {
    for (const topic of excerpt.topics) counts.set(topic, (counts.get(topic) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).flatMap(([id]) => corpus.topicById.get(id) ?? []);
}

/** "session 3", "Coding agents in session 3 of ‘Notes on…’", "the whole reading list": for messages. */
export function describeScope(corpus: Corpus, scope: ExcerptScope): string {
  const topic = scope.topicId ? corpus.topicById.get(scope.topicId)?.label : undefined;
  const text = scope.textId ? corpus.textById.get(scope.textId)?.title : undefined;
  const place = [
    scope.session !== undefined ? `session ${scope.session}` : undefined,
    text ? `“${text}”` : undefined,
  ].filter(Boolean);
  const where = place.length > 0 ? place.join(' of ') : 'the whole reading list';
  return topic ? `${topic} in ${where}` : where;
}
