import type { z } from 'zod';
import { endsSentence } from '../text.js';
import type { TextDraft } from './check-texts.js';
import { type LocateFailure, locateQuote } from './locate.js';
import { reversalAfter } from './reversal.js';
import { CORPUS_RULES } from './rules.js';
import type { CruxSchema } from './schema.js';
import type { Argued, Crux, Passage, Position } from './types.js';
import { soleWriter } from './voices.js';

type RawCrux = z.infer<typeof CruxSchema>;

/** What checking cruxes needs from the texts and the schedule. */
export interface CruxInputs {
  readonly textById: ReadonlyMap<string, TextDraft>;
  /** The session that reads a line of a text; undefined for lines no section covers. */
  readonly sessionOfLine: (textId: string, line: number) => number | undefined;
  /** A located quote as a passage, or undefined when its text or section is unknown. */
  readonly passage: (textId: string, quote: string, location: Passage['location']) => Passage | undefined;
  readonly sessionNumbers: ReadonlySet<number> | undefined;
  readonly checkTopics: (where: string, topics: readonly string[]) => void;
  readonly report: (message: string) => void;
  readonly failureText: Readonly<Record<LocateFailure, string>>;
}

/**
 * Checks every crux against the standard a careful reader holds it to: each position names the lines where
 * its holders argue it (one writer per range), its quotes are verbatim from those lines and no later than the
 * crux's session, no writer holds two sides, and no quote stops just before its writer takes it back unless
 * a person has reviewed it and said why it stands.
 */
export function checkCruxes(raw: readonly RawCrux[], inputs: CruxInputs): Crux[] {
  const { report } = inputs;
  const cruxes: Crux[] = [];
  const ids = new Set<string>();
  for (const [index, crux] of raw.entries()) {
    const where = `cruxes.json[${index}] (${crux.id})`;
    if (ids.has(crux.id)) report(`${where}: crux id is used twice`);
    ids.add(crux.id);
    inputs.checkTopics(where, crux.topics);
    if (inputs.sessionNumbers && !inputs.sessionNumbers.has(crux.session))
      report(`${where}: session ${crux.session} does not exist`);
    const positions: Position[] = [];
    const positionIds = new Set<string>();
    const sideOfWriter = new Map<string, string>();
    let quotesFromOwnSession = 0;
    for (const position of crux.positions) {
      const positionWhere = `${where} position ${position.id}`;
      if (positionIds.has(position.id)) report(`${positionWhere}: position id is used twice in this crux`);
      positionIds.add(position.id);
      if (!isOneSentence(position.statement)) report(`${positionWhere}: the statement must be one sentence`);
      const heldBy = position.heldBy.flatMap((held) =>
        checkHeldBy(positionWhere, crux.session, held, inputs),
      );
      for (const held of heldBy) {
        const key = `${held.textId}/${held.writer.id}`;
        const other = sideOfWriter.get(key);
        if (other !== undefined && other !== position.id) {
          report(
            `${positionWhere}: ${held.writer.description} (${held.textId} "${held.writer.id}") also holds position ${other}; one writer cannot be two sides of a crux`,
          );
        }
        sideOfWriter.set(key, position.id);
      }
      const quotes: Passage[] = [];
      for (const [quoteIndex, quote] of position.quotes.entries()) {
        const located = checkQuote(
          `${positionWhere} quote ${quoteIndex + 1}`,
          crux.session,
          quote,
          heldBy,
          inputs,
        );
        if (!located) continue;
        if (located.session === crux.session) quotesFromOwnSession++;
        quotes.push(located);
      }
      positions.push({
        id: position.id,
        label: position.label,
        statement: position.statement,
        heldBy,
        quotes,
      });
    }
    if (inputs.sessionNumbers && quotesFromOwnSession === 0) {
      report(`${where}: no supporting quote comes from session ${crux.session}'s reading`);
    }
    cruxes.push({ ...crux, positions });
  }
  return cruxes;
}

/** One `heldBy` range: inside its text, by one writer, and read no later than the crux's session. */
function checkHeldBy(
  where: string,
  cruxSession: number,
  held: RawCrux['positions'][number]['heldBy'][number],
  inputs: CruxInputs,
): Argued[] {
  const text = inputs.textById.get(held.text);
  const [first, last] = held.lines;
  const range = `${held.text} lines ${first}–${last}`;
  if (!text) {
    inputs.report(`${where}: heldBy names unknown text "${held.text}"`);
    return [];
  }
  if (last < first || last > text.lines.length) {
    inputs.report(`${where}: heldBy ${range} is not a range inside the text's ${text.lines.length} lines`);
    return [];
  }
  const sole = soleWriter(text, first, last);
  if (!sole) {
    inputs.report(`${where}: heldBy ${range} mixes writers; give each writer's lines as their own range`);
    return [];
  }
  const session = inputs.sessionOfLine(held.text, last);
  if (session !== undefined && session > cruxSession) {
    inputs.report(
      `${where}: heldBy ${range} is read in session ${session}, after the crux's session ${cruxSession}; a crux may not spoil later readings`,
    );
  }
  return [{ textId: held.text, firstLine: first, lastLine: last, writer: sole.writer }];
}

/** One supporting quote: verbatim, inside a `heldBy` range, not from a later session, not cut before a reversal. */
function checkQuote(
  where: string,
  cruxSession: number,
  quote: RawCrux['positions'][number]['quotes'][number],
  heldBy: readonly Argued[],
  inputs: CruxInputs,
): Passage | undefined {
  const { min, max } = CORPUS_RULES.cruxQuoteChars;
  if (quote.quote.length < min || quote.quote.length > max) {
    inputs.report(`${where}: ${quote.quote.length} characters; supporting quotes are ${min}–${max}`);
  }
  const text = inputs.textById.get(quote.text);
  if (!text) {
    inputs.report(`${where}: unknown text "${quote.text}"`);
    return undefined;
  }
  const found = locateQuote(text.locatable, quote.quote);
  if (typeof found === 'string') {
    inputs.report(`${where}: quote ${inputs.failureText[found]} ${quote.text}`);
    return undefined;
  }
  const located = inputs.passage(quote.text, quote.quote, found);
  if (!located) return undefined;
  if (located.session > cruxSession) {
    inputs.report(
      `${where}: comes from session ${located.session}, after the crux's session ${cruxSession}; a crux may not spoil later readings`,
    );
  }
  const inside = heldBy.some(
    (held) =>
      held.textId === quote.text && held.firstLine <= found.startLine && found.endLine <= held.lastLine,
  );
  if (!inside) {
    inputs.report(
      `${where}: ${quote.text} lines ${found.startLine}–${found.endLine} are not inside the lines this position is held by (heldBy)`,
    );
  }
  const run = soleWriter(text, found.startLine, found.endLine);
  const runEnd = run ? (text.lineStarts[run.lastLine] ?? text.body.length + 1) - 1 : found.offset;
  const reversal = run ? reversalAfter(text.body, found.offset + quote.quote.length, runEnd) : undefined;
  if (reversal && !quote.reviewed) {
    inputs.report(
      `${where}: the writer goes on “${reversal}”; if that does not take the quote back, say why in "reviewed", otherwise quote on or choose another passage`,
    );
  }
  if (!reversal && quote.reviewed) {
    inputs.report(`${where}: has a "reviewed" note but is not cut before a reversal; remove the note`);
  }
  return located;
}

/** One sentence: ends a sentence, and no sentence ends before that. */
function isOneSentence(statement: string): boolean {
  return endsSentence(statement) && !/[.!?…]["'”’)\]]*\s+[A-Z]/u.test(statement);
}
