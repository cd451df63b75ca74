import { param } from '../components.js';
import { ID_IN_BUTTONS_MAX } from '../corpus/schema.js';
import type { Corpus, Passage } from '../corpus/types.js';
import { passageAt } from '../search.js';

/**
 * A passage named by text and character span, for custom ids. Curated excerpts and passages found by search
 * are referred to the same way, so Context and Discuss work for both.
 */
export const PASSAGE_PARAMS = {
  t: param.slug(ID_IN_BUTTONS_MAX),
  o: param.int(0, 100_000_000),
  n: param.int(1, 100_000),
} as const;

/** The custom id parameters naming a passage. */
export function passageParams(passage: Passage): { t: string; o: number; n: number } {
  return { t: passage.textId, o: passage.location.offset, n: passage.quote.length };
}

/** The passage a custom id names, or `undefined` if the id is stale (the text changed) or forged. */
export function passageFromParams(
  corpus: Corpus,
  params: { readonly t: string; readonly o: number; readonly n: number },
): Passage | undefined {
  const text = corpus.textById.get(params.t);
  return text ? passageAt(text, params.o, params.n) : undefined;
}
