/**
 * Rotation without repeats: an item is not offered again until every item in the current scope has been
 * offered. One list of shown ids per server serves every scope, so overlapping scopes (a topic, a session)
 * share their history.
 */

/** How the next item is chosen among those not yet shown. */
export type PickOrder = 'random' | 'in-order';

export interface RotationResult<T> {
  readonly item: T;
  /** The new list of shown ids to store. */
  readonly shown: readonly string[];
  /** True when every item in scope had been shown, so the scope started over. */
  readonly restarted: boolean;
}

/**
 * Picks the next item of `candidates` given the ids already shown. Returns `undefined` only for an empty
 * scope. `random` returns a number in [0, 1), injected so tests are deterministic.
 */
export function nextInRotation<T extends { readonly id: string }>(
  candidates: readonly T[],
  shown: readonly string[],
  order: PickOrder,
  random: () => number,
): RotationResult<T> | undefined {
  if (candidates.length === 0) return undefined;
  const shownSet = new Set(shown);
  let fresh = candidates.filter((c) => !shownSet.has(c.id));
  let history = shown;
  const restarted = fresh.length === 0;
  if (restarted) {
    const inScope = new Set(candidates.map((c) => c.id));
    history = shown.filter((id) => !inScope.has(id));
    fresh = [...candidates];
  }
  const index = order === 'random' ? Math.min(fresh.length - 1, Math.floor(random() * fresh.length)) : 0;
  const item = fresh[index] as T;
  return { item, shown: [...history, item.id], restarted };
}
