import type { Corpus, Crux } from './corpus/types.js';
import { UserError } from './errors.js';
import { literal } from './format.js';
import type { CorpusSearch } from './search.js';
import { oneLine } from './text.js';

/** Finding a crux from what a member typed: the suggestions while typing, and what the typed text means. */

/** Autocomplete choices for a crux option: its question, with the session it belongs to. */
export function cruxChoices(
  corpus: Corpus,
  search: CorpusSearch,
  typed: string,
  keep: (crux: Crux) => boolean = () => true,
): { name: string; value: string }[] {
  const text = typed.trim();
  return (text ? search.cruxes(text) : corpus.cruxes).filter(keep).map((crux) => ({
    name: `Session ${crux.session} · ${oneLine(crux.question)}`,
    value: crux.id,
  }));
}

/** What typed text names: one crux, several (to choose from), or none. */
export type CruxLookup =
  | { readonly kind: 'found'; readonly crux: Crux }
  | { readonly kind: 'several'; readonly cruxes: readonly Crux[] }
  | { readonly kind: 'none' };

/**
 * The crux an option names: its id (a picked suggestion), or words from its question when only one crux
 * among those `keep` allows matches them.
 */
export function lookUpCrux(
  corpus: Corpus,
  search: CorpusSearch,
  typed: string,
  keep: (crux: Crux) => boolean = () => true,
): CruxLookup {
  const exact = corpus.cruxById.get(typed);
  if (exact) return { kind: 'found', crux: exact };
  const found = search.cruxes(typed).filter(keep);
  if (found.length === 1 && found[0]) return { kind: 'found', crux: found[0] };
  return found.length > 1 ? { kind: 'several', cruxes: found } : { kind: 'none' };
}

/** The one crux typed text names; otherwise a `UserError` saying how to pick one (`option` names the option). */
export function findCrux(
  corpus: Corpus,
  search: CorpusSearch,
  typed: string,
  option: string,
  keep: (crux: Crux) => boolean = () => true,
): Crux {
  const lookup = lookUpCrux(corpus, search, typed, keep);
  if (lookup.kind === 'found') return lookup.crux;
  throw new UserError(cruxNotFound(typed, lookup, option));
}

/** The private answer when typed text names several cruxes or none; `option` is the option's name. */
export function cruxNotFound(
  typed: string,
  lookup: Exclude<CruxLookup, { kind: 'found' }>,
  option: string,
): string {
  if (lookup.kind === 'several') {
    return [
      `Several cruxes match “${literal(typed)}”. Pick one of the suggestions as you type in **${option}**:`,
      ...lookup.cruxes.slice(0, 5).map((crux) => `• ${literal(crux.question)} (\`${crux.id}\`)`),
    ].join('\n');
  }
  return `No crux matches “${literal(typed)}”. Type words from a question in the **${option}** option and pick one of the suggestions.`;
}
