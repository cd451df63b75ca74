import type { Corpus, Session } from '../corpus/types.js';
import { literal, readingTimeLabel } from '../format.js';
import type { CommandMentions } from '../mentions.js';
import { CRUX_COLOR, type Embed } from '../reply.js';
import { oneLine, truncateAtSentence } from '../text.js';

/** How a session's readings are shown, the same in the kickoff, the reminder and /schedule show. */

type Reading = Session['readings'][number];

/** How much of each reading's opening the kickoff shows. */
const OPENING_CHARS = 220;

/** "**Title** · 2,310 words · 12 min read". */
export function readingHeadline(corpus: Corpus, reading: Reading): string {
  const title = corpus.textById.get(reading.textId)?.title ?? reading.textId;
  return `**${literal(title)}** · ${reading.words.toLocaleString('en')} words · ${readingTimeLabel(reading.words)}`;
}

/** The sections of a reading, by heading. */
export function readingSections(reading: Reading): string {
  return reading.sections.map((s) => literal(s.heading)).join(' · ');
}

/** One line per reading: headline and sections. */
export function readingLines(corpus: Corpus, session: Session): string[] {
  return session.readings.map(
    (reading) => `${readingHeadline(corpus, reading)} · ${readingSections(reading)}`,
  );
}

/** The kickoff's readings: the session's note, headline, sections and opening words of each, and where to read them. */
export function readingsEmbed(corpus: Corpus, session: Session, mentions: CommandMentions): Embed {
  const blocks = session.readings.map((reading) => {
    const text = corpus.textById.get(reading.textId);
    const first = reading.sections[0];
    const opening = first ? (text?.lines[first.firstLine - 1] ?? '') : '';
    return [
      readingHeadline(corpus, reading),
      `Sections: ${readingSections(reading)}`,
      `> ${literal(truncateAtSentence(oneLine(opening), OPENING_CHARS))}`,
    ].join('\n');
  });
  return {
    title: `Session ${session.number} of ${corpus.sessions.length}: ${session.title}`,
    description: [
      ...(session.note ? [`*${literal(session.note)}*`] : []),
      ...blocks,
      `Read them here with ${mentions.mention('read')}, page by page or as an e-book, then press **I’ve read it**.`,
    ].join('\n\n'),
    footer: `${session.words.toLocaleString('en')} words in all`,
    color: CRUX_COLOR,
  };
}
