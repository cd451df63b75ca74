import { z } from 'zod';
import { DISCORD_LIMITS } from '../limits.js';

/**
 * The shape of one entry in each file of `data/` (every file is a JSON array of entries). Semantic rules
 * (verbatim quotes, coverage, cross-references) live in `build.ts`; these say only what an entry looks like.
 */

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/u, 'must be lower-case words joined by hyphens')
  .max(40);
/** Text and topic ids travel in button custom ids beside other parameters, within Discord's 100 characters. */
export const ID_IN_BUTTONS_MAX = 24;
const shortSlug = slug.max(ID_IN_BUTTONS_MAX);
const line = z.number().int().min(1);
const topicList = z.array(shortSlug).min(1).max(4);
const prose = z.string().trim().min(1);
/** An inclusive range of lines (paragraphs) of a text. */
const lineRange = z.tuple([line, line]);

export const TopicSchema = z.strictObject({
  id: shortSlug,
  // Topics are offered as slash-command choices, whose names are limited to 100 characters.
  label: prose.max(DISCORD_LIMITS.autocompleteChoiceName),
  description: prose,
});

export const TextSchema = z.strictObject({
  id: shortSlug,
  file: z.string().regex(/^texts\/[^/]+\.txt$/u, 'must be a .txt file under data/texts/'),
  source: z.string().optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/u)
    .optional(),
  title: prose.max(DISCORD_LIMITS.autocompleteChoiceName),
  kind: prose,
  summary: prose,
  sections: z
    .array(
      z.strictObject({
        id: slug,
        lines: lineRange,
        heading: prose.max(DISCORD_LIMITS.autocompleteChoiceName),
        topics: topicList,
      }),
    )
    .min(1),
  /**
   * The people who wrote the text, anonymous unless the text itself names them: the texts are comment
   * threads, so who holds a view is told by where they wrote it, not by a name Crux would have to guess.
   */
  writers: z
    .array(z.strictObject({ id: slug, description: prose.max(DISCORD_LIMITS.autocompleteChoiceName) }))
    .min(1),
  /** Who wrote each line: runs of lines by one writer, tiling the text. A quoted comment is its writer's. */
  voices: z.array(z.strictObject({ lines: lineRange, writer: slug, note: prose.optional() })).min(1),
});

export const SessionSchema = z.strictObject({
  session: z.number().int().min(1),
  title: prose.max(DISCORD_LIMITS.autocompleteChoiceName),
  sections: z.array(slug).min(1),
  /** Shown before the readings: what the comments answer when that essay is not in the corpus. */
  note: prose.max(1000).optional(),
});

export const ExcerptSchema = z.strictObject({
  id: slug,
  text: slug,
  section: slug,
  topics: topicList,
  quote: z.string().min(1),
});

export const CruxSchema = z.strictObject({
  id: slug,
  session: z.number().int().min(1),
  question: prose.max(DISCORD_LIMITS.pollQuestion),
  topics: topicList,
  positions: z
    .array(
      z.strictObject({
        id: slug,
        label: prose.max(DISCORD_LIMITS.pollAnswerText),
        statement: prose,
        /** Where the people who hold this position argue it; its quotes come from these lines. */
        heldBy: z.array(z.strictObject({ text: slug, lines: lineRange })).min(1),
        quotes: z
          .array(
            z.strictObject({
              text: slug,
              quote: z.string().min(1),
              /**
               * A person's decision that the sentences right after the quote do not take it back, for a
               * quote the validator flags as cut before a reversal ("but", "however"…).
               */
              reviewed: prose.optional(),
            }),
          )
          .min(1),
      }),
    )
    .min(2)
    .max(5),
  prompts: z.array(prose.max(300)).min(2).max(3),
});

/** The raw contents of `data/`, as read from disk. */
export interface RawCorpus {
  /** File name (relative to `data/`) to parsed JSON, for the five data files. */
  readonly json: {
    readonly topics: unknown;
    readonly texts: unknown;
    readonly schedule: unknown;
    readonly excerpts: unknown;
    readonly cruxes: unknown;
  };
  /** Text file path (relative to `data/`) to its bytes, for every text file that exists. */
  readonly files: ReadonlyMap<string, Buffer>;
}
