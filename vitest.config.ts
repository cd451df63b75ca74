import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // The end-to-end suites start a real bot and emulator per file; give them room on a 2-core CI machine.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most end-to-end time is spent waiting (Discord's rate limits, child processes, timers), not computing:
    // three files at once on two cores roughly halves the wall time. Timing-sensitive tests were checked
    // with both cores busy elsewhere (see test/README.md).
    maxWorkers: 3,
    benchmark: { include: ['bench/**/*.bench.ts'] },
  },
});
