import { defineConfig } from 'vitest/config';

// Two projects: fast tests without Temporal, and tests that share one real Temporal dev server.
// `npm test` (scripts/test.mjs) runs them side by side in two processes, the unit project with one
// worker: the temporal project keeps one core busy on average, and with both on two cores the whole
// run took 724 s instead of ~1,040 s one after the other. Plain `npx vitest run` runs them one after
// the other (groupOrder), the unit project with two workers.
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
          // npm test (scripts/test.mjs) runs this project beside the temporal one with one worker.
          maxWorkers: Number(process.env.CATALYST_UNIT_WORKERS ?? 2),
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
          // One process for the files, one after another: a fresh one per file cost seconds of
          // start-up and imports each, ~30 times over. Nothing here keeps state in modules
          // (test/support/testRuntime.ts installs the one Temporal runtime a process may have).
          isolate: false,
        },
      },
    ],
  },
});
