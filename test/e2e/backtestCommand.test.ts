/**
 * `catalyst backtest --json` as a user runs it, through the real binary, on the shared dev server
 * (TEMPORAL_ADDRESS) with a state directory of its own: one trading day, one JSON line on stdout,
 * and the same figures on a second run with the same seed.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { runCatalyst, type CatalystRun } from '../support/runCatalyst';

type Run = CatalystRun;

const backtest = (args: string[], home: string, timeoutMs = 170_000): Promise<Run> =>
  runCatalyst(
    ['backtest', ...args],
    // Its own PGlite under CATALYST_HOME, never a database of the environment.
    { CATALYST_HOME: home, TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: undefined },
    timeoutMs,
  );

// The day after Thanksgiving closes at 13:00: a real day of trades in two thirds of the run time.
const ARGS = ['--from', '2026-11-27', '--to', '2026-11-27', '--seed', '5', '--json'];
// The global setup's bundle of src/workflows: neither run bundles it again.
const withBundle = (): string[] => [...ARGS, '--workflow-bundle', inject('workflowBundlePath')];

/** The one stdout line, parsed; fails on anything else on stdout. */
function onlyJsonLine(run: Run): Record<string, unknown> {
  if (run.code !== 0) throw new Error(`catalyst backtest exited with ${run.code}:\n${run.stderr}`);
  const lines = run.stdout.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

describe('catalyst backtest --json', () => {
  let first: Record<string, unknown>;
  const home = mkdtempSync(join(tmpdir(), 'catalyst-home-'));
  let runs: Promise<[Run, Run]>;

  beforeAll(() => {
    // Two processes side by side (each its own state directory, names and PGlite; the driven clock
    // does not depend on wall time): the second run checks the first, in the time of one.
    runs = Promise.all([
      backtest(withBundle(), home),
      backtest(withBundle(), mkdtempSync(join(tmpdir(), 'catalyst-home-'))),
    ]);
    runs.catch(() => undefined); // awaited by the tests, which report its failure
  });

  it('runs one trading day and prints one JSON line of figures', async () => {
    const [run] = await runs;
    first = onlyJsonLine(run);
    expect(Object.keys(first).sort()).toEqual(
      [
        'days',
        'trades',
        'realizedPnl',
        'winRate',
        'maxDrawdown',
        'profitFactor',
        'wallSeconds',
        'seed',
        'from',
        'to',
        'failedDays',
      ].sort(),
    );
    expect(first).toMatchObject({ days: 1, seed: 5, from: '2026-11-27', to: '2026-11-27', failedDays: 0 });
    expect(first.trades).toBeGreaterThan(0);
    expect(first.realizedPnl).toMatch(/^-?\d+\.\d\d$/);
    expect(first.maxDrawdown).toMatch(/^\d+\.\d\d$/);
    expect(first.winRate).toBeGreaterThanOrEqual(0);
    expect(first.winRate).toBeLessThanOrEqual(1);
    expect(first.profitFactor === null || typeof first.profitFactor === 'number').toBe(true);
    expect(first.wallSeconds).toBeGreaterThan(0);
    // The stack's lines went to stderr, and its own PGlite under the state directory.
    expect(run.stderr).toMatch(/backtest backtest-bt5-[0-9a-f]+: 1 trading days/);
    expect(run.stderr).toMatch(/database: PGlite in /);
    expect(readdirSync(join(home, 'backtests'))).toHaveLength(1);
    expect(existsSync(join(home, 'pgdata'))).toBe(false);
  }, 180_000);

  it('gives the same trades and realized P&L on a second run with the same seed', async () => {
    expect(first, 'the first run failed').toBeDefined();
    const second = onlyJsonLine((await runs)[1]);
    expect(second.trades).toBe(first.trades);
    expect(second.realizedPnl).toBe(first.realizedPnl);
    expect(second).toMatchObject({ days: 1, failedDays: 0 });
  }, 180_000);
});
