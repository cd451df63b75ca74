import { loadValidCorpus } from '../core/corpus/read.js';
import { exitWithError } from './fail.js';

/** `npm run check-corpus`: validate data/ and report every problem, for groups editing their own texts. */
try {
  const corpus = await loadValidCorpus();
  console.warn(
    `data/ is valid: ${corpus.texts.length} texts, ${corpus.sessions.length} sessions, ${corpus.excerpts.length} excerpts, ${corpus.cruxes.length} cruxes.`,
  );
} catch (error) {
  exitWithError(error);
}
