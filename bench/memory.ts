import { loadValidCorpus } from '../src/core/corpus/read.js';
import { CorpusSearch } from '../src/core/search.js';

/** Heap held by the loaded corpus and its search index. Run with `npm run bench:memory`. */
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const before = heap();
const corpus = await loadValidCorpus();
const afterCorpus = heap();
const search = new CorpusSearch(corpus);
const afterSearch = heap();
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
console.warn(
  `corpus: ${mb(afterCorpus - before)}; search index: ${mb(afterSearch - afterCorpus)}; total heap: ${mb(afterSearch)}`,
);
// Keep both alive until measured.
if (search.excerpts('persona').length === 0) process.exit(1);
