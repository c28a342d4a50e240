import { defineConfig } from 'vitest/config';

// Two projects: fast tests without Temporal, and tests that share one real Temporal dev server.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/replay/**', 'test/workflows/specs/**', 'node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'temporal',
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
