import type { Corpus, Passage } from '../corpus/types.js';
import { intParam } from '../custom-id.js';
import { passageAt } from '../search.js';

/**
 * A passage named by text and character span, for custom ids. Curated excerpts and passages found by search
 * are referred to the same way, so Context and Discuss work for both.
 */
export function passageParams(passage: Passage): { t: string; o: number; n: number } {
  return { t: passage.textId, o: passage.location.offset, n: passage.quote.length };
}

/** The passage a custom id names, or `undefined` if the id is stale or forged. */
export function passageFromParams(
  corpus: Corpus,
  params: Readonly<Record<string, string>>,
): Passage | undefined {
  const text = corpus.textById.get(params.t ?? '');
  if (!text) return undefined;
  return passageAt(text, intParam(params, 'o', -1), intParam(params, 'n', 0));
}
