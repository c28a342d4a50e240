/**
 * Issue 9 §5: a flash crash on the embedded simulator, as an operator runs it through the real
 * binary: `catalyst up --once --speed 600 --seed 11 --scenario crash --json`. The crash passes
 * Catalyst's stops between two prints, so they fill far below their stop prices; the daily loss
 * limit is reached, the emergency stop flattens and halts, and the day ends flat. The risk gate
 * keeps the day's P&L minus the worst case of its open stops above −max_loss, so the limit can
 * only be overrun by what the closing fills lost beyond their stops: the closing slippage.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { toMicros } from '../../src/domain/money';
import { runCatalyst, simulatorEnv, type CatalystRun } from '../support/runCatalyst';

// A fixed past date: the same day on every run, and not today's `trading-day-<today>-sim`, which
// the schedule test launches on the same dev server; the day after Thanksgiving closes at 13:00,
// which keeps the run short (the crash and the stop come before noon).
const UP = [
  'up',
  '--once',
  '--speed',
  '600',
  '--seed',
  '11',
  '--scenario',
  'crash',
  '--date',
  '2026-11-27',
  '--json',
];
const CENT = 10_000n;

interface DaySummary {
  status: string;
  tradingDate: string;
  ordersSubmitted: number;
  realizedPnl: string;
  halted: boolean;
  haltReason: string | null;
  openPositionsAtClose: number;
  openOrdersAtClose: number;
  maxLoss: string;
  closingSlippage: string;
  scenario: string | null;
  riskEvents: { type: string; severity: string; message: string; marketTime: string }[];
}

describe('catalyst up --scenario crash', () => {
  let run: CatalystRun;
  let day: DaySummary;

  beforeAll(async () => {
    run = await runCatalyst(
      UP,
      simulatorEnv(mkdtempSync(join(tmpdir(), 'catalyst-home-')), inject('temporalAddress')),
      280_000,
    );
    if (run.code !== 0) throw new Error(`catalyst up exited with ${run.code}:\n${run.stderr}`);
    day = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as DaySummary;
  }, 300_000);

  it('reaches the daily loss limit through the crash, stops, and ends the day flat and halted', () => {
    // Without entries before the crash there is nothing to lose: at speed 600 a host too slow
    // for a cycle's 30 market minutes (3 s) places no orders at all.
    expect(day.ordersSubmitted, `no entries: ${run.stderr.slice(-3000)}`).toBeGreaterThan(0);
    expect(day).toMatchObject({
      status: 'completed',
      scenario: 'crash',
      halted: true,
      openPositionsAtClose: 0,
      openOrdersAtClose: 0,
      maxLoss: '2000.00',
    });
    const types = day.riskEvents.map((e) => `${e.severity} ${e.type}`);
    expect(types).toContain('WARNING daily_loss_warning');
    expect(types).toContain('CRITICAL emergency_stop');
    for (const e of day.riskEvents) expect(e.marketTime.slice(0, 10)).toBe(day.tradingDate);
  });

  it('overruns the limit by no more than its closing fills lost below their stops', () => {
    const loss = -toMicros(day.realizedPnl);
    const maxLoss = toMicros(day.maxLoss);
    const slippage = toMicros(day.closingSlippage);
    expect(loss, `realized ${day.realizedPnl}`).toBeGreaterThanOrEqual(maxLoss);
    expect(slippage).toBeGreaterThan(0n);
    expect(loss - maxLoss, `loss ${day.realizedPnl}, slippage ${day.closingSlippage}`).toBeLessThanOrEqual(
      slippage + CENT,
    );
  });
});

describe('catalyst up --scenario on the wrong venue or with a bad spec', () => {
  it('refuses a scenario off the embedded simulator, in one line, exit 2', async () => {
    const home = mkdtempSync(join(tmpdir(), 'catalyst-home-'));
    const paper = await runCatalyst(
      ['up', '--once', '--scenario', 'crash'],
      {
        ...simulatorEnv(home, inject('temporalAddress')),
        ALPACA_API_KEY: 'PKTESTONLY0000000000',
        ALPACA_SECRET_KEY: 'not-a-secret',
      },
      60_000,
    );
    expect(paper.code).toBe(2);
    expect(paper.stderr.trim().split('\n')).toEqual([
      'catalyst: --scenario shapes the embedded simulator only; this run trades Alpaca paper (unset ALPACA_API_KEY and ALPACA_SECRET_KEY for the simulator)',
    ]);
  });

  it('names the spec and the problem as `catalyst sim` does, exit 2', async () => {
    const home = mkdtempSync(join(tmpdir(), 'catalyst-home-'));
    for (const cmd of ['up', 'sim']) {
      const bad = await runCatalyst(
        [cmd, '--scenario', 'crash@25:00'],
        simulatorEnv(home, inject('temporalAddress')),
        60_000,
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
      expect(bad.stderr).toMatch(
        /^catalyst: --scenario: invalid market scenario "crash@25:00": .*outside the session/,
      );
    }
  });
});
