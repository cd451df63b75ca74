import { bench, describe } from 'vitest';
import { buildCorpus } from '../src/core/corpus/build.js';
import { readRawCorpus } from '../src/core/corpus/read.js';
import { cruxReply } from '../src/core/replies/crux.js';
import { excerptReply } from '../src/core/replies/excerpt.js';
import { CorpusSearch } from '../src/core/search.js';
import { render } from '../src/discord/render.js';
import { shippedCorpus } from '../test/helpers/context.js';

const { raw } = await readRawCorpus();
const { corpus, search } = await shippedCorpus();

describe('start-up', () => {
  bench('validate and build the corpus', () => {
    buildCorpus(raw);
  });
  bench('build the search index', () => {
    new CorpusSearch(corpus);
  });
});

describe('autocomplete and search (Discord allows 3 s)', () => {
  bench('suggest for a partial word', () => {
    search.suggest('hyperst');
  });
  bench('suggest for two words', () => {
    search.suggest('persona superintelligence');
  });
  bench('excerpts matching a phrase', () => {
    search.excerpts('chain of thought legible');
  });
});

describe('replies', () => {
  const excerpt = corpus.excerpts[0];
  const crux = corpus.cruxes[0];
  bench('build and render an excerpt', () => {
    if (excerpt) render(excerptReply(corpus, { passage: excerpt, scope: { session: 1 }, ephemeral: false }));
  });
  bench('build and render a crux card', () => {
    if (crux) render(cruxReply(corpus, crux));
  });
});
