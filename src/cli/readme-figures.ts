import { readFile, writeFile } from 'node:fs/promises';
import { corpusFigures, FIGURES_BLOCK } from '../core/corpus/figures.js';
import { loadValidCorpus } from '../core/corpus/read.js';
import { exitWithError } from './fail.js';

/** `npm run readme:figures`: rewrites the README's corpus figures from data/. */
try {
  const readme = new URL('../../README.md', import.meta.url);
  const text = await readFile(readme, 'utf8');
  const start = text.indexOf(FIGURES_BLOCK.start);
  const end = text.indexOf(FIGURES_BLOCK.end);
  if (start === -1 || end < start) throw new Error('README.md has no corpus-figures block');
  const figures = corpusFigures(await loadValidCorpus());
  await writeFile(
    readme,
    `${text.slice(0, start + FIGURES_BLOCK.start.length)}\n${figures}\n${text.slice(end)}`,
  );
  console.warn('README.md corpus figures updated.');
} catch (error) {
  exitWithError(error);
}
