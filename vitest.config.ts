import { defineConfig } from 'vitest/config';

// Two projects: fast tests without Temporal, and tests that share one real Temporal dev server.
// They run one after the other: simulated days run on market time at high speed, and on two
// cores a concurrent unit run makes their cycles slip (measured: the faults day took 146 s beside
// the unit tests, 40 s alone).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/replay/**', 'test/workflows/specs/**', 'node_modules/**'],
          // vitest's default is one worker on two cores; the signal evaluation alone keeps one core
          // busy for over a minute, so the other files take the second (measured: 200 s → 134 s).
          maxWorkers: 2,
          // One module graph per worker, not per file: these files keep no state in modules (the
          // full unit run passed this way), and re-importing the sources for every file cost a
          // quarter of the project's CPU (measured: 548 → 418 CPU-seconds).
          isolate: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'temporal',
          sequence: { groupOrder: 1 },
          include: ['test/e2e/**/*.test.ts', 'test/replay/**/*.test.ts', 'test/workflows/specs/**/*.test.ts'],
          globalSetup: ['test/setup/temporalServer.ts'],
          testTimeout: 300_000,
          hookTimeout: 180_000,
          // One shared dev server; files run one after another so timings stay honest on 2 cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
