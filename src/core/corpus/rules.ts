/**
 * The editorial rules the corpus is held to. They are checked at start and by the corpus test, so a group
 * that adds its own texts learns at once what to fix.
 */
export const CORPUS_RULES = {
  sessions: { min: 6, max: 10 },
  sessionWords: { min: 1500, max: 4000 },
  excerptChars: { min: 150, max: 1200 },
  excerptsPerSession: 6,
  cruxesPerSession: 1,
  /** A supporting quote must fit an embed field with room for its source line. */
  cruxQuoteChars: { min: 40, max: 1000 },
} as const;
