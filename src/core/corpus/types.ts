/**
 * The loaded, validated corpus: the texts, the curated data about them and every cross-reference resolved.
 * Everything here is immutable after loading; commands read it, never change it.
 */

/** A topic tag from the controlled vocabulary in `data/topics.json`. */
export interface Topic {
  readonly id: string;
  readonly label: string;
  readonly description: string;
}

/** Where a span sits in its text: 1-based line (paragraph) numbers and how far through the text it starts. */
export interface Location {
  readonly textId: string;
  readonly startLine: number;
  readonly endLine: number;
  /** Character offset of the span in the text's body. */
  readonly offset: number;
  /** Share of the text's words that come before the span, 0–100. */
  readonly percent: number;
}

/** A contiguous run of lines in one text, with a heading and topic tags. Sections tile each text. */
export interface Section {
  readonly id: string;
  readonly textId: string;
  readonly heading: string;
  readonly topics: readonly string[];
  readonly firstLine: number;
  readonly lastLine: number;
  readonly words: number;
  /** The reading-schedule session that reads this section. */
  readonly session: number;
}

/**
 * Someone who wrote part of a text. Anonymous unless the text itself names them: the texts are comment
 * threads, so Crux says where a view is argued and by whom in the thread ("a commenter"), never a guessed name.
 */
export interface Writer {
  readonly id: string;
  readonly description: string;
}

/** A run of lines of one text written by one writer. Voices tile each text. */
export interface Voice {
  readonly firstLine: number;
  readonly lastLine: number;
  readonly writer: Writer;
}

/** One of the texts, byte for byte as shipped in `data/texts/`, split into lines (paragraphs). */
export interface Text {
  readonly id: string;
  readonly title: string;
  /** What kind of document it is ("A post and the comment thread on it"). */
  readonly kind: string;
  readonly summary: string;
  readonly body: string;
  readonly lines: readonly string[];
  /** Character offset where each line starts in `body`. */
  readonly lineStarts: readonly number[];
  readonly words: number;
  readonly sections: readonly Section[];
  readonly writers: readonly Writer[];
  /** Who wrote each line, in line order. */
  readonly voices: readonly Voice[];
}

/** The part of one text a session reads: consecutive sections of that text, in reading order. */
export interface Reading {
  readonly textId: string;
  readonly sections: readonly Section[];
  readonly words: number;
}

/** One session of the default reading schedule. */
export interface Session {
  readonly number: number;
  readonly title: string;
  readonly sections: readonly Section[];
  readonly readings: readonly Reading[];
  readonly words: number;
  /** Shown before the readings: the essay these comments answer, when the corpus does not include it. */
  readonly note?: string;
}

/** A verbatim passage of a text, located. */
export interface Passage {
  readonly textId: string;
  readonly sectionId: string;
  readonly session: number;
  readonly quote: string;
  readonly words: number;
  readonly location: Location;
}

/** A curated excerpt: a verbatim passage of 150–1,200 characters with topics. */
export interface Excerpt extends Passage {
  readonly id: string;
  readonly topics: readonly string[];
}

/** Lines of a text where someone argues a position, and who wrote them. */
export interface Argued {
  readonly textId: string;
  readonly firstLine: number;
  readonly lastLine: number;
  readonly writer: Writer;
}

/** One side of a crux, backed by the passages that argue it. */
export interface Position {
  readonly id: string;
  /** Short enough to be a native poll answer (55 characters). */
  readonly label: string;
  readonly statement: string;
  /** Where the people who hold this position argue it, each by one writer; no writer holds two sides. */
  readonly heldBy: readonly Argued[];
  /** Verbatim, each from one of the `heldBy` ranges. */
  readonly quotes: readonly Passage[];
}

/** A disagreement the texts argue, with 2–5 positions and discussion prompts. */
export interface Crux {
  readonly id: string;
  readonly session: number;
  /** Short enough to be a native poll question (300 characters). */
  readonly question: string;
  readonly topics: readonly string[];
  readonly positions: readonly Position[];
  readonly prompts: readonly string[];
}

/** The whole corpus with lookups by id. */
export interface Corpus {
  readonly topics: readonly Topic[];
  readonly texts: readonly Text[];
  readonly sessions: readonly Session[];
  readonly excerpts: readonly Excerpt[];
  readonly cruxes: readonly Crux[];
  readonly topicById: ReadonlyMap<string, Topic>;
  readonly textById: ReadonlyMap<string, Text>;
  readonly sectionById: ReadonlyMap<string, Section>;
  readonly excerptById: ReadonlyMap<string, Excerpt>;
  readonly cruxById: ReadonlyMap<string, Crux>;
}
