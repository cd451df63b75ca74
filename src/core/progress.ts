import type { Corpus, Section } from './corpus/types.js';

/**
 * The group's progress through the reading list, as sets of section ids: a session counts as done when
 * every section it reads is covered, whether it was posted or a facilitator marked it.
 */

/** What a facilitator marks or unmarks: a whole session, a whole text, or one section. */
export type CoverageTarget =
  | { readonly kind: 'session'; readonly session: number }
  | { readonly kind: 'text'; readonly textId: string }
  | { readonly kind: 'section'; readonly sectionId: string };

/** The section ids a target stands for; empty when it names nothing in the corpus. */
export function sectionsOf(corpus: Corpus, target: CoverageTarget): string[] {
  switch (target.kind) {
    case 'session':
      return corpus.sessions.find((s) => s.number === target.session)?.sections.map((s) => s.id) ?? [];
    case 'text':
      return corpus.textById.get(target.textId)?.sections.map((s) => s.id) ?? [];
    case 'section':
      return corpus.sectionById.has(target.sectionId) ? [target.sectionId] : [];
  }
}

/** A target in words: "session 3", "“Notes on coding agents…”", "the section “Apparent-success-seeking”". */
export function describeTarget(corpus: Corpus, target: CoverageTarget): string {
  switch (target.kind) {
    case 'session':
      return `session ${target.session}`;
    case 'text':
      return `“${corpus.textById.get(target.textId)?.title ?? target.textId}”`;
    case 'section':
      return `the section “${corpus.sectionById.get(target.sectionId)?.heading ?? target.sectionId}”`;
  }
}

/** `covered` with `sections` added, in corpus order. */
export function withCovered(
  corpus: Corpus,
  covered: readonly string[],
  sections: readonly string[],
): string[] {
  const all = new Set([...covered, ...sections]);
  return allSections(corpus)
    .filter((s) => all.has(s.id))
    .map((s) => s.id);
}

/** `covered` with `sections` removed. */
export function withoutCovered(covered: readonly string[], sections: readonly string[]): string[] {
  const removed = new Set(sections);
  return covered.filter((id) => !removed.has(id));
}

/** Sessions every section of which is covered. */
export function sessionsDone(corpus: Corpus, covered: readonly string[]): number[] {
  const set = new Set(covered);
  return corpus.sessions
    .filter((s) => s.sections.every((section) => set.has(section.id)))
    .map((s) => s.number);
}

/**
 * The last session the group has reached: the week's session, or a later one it has read ahead to. What
 * /excerpt and /crux offer by default stops here, so nothing spoils a later week.
 */
export function reachedSession(
  corpus: Corpus,
  progress: { readonly session: number; readonly covered: readonly string[] },
): number {
  return Math.max(progress.session, ...sessionsDone(corpus, progress.covered));
}

/** Where a group is: the week's session and the last one reached. */
export function groupPlace(
  corpus: Corpus,
  progress: { readonly session: number; readonly covered: readonly string[] },
): { readonly current: number; readonly reached: number } {
  return { current: progress.session, reached: reachedSession(corpus, progress) };
}

/** Per text: how many of its sections are covered. */
export function textCoverage(
  corpus: Corpus,
  covered: readonly string[],
): { readonly textId: string; readonly title: string; readonly covered: number; readonly total: number }[] {
  const set = new Set(covered);
  return corpus.texts.map((text) => ({
    textId: text.id,
    title: text.title,
    covered: text.sections.filter((s) => set.has(s.id)).length,
    total: text.sections.length,
  }));
}

/** "▰▰▰▰▱▱▱▱ 4/8". */
export function progressBar(done: number, total: number, width = 10): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return `${'▰'.repeat(filled)}${'▱'.repeat(width - filled)} ${done}/${total}`;
}

function allSections(corpus: Corpus): Section[] {
  return corpus.sessions.flatMap((s) => s.sections);
}
