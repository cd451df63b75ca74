import type { z } from 'zod';
import { DISCORD_LIMITS } from '../limits.js';
import { countWords } from '../text.js';
import { checkCruxes } from './check-cruxes.js';
import { checkTexts } from './check-texts.js';
import { type LocateFailure, locateQuote } from './locate.js';
import { CORPUS_RULES } from './rules.js';
import {
  CruxSchema,
  ExcerptSchema,
  type RawCorpus,
  SessionSchema,
  TextSchema,
  TopicSchema,
} from './schema.js';
import type { Corpus, Excerpt, Location, Passage, Reading, Section, Session, Text, Topic } from './types.js';
import { soleWriter } from './voices.js';

/** The outcome of loading the corpus: the corpus when it is valid, and every problem found either way. */
export type BuildResult =
  | { readonly ok: true; readonly corpus: Corpus }
  | { readonly ok: false; readonly problems: readonly string[] };

const FAILURE_TEXT: Record<LocateFailure, string> = {
  'not-verbatim': 'is not verbatim in',
  'outside-range': 'is verbatim but outside the lines of its section in',
  'not-sentences': 'does not start and end at sentence boundaries in',
};

/**
 * Validates the raw contents of `data/` and builds the corpus. Every problem is collected rather than
 * stopping at the first, so whoever edits the data sees the full list in one run.
 */
export function buildCorpus(raw: RawCorpus): BuildResult {
  const problems: string[] = [];
  const report = (message: string) => problems.push(message);

  const topicsRaw = parseEach('topics.json', TopicSchema, raw.json.topics, report);
  const textsRaw = parseEach('texts.json', TextSchema, raw.json.texts, report);
  const scheduleRaw = parseEach('schedule.json', SessionSchema, raw.json.schedule, report);
  const excerptsRaw = parseEach('excerpts.json', ExcerptSchema, raw.json.excerpts, report);
  const cruxesRaw = parseEach('cruxes.json', CruxSchema, raw.json.cruxes, report);
  if (topicsRaw && topicsRaw.length > DISCORD_LIMITS.autocompleteChoices) {
    report(`topics.json: ${topicsRaw.length} topics; /excerpt offers them as choices, and Discord allows 25`);
  }

  const topicById = new Map<string, Topic>();
  for (const topic of topicsRaw ?? []) {
    if (topicById.has(topic.id)) report(`topics.json: topic id "${topic.id}" is used twice`);
    topicById.set(topic.id, topic);
  }
  const checkTopics = (where: string, topics: readonly string[]) => {
    for (const topic of topics) {
      if (topicsRaw && !topicById.has(topic))
        report(`${where}: unknown topic "${topic}" (see data/topics.json)`);
    }
  };

  // Texts, their sections and who wrote each line. Sessions are assigned once the schedule is read.
  const checked = checkTexts(textsRaw ?? [], raw.files, report);
  for (const [index, text] of (textsRaw ?? []).entries()) {
    checkTopics(
      `texts.json[${index}] (${text.id})`,
      text.sections.flatMap((s) => s.topics),
    );
  }
  const sectionDrafts = checked.sections;

  // The schedule: every section read exactly once, sessions numbered 1..n.
  const sessionOfSection = new Map<string, number>();
  const sessionNumbers = new Set<number>();
  for (const [index, session] of (scheduleRaw ?? []).entries()) {
    const where = `schedule.json[${index}] (session ${session.session})`;
    if (session.session !== index + 1) report(`${where}: sessions must be numbered 1, 2, 3… in order`);
    sessionNumbers.add(session.session);
    let words = 0;
    for (const sectionId of session.sections) {
      const section = sectionDrafts.get(sectionId);
      if (!section) {
        if (textsRaw) report(`${where}: unknown section "${sectionId}"`);
        continue;
      }
      if (sessionOfSection.has(sectionId)) {
        report(
          `${where}: section "${sectionId}" is already read in session ${sessionOfSection.get(sectionId)}`,
        );
      }
      sessionOfSection.set(sectionId, session.session);
      words += section.words;
    }
    const { min, max } = CORPUS_RULES.sessionWords;
    if (textsRaw && (words < min || words > max))
      report(`${where}: ${words} words; a session reads ${min}–${max}`);
  }
  if (scheduleRaw) {
    const { min, max } = CORPUS_RULES.sessions;
    if (scheduleRaw.length < min || scheduleRaw.length > max) {
      report(`schedule.json: ${scheduleRaw.length} sessions; the schedule needs ${min}–${max}`);
    }
    for (const sectionId of sectionDrafts.keys()) {
      if (!sessionOfSection.has(sectionId))
        report(`schedule.json: section "${sectionId}" is not read in any session`);
    }
  }

  const sectionById = new Map<string, Section>();
  for (const [id, draft] of sectionDrafts)
    sectionById.set(id, { ...draft, session: sessionOfSection.get(id) ?? 0 });

  const passage = (textId: string, quote: string, location: Location): Passage | undefined => {
    const text = checked.textById.get(textId);
    const section = [...sectionById.values()].find(
      (s) => s.textId === textId && s.firstLine <= location.startLine && location.startLine <= s.lastLine,
    );
    if (!text || !section) return undefined;
    return {
      textId,
      sectionId: section.id,
      session: section.session,
      quote,
      words: countWords(quote),
      location,
    };
  };

  // Excerpts.
  const excerptById = new Map<string, Excerpt>();
  const excerptsPerSession = new Map<number, number>();
  for (const [index, excerpt] of (excerptsRaw ?? []).entries()) {
    const where = `excerpts.json[${index}] (${excerpt.id})`;
    if (excerptById.has(excerpt.id)) report(`${where}: excerpt id is used twice`);
    checkTopics(where, excerpt.topics);
    const { min, max } = CORPUS_RULES.excerptChars;
    if (excerpt.quote.length < min || excerpt.quote.length > max) {
      report(`${where}: quote is ${excerpt.quote.length} characters; excerpts are ${min}–${max}`);
    }
    const section = sectionById.get(excerpt.section);
    const text = checked.textById.get(excerpt.text);
    if (!text) {
      if (textsRaw) report(`${where}: unknown text "${excerpt.text}"`);
      continue;
    }
    if (!section || section.textId !== excerpt.text) {
      if (textsRaw) report(`${where}: "${excerpt.section}" is not a section of ${excerpt.text}`);
      continue;
    }
    const found = locateQuote(text.locatable, excerpt.quote, {
      first: section.firstLine,
      last: section.lastLine,
    });
    if (typeof found === 'string') {
      report(
        `${where}: quote ${FAILURE_TEXT[found]} ${excerpt.text} lines ${section.firstLine}–${section.lastLine}`,
      );
      continue;
    }
    if (!soleWriter(text, found.startLine, found.endLine)) {
      report(
        `${where}: lines ${found.startLine}–${found.endLine} are by more than one writer; an excerpt is one writer's words`,
      );
    }
    const located = passage(excerpt.text, excerpt.quote, found);
    if (!located) continue;
    excerptById.set(excerpt.id, { ...located, id: excerpt.id, topics: excerpt.topics });
    excerptsPerSession.set(located.session, (excerptsPerSession.get(located.session) ?? 0) + 1);
  }

  // Cruxes.
  const sessionOfLine = (textId: string, line: number) =>
    [...sectionById.values()].find((s) => s.textId === textId && s.firstLine <= line && line <= s.lastLine)
      ?.session;
  const cruxes = checkCruxes(cruxesRaw ?? [], {
    textById: checked.textById,
    sessionOfLine,
    passage,
    sessionNumbers: scheduleRaw ? sessionNumbers : undefined,
    checkTopics,
    report,
    failureText: FAILURE_TEXT,
  });
  const cruxById = new Map(cruxes.map((crux) => [crux.id, crux]));
  const cruxesPerSession = new Map<number, number>();
  for (const crux of cruxes)
    cruxesPerSession.set(crux.session, (cruxesPerSession.get(crux.session) ?? 0) + 1);

  // Every session needs enough material for a week.
  for (const number of sessionNumbers) {
    const excerpts = excerptsPerSession.get(number) ?? 0;
    if (excerptsRaw && excerpts < CORPUS_RULES.excerptsPerSession) {
      report(
        `session ${number}: ${excerpts} excerpts; every session needs at least ${CORPUS_RULES.excerptsPerSession}`,
      );
    }
    const cruxes = cruxesPerSession.get(number) ?? 0;
    if (cruxesRaw && cruxes < CORPUS_RULES.cruxesPerSession) {
      report(
        `session ${number}: ${cruxes} cruxes; every session needs at least ${CORPUS_RULES.cruxesPerSession}`,
      );
    }
  }

  if (problems.length > 0 || !topicsRaw || !textsRaw || !scheduleRaw || !excerptsRaw || !cruxesRaw) {
    return { ok: false, problems };
  }

  const texts: Text[] = checked.texts.map(({ sectionIds, locatable: _index, ...text }) => ({
    ...text,
    sections: sectionIds.flatMap((id) => sectionById.get(id) ?? []),
  }));
  const sessions: Session[] = scheduleRaw.map((session) => {
    const sections = session.sections.flatMap((id) => sectionById.get(id) ?? []);
    return {
      number: session.session,
      title: session.title,
      sections,
      readings: groupReadings(sections),
      words: sections.reduce((sum, s) => sum + s.words, 0),
      ...(session.note ? { note: session.note } : {}),
    };
  });
  return {
    ok: true,
    corpus: {
      topics: [...topicById.values()],
      texts,
      sessions,
      excerpts: [...excerptById.values()],
      cruxes,
      topicById,
      textById: new Map(texts.map((t) => [t.id, t])),
      sectionById,
      excerptById,
      cruxById,
    },
  };
}

/** Consecutive sections of the same text form one reading. */
function groupReadings(sections: readonly Section[]): Reading[] {
  const readings: Array<{ textId: string; sections: Section[]; words: number }> = [];
  for (const section of sections) {
    const last = readings.at(-1);
    if (last && last.textId === section.textId) {
      last.sections.push(section);
      last.words += section.words;
    } else {
      readings.push({ textId: section.textId, sections: [section], words: section.words });
    }
  }
  return readings;
}

/**
 * Parses a file that must be an array, entry by entry: an invalid entry is reported and left out, and the
 * valid ones go on to the semantic checks, so one bad entry never hides problems in the others.
 */
function parseEach<T extends z.ZodType>(
  file: string,
  schema: T,
  value: unknown,
  report: (message: string) => void,
): Array<z.infer<T>> | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    report(`${file}: must be a JSON array`);
    return undefined;
  }
  const entries: Array<z.infer<T>> = [];
  for (const [index, entry] of value.entries()) {
    const result = schema.safeParse(entry);
    if (result.success) {
      entries.push(result.data);
      continue;
    }
    const id = typeof entry === 'object' && entry && 'id' in entry ? ` (${String(entry.id)})` : '';
    for (const issue of result.error.issues) {
      const path = issue.path
        .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
        .join('');
      report(`${file}[${index}]${id}${path}: ${issue.message}`);
    }
  }
  return entries;
}
