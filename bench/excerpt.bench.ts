import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bench, describe } from 'vitest';
import excerpt from '../commands/excerpt.js';
import { openState } from '../src/state/index.js';
import { testContext } from '../test/helpers/context.js';

/** /excerpt end to end (scope, rotation, state write, reply), on each storage backend. */
const dir = mkdtempSync(path.join(tmpdir(), 'crux-bench-'));
const backends = {
  memory: 'memory:',
  sqlite: `sqlite://${path.join(dir, 'bench.sqlite')}`,
  redis: 'redis://127.0.0.1:6379',
  postgres: 'postgres://postgres@127.0.0.1:5432/test',
};

describe('/excerpt run, one server', async () => {
  for (const [name, url] of Object.entries(backends)) {
    const ctx = await testContext({
      state: await openState(url, () => undefined),
      guildId: String(Date.now()),
    });
    bench(name, async () => {
      await excerpt.run({}, ctx);
    });
  }
});
