import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCorpus } from '../../../src/core/corpus/build.js';
import { corpusFigures, FIGURES_BLOCK } from '../../../src/core/corpus/figures.js';
import { readRawCorpus } from '../../../src/core/corpus/read.js';
import { CORPUS_RULES } from '../../../src/core/corpus/rules.js';
import type { RawCorpus } from '../../../src/core/corpus/schema.js';
import { DISCORD_LIMITS } from '../../../src/core/limits.js';
import { countWords } from '../../../src/core/text.js';
import { shippedCorpus } from '../../helpers/context.js';

// biome-ignore lint/suspicious/noExplicitAny: the cases break raw JSON in arbitrary ways.
type Json = Record<string, any>;
type Data = { topics: Json[]; texts: Json[]; schedule: Json[]; excerpts: Json[]; cruxes: Json[] };
/** The lines of a text file, for cases that build quotes from the texts. */
type LinesOf = (text: Json) => string[];

/** The shipped raw data, deep-copied so each case can break it its own way. */
async function rawCopy(): Promise<{ raw: RawCorpus; json: Data; linesOf: LinesOf }> {
  const { raw } = await readRawCorpus();
  const json = structuredClone(raw.json) as Data;
  const linesOf: LinesOf = (text) => (raw.files.get(text.file)?.toString('utf8') ?? '').split('\n');
  return { raw: { json, files: raw.files }, json, linesOf };
}

/** Two voices of a text next to each other, by different writers, inside one section. */
function adjacentVoices(text: Json): [Json, Json] {
  const voices = text.voices as Json[];
  for (let i = 0; i + 1 < voices.length; i++) {
    const [voice, next] = [voices[i], voices[i + 1]] as [Json, Json];
    const sameSection = (text.sections as Json[]).some(
      (s) => s.lines[0] <= voice.lines[0] && next.lines[1] <= s.lines[1],
    );
    if (voice.writer !== next.writer && sameSection) return [voice, next];
  }
  throw new Error(`${text.id} has no two writers in one section`);
}

describe('the shipped corpus', () => {
  it('passes validation', async () => {
    const { raw, problems } = await readRawCorpus();
    const result = buildCorpus(raw);
    expect(problems).toEqual([]);
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('has the material a reading group needs', async () => {
    const { corpus } = await shippedCorpus();
    expect(corpus.texts).toHaveLength(4);
    expect(corpus.sessions.length).toBeGreaterThanOrEqual(CORPUS_RULES.sessions.min);
    expect(corpus.sessions.length).toBeLessThanOrEqual(CORPUS_RULES.sessions.max);
    expect(corpus.excerpts.length).toBeGreaterThanOrEqual(80);
    expect(corpus.cruxes.length).toBeGreaterThanOrEqual(16);
    for (const session of corpus.sessions) {
      expect(session.words, `session ${session.number}`).toBeGreaterThanOrEqual(1500);
      expect(session.words, `session ${session.number}`).toBeLessThanOrEqual(4000);
      expect(corpus.excerpts.filter((e) => e.session === session.number).length).toBeGreaterThanOrEqual(6);
      expect(corpus.cruxes.filter((c) => c.session === session.number).length).toBeGreaterThanOrEqual(1);
    }
  });

  it('reads every line of every text exactly once across the schedule', async () => {
    const { corpus } = await shippedCorpus();
    for (const text of corpus.texts) {
      const reads = new Array<number>(text.lines.length).fill(0);
      for (const section of corpus.sessions.flatMap((s) => s.sections).filter((s) => s.textId === text.id)) {
        for (let line = section.firstLine; line <= section.lastLine; line++)
          reads[line - 1] = (reads[line - 1] ?? 0) + 1;
      }
      expect(
        reads.every((count) => count === 1),
        text.id,
      ).toBe(true);
      expect(
        corpus.sessions.reduce(
          (sum, s) => sum + s.readings.filter((r) => r.textId === text.id).reduce((w, r) => w + r.words, 0),
          0,
        ),
      ).toBe(countWords(text.body));
    }
  });

  it('quotes every excerpt verbatim, 150–1,200 characters, inside its section', async () => {
    const { corpus } = await shippedCorpus();
    for (const excerpt of corpus.excerpts) {
      const text = corpus.textById.get(excerpt.textId);
      const section = corpus.sectionById.get(excerpt.sectionId);
      expect(
        text?.body.slice(excerpt.location.offset, excerpt.location.offset + excerpt.quote.length),
        excerpt.id,
      ).toBe(excerpt.quote);
      expect(excerpt.quote.length).toBeGreaterThanOrEqual(150);
      expect(excerpt.quote.length).toBeLessThanOrEqual(1200);
      expect(excerpt.location.startLine).toBeGreaterThanOrEqual(section?.firstLine ?? Number.NaN);
      expect(excerpt.location.endLine).toBeLessThanOrEqual(section?.lastLine ?? Number.NaN);
    }
  });

  it('backs every crux position with verbatim quotes no later than its session, and fits native polls', async () => {
    const { corpus } = await shippedCorpus();
    for (const crux of corpus.cruxes) {
      expect(crux.question.length, crux.id).toBeLessThanOrEqual(DISCORD_LIMITS.pollQuestion);
      expect(crux.positions.length).toBeGreaterThanOrEqual(2);
      // One poll answer per position plus "Unsure".
      expect(crux.positions.length + 1).toBeLessThanOrEqual(DISCORD_LIMITS.pollAnswers);
      for (const position of crux.positions) {
        expect(position.label.length, `${crux.id}/${position.id}`).toBeLessThanOrEqual(
          DISCORD_LIMITS.pollAnswerText,
        );
        expect(position.quotes.length).toBeGreaterThanOrEqual(1);
        for (const quote of position.quotes) {
          expect(
            corpus.textById.get(quote.textId)?.body.includes(quote.quote),
            `${crux.id}/${position.id}`,
          ).toBe(true);
          expect(quote.session).toBeLessThanOrEqual(crux.session);
        }
      }
      expect(
        crux.positions.flatMap((p) => p.quotes).some((q) => q.session === crux.session),
        crux.id,
      ).toBe(true);
    }
  });
});

describe('corpus validation', () => {
  const cases: Array<[string, (json: Data, linesOf: LinesOf) => void, string]> = [
    [
      'a quote that is not verbatim',
      (json) => {
        (json.excerpts[0] as Json).quote = `${(json.excerpts[0] as Json).quote.slice(0, -1)}!`;
      },
      'is not verbatim in',
    ],
    [
      'a quote cut mid-sentence',
      (json) => {
        const excerpt = json.excerpts[5] as Json;
        excerpt.quote = excerpt.quote.slice(0, excerpt.quote.lastIndexOf(' '));
      },
      'does not start and end at sentence boundaries',
    ],
    [
      'an unknown topic',
      (json) => ((json.excerpts[1] as Json).topics = ['astrology']),
      'unknown topic "astrology"',
    ],
    [
      'a duplicate excerpt id',
      (json) => ((json.excerpts[2] as Json).id = (json.excerpts[3] as Json).id),
      'excerpt id is used twice',
    ],
    [
      'an unknown section',
      (json) => ((json.excerpts[4] as Json).section = 'ps-nowhere'),
      '"ps-nowhere" is not a section of',
    ],
    [
      'a gap between sections',
      (json) => {
        const section = (json.texts[1] as Json).sections[0];
        section.lines = [section.lines[0], section.lines[1] - 1];
      },
      'they must cover the text without gaps or overlaps',
    ],
    [
      'a position label too long for a poll answer',
      (json) => ((json.cruxes[1] as Json).positions[0].label = 'x'.repeat(56)),
      '.positions[0].label: Too big',
    ],
    [
      'a crux quoting a later session',
      (json) => {
        const late = (json.cruxes as Json[]).find((c) => c.session === 8) as Json;
        (json.cruxes[0] as Json).positions[0].quotes.push(late.positions[0].quotes[0]);
      },
      'a crux may not spoil later readings',
    ],
    [
      'voices that leave a line without a writer',
      (json) => {
        const text = json.texts[0] as Json;
        const first = text.voices[0];
        first.lines = [first.lines[0] + 1, first.lines[1]];
      },
      'they must cover the text without gaps or overlaps',
    ],
    [
      'a voice by a writer the text does not declare',
      (json) => ((json.texts[1] as Json).voices[0].writer = 'nobody'),
      'unknown writer "nobody"',
    ],
    [
      'an excerpt that joins two writers',
      (json, linesOf) => {
        const excerpt = json.excerpts[0] as Json;
        const text = json.texts.find((t) => t.id === excerpt.text) as Json;
        const [voice, next] = adjacentVoices(text);
        const lines = linesOf(text);
        excerpt.section = (text.sections as Json[]).find(
          (s) => s.lines[0] <= voice.lines[1] && next.lines[0] <= s.lines[1],
        )?.id;
        excerpt.quote = `${lines[voice.lines[1] - 1]}\n${lines[next.lines[0] - 1]}`.slice(0, 1200);
      },
      'are by more than one writer; an excerpt is one writer',
    ],
    [
      'a quote outside the lines its position is held by',
      (json) => {
        const position = (json.cruxes[0] as Json).positions[0];
        position.heldBy = [(json.cruxes[0] as Json).positions[1].heldBy[0]];
      },
      'are not inside the lines this position is held by (heldBy)',
    ],
    [
      'one writer holding two sides of a crux',
      (json) => {
        const [first, second] = (json.cruxes[0] as Json).positions;
        second.heldBy = [...second.heldBy, first.heldBy[0]];
      },
      'one writer cannot be two sides of a crux',
    ],
    [
      'a heldBy range that mixes writers',
      (json) => {
        const position = (json.cruxes[0] as Json).positions[0];
        const text = json.texts.find((t) => t.id === position.heldBy[0].text) as Json;
        position.heldBy = [{ text: text.id, lines: [1, text.voices.at(-1).lines[1]] }];
      },
      'mixes writers; give each writer',
    ],
    [
      'a reviewed note on a quote the check does not flag',
      (json) => {
        const quote = (json.cruxes as Json[])
          .flatMap((c) => c.positions.flatMap((p: Json) => p.quotes))
          .find((q: Json) => q.reviewed === undefined) as Json;
        quote.reviewed = 'Checked.';
      },
      'has a "reviewed" note but is not cut before a reversal',
    ],
    [
      'a quote cut before its writer takes it back, with no review',
      (json) => {
        const quote = (json.cruxes as Json[])
          .flatMap((c) => c.positions.flatMap((p: Json) => p.quotes))
          .find((q: Json) => q.reviewed !== undefined) as Json;
        delete quote.reviewed;
      },
      'if that does not take the quote back, say why in "reviewed"',
    ],
    [
      'a session read twice',
      (json) => (json.schedule[1] as Json).sections.push((json.schedule[0] as Json).sections[0]),
      'is already read in session 1',
    ],
    [
      'a session too long',
      (json) => {
        const [first, second] = json.schedule as Json[];
        first?.sections.push(...(second?.sections ?? []));
        json.schedule.splice(1, 1);
        for (const [i, session] of json.schedule.entries()) session.session = i + 1;
      },
      'a session reads 1500–4000',
    ],
    [
      'a statement of two sentences',
      (json) => ((json.cruxes[0] as Json).positions[1].statement = 'One. Two.'),
      'must be one sentence',
    ],
    [
      'an unknown text file',
      (json) => ((json.texts[0] as Json).file = 'texts/missing.txt'),
      'data/texts/missing.txt is missing',
    ],
  ];

  it.each(cases)('reports %s', async (_name, breakIt, expected) => {
    const { raw, json, linesOf } = await rawCopy();
    breakIt(json, linesOf);
    const result = buildCorpus(raw);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.join('\n')).toContain(expected);
  });

  it('reports every problem in one run', async () => {
    const { raw, json, linesOf } = await rawCopy();
    for (const [, breakIt] of cases.slice(0, 8)) breakIt(json, linesOf);
    const result = buildCorpus(raw);
    const report = result.ok ? '' : result.problems.join('\n');
    for (const [, , expected] of cases.slice(0, 8)) expect(report).toContain(expected);
  });

  it('rejects a text whose bytes changed', async () => {
    const { raw } = await readRawCorpus();
    const files = new Map(raw.files);
    const [file, bytes] = [...files.entries()][0] ?? ['', Buffer.alloc(0)];
    files.set(file, Buffer.concat([bytes, Buffer.from(' ')]));
    const result = buildCorpus({ json: raw.json, files });
    expect(result.ok ? '' : result.problems.join('\n')).toContain('does not match its sha256');
  });
});

describe('the README', () => {
  it('states the corpus figures generated from data/ (npm run readme:figures updates them)', async () => {
    const { corpus } = await shippedCorpus();
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf(FIGURES_BLOCK.start);
    const end = readme.indexOf(FIGURES_BLOCK.end);
    expect(start).toBeGreaterThan(-1);
    expect(readme.slice(start + FIGURES_BLOCK.start.length, end).trim()).toBe(corpusFigures(corpus));
  });
});
