import { defineConfig } from 'vitest/config';

/**
 * Files that run alone, after the rest: each presses hundreds of buttons at once (some with several bot
 * processes) and checks that every member is answered within Discord's 3 seconds and nothing is lost.
 * Sharing two cores with three other files at the same time is a load no deployment runs on, and failed them
 * for the machine's sake, not the bot's.
 */
const ALONE = [
  // Java's EPUBCheck on every session: heavy enough to slow everything beside it.
  'test/downloads/files.test.ts',
  'test/faults/processes.test.ts',
  'test/faults/load.test.ts',
  'test/faults/logs.test.ts',
  'test/e2e/polls-resilience.test.ts',
];

const shared = {
  environment: 'node',
  // The end-to-end suites start a real bot and emulator per file; give them room on a 2-core CI machine.
  testTimeout: 20_000,
  hookTimeout: 30_000,
  pool: 'forks',
} as const;

export default defineConfig({
  test: {
    benchmark: { include: ['bench/**/*.bench.ts'] },
    projects: [
      {
        test: {
          ...shared,
          name: 'suite',
          include: ['test/**/*.test.ts'],
          exclude: ALONE,
          // Most end-to-end time is spent waiting (Discord's rate limits, child processes, timers), not
          // computing: three files at once on two cores roughly halves the wall time. Timing-sensitive tests
          // were checked with both cores busy elsewhere (see test/README.md).
          maxWorkers: 3,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'alone',
          include: ALONE,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
