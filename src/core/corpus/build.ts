import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { DISCORD_LIMITS } from '../limits.js';
import { countWords, endsSentence } from '../text.js';
import { indexLines, type LocatableText, type LocateFailure, locateQuote } from './locate.js';
import { CORPUS_RULES } from './rules.js';
import {
  CruxSchema,
  ExcerptSchema,
  type RawCorpus,
  SessionSchema,
  TextSchema,
  TopicSchema,
} from './schema.js';
import type {
  Corpus,
  Crux,
  Excerpt,
  Location,
  Passage,
  Position,
  Reading,
  Section,
  Session,
  Text,
  Topic,
} from './types.js';

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

  // Texts and their sections. Sessions are assigned once the schedule is read.
  const locatable = new Map<string, LocatableText>();
  const sectionDrafts = new Map<string, Omit<Section, 'session'>>();
  const textDrafts: Array<Omit<Text, 'sections'> & { sectionIds: string[] }> = [];
  for (const [index, text] of (textsRaw ?? []).entries()) {
    const where = `texts.json[${index}] (${text.id})`;
    if (locatable.has(text.id)) report(`${where}: text id is used twice`);
    const bytes = raw.files.get(text.file);
    if (!bytes) {
      report(`${where}: file data/${text.file} is missing`);
      continue;
    }
    if (text.sha256 && createHash('sha256').update(bytes).digest('hex') !== text.sha256) {
      report(
        `${where}: data/${text.file} does not match its sha256; the texts must stay byte for byte as published`,
      );
    }
    let body: string;
    try {
      body = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      report(`${where}: data/${text.file} is not valid UTF-8`);
      continue;
    }
    const indexed = indexLines(text.id, body);
    locatable.set(text.id, indexed);
    const lines = body.split('\n');
    checkTopics(
      where,
      text.sections.flatMap((s) => s.topics),
    );
    let expectedFirst = 1;
    for (const section of [...text.sections].sort((a, b) => a.lines[0] - b.lines[0])) {
      const [first, last] = section.lines;
      const sectionWhere = `${where} section ${section.id}`;
      if (sectionDrafts.has(section.id)) report(`${sectionWhere}: section id is used twice`);
      if (last < first || last > lines.length) {
        report(
          `${sectionWhere}: lines ${first}–${last} are not a range inside the text's ${lines.length} lines`,
        );
      }
      if (first !== expectedFirst) {
        report(
          `${sectionWhere}: starts at line ${first} but line ${expectedFirst} comes next; sections must cover the text without gaps or overlaps`,
        );
      }
      expectedFirst = Math.max(expectedFirst, last + 1);
      sectionDrafts.set(section.id, {
        id: section.id,
        textId: text.id,
        heading: section.heading,
        topics: section.topics,
        firstLine: first,
        lastLine: last,
        words: countWords(lines.slice(first - 1, last).join('\n')),
      });
    }
    if (expectedFirst !== lines.length + 1) {
      report(`${where}: sections end at line ${expectedFirst - 1} but the text has ${lines.length} lines`);
    }
    textDrafts.push({
      id: text.id,
      title: text.title,
      kind: text.kind,
      summary: text.summary,
      body,
      lines,
      lineStarts: indexed.lineStarts,
      words: indexed.words,
      sectionIds: text.sections.map((s) => s.id),
    });
  }

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
    const text = locatable.get(textId);
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
    const text = locatable.get(excerpt.text);
    if (!text) {
      if (textsRaw) report(`${where}: unknown text "${excerpt.text}"`);
      continue;
    }
    if (!section || section.textId !== excerpt.text) {
      if (textsRaw) report(`${where}: "${excerpt.section}" is not a section of ${excerpt.text}`);
      continue;
    }
    const found = locateQuote(text, excerpt.quote, { first: section.firstLine, last: section.lastLine });
    if (typeof found === 'string') {
      report(
        `${where}: quote ${FAILURE_TEXT[found]} ${excerpt.text} lines ${section.firstLine}–${section.lastLine}`,
      );
      continue;
    }
    const located = passage(excerpt.text, excerpt.quote, found);
    if (!located) continue;
    excerptById.set(excerpt.id, { ...located, id: excerpt.id, topics: excerpt.topics });
    excerptsPerSession.set(located.session, (excerptsPerSession.get(located.session) ?? 0) + 1);
  }

  // Cruxes.
  const cruxById = new Map<string, Crux>();
  const cruxesPerSession = new Map<number, number>();
  for (const [index, crux] of (cruxesRaw ?? []).entries()) {
    const where = `cruxes.json[${index}] (${crux.id})`;
    if (cruxById.has(crux.id)) report(`${where}: crux id is used twice`);
    checkTopics(where, crux.topics);
    if (scheduleRaw && !sessionNumbers.has(crux.session))
      report(`${where}: session ${crux.session} does not exist`);
    const positions: Position[] = [];
    const positionIds = new Set<string>();
    let quotesFromOwnSession = 0;
    for (const position of crux.positions) {
      const positionWhere = `${where} position ${position.id}`;
      if (positionIds.has(position.id)) report(`${positionWhere}: position id is used twice in this crux`);
      positionIds.add(position.id);
      if (!isOneSentence(position.statement)) report(`${positionWhere}: the statement must be one sentence`);
      const quotes: Passage[] = [];
      for (const [quoteIndex, quote] of position.quotes.entries()) {
        const quoteWhere = `${positionWhere} quote ${quoteIndex + 1}`;
        const { min, max } = CORPUS_RULES.cruxQuoteChars;
        if (quote.quote.length < min || quote.quote.length > max) {
          report(`${quoteWhere}: ${quote.quote.length} characters; supporting quotes are ${min}–${max}`);
        }
        const text = locatable.get(quote.text);
        if (!text) {
          if (textsRaw) report(`${quoteWhere}: unknown text "${quote.text}"`);
          continue;
        }
        const found = locateQuote(text, quote.quote);
        if (typeof found === 'string') {
          report(`${quoteWhere}: quote ${FAILURE_TEXT[found]} ${quote.text}`);
          continue;
        }
        const located = passage(quote.text, quote.quote, found);
        if (!located) continue;
        if (located.session > crux.session) {
          report(
            `${quoteWhere}: comes from session ${located.session}, after the crux's session ${crux.session}; a crux may not spoil later readings`,
          );
        }
        if (located.session === crux.session) quotesFromOwnSession++;
        quotes.push(located);
      }
      positions.push({ id: position.id, label: position.label, statement: position.statement, quotes });
    }
    if (textsRaw && scheduleRaw && quotesFromOwnSession === 0) {
      report(`${where}: no supporting quote comes from session ${crux.session}'s reading`);
    }
    cruxById.set(crux.id, { ...crux, positions });
    cruxesPerSession.set(crux.session, (cruxesPerSession.get(crux.session) ?? 0) + 1);
  }

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

  const texts: Text[] = textDrafts.map(({ sectionIds, ...text }) => ({
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
    };
  });
  return {
    ok: true,
    corpus: {
      topics: [...topicById.values()],
      texts,
      sessions,
      excerpts: [...excerptById.values()],
      cruxes: [...cruxById.values()],
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

/** One sentence: ends a sentence, and no sentence ends before that. */
function isOneSentence(statement: string): boolean {
  return endsSentence(statement) && !/[.!?…]["'”’)\]]*\s+[A-Z]/u.test(statement);
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
