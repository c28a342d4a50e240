/**
 * The report's rows: the venue read from the workflow id, the latest run of a replayed date, and
 * only the orders, candidates and risk events that belong to the runs reported.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOrder } from '../../src/db/repositories/orders';
import { latestReportDate, readReportData } from '../../src/db/repositories/reportData';
import { recordRiskEvent } from '../../src/db/repositories/riskEvents';
import { recordScanResults, updateScanScores } from '../../src/db/repositories/scanResults';
import { finishCycle, startCycle } from '../../src/db/repositories/tradingCycles';
import { startTradingDay } from '../../src/db/repositories/tradingDays';
import { createMigratedDatabase, type MigratedDatabase } from '../support/migratedDatabase';

const DATE = '2026-11-24';
const SIM = `trading-day-${DATE}-sim`;

describe('reportData repository', () => {
  let d: MigratedDatabase;

  const day = (workflowId: string, runId: string, accountId: string, tradingDate = DATE) =>
    startTradingDay(d.db, { workflowId, runId, tradingDate, mode: 'autonomous', accountId, speed: '600' });
  const buy = (accountId: string, id: string, tradingDate = DATE) =>
    upsertOrder(d.db, {
      accountId,
      brokerOrderId: id,
      clientOrderId: `cat-${tradingDate.replaceAll('-', '')}-c01-AAPL-entry`,
      tradingDate,
      symbol: 'AAPL',
      side: 'buy',
      type: 'limit',
      legRole: 'entry',
      qty: '1',
      filledQty: '1',
      filledAvgPrice: '10',
      status: 'filled',
      filledAt: `${tradingDate}T15:00:00.000Z`,
    });

  beforeAll(async () => {
    d = await createMigratedDatabase();
    // A simulator date run twice under one id (each run a fresh account), a backtest, and paper days.
    await day(SIM, 'old-run', 'acct-old');
    await day(SIM, 'new-run', 'acct-new');
    await day(`trading-day-2026-11-23-sim-bt5-abc`, 'bt', 'acct-bt', '2026-11-23');
    await day(`trading-day-2026-11-25-paper-PAsim1`, 'p1', 'PAsim1', '2026-11-25');
    await buy('acct-old', 'o-old');
    await buy('acct-new', 'o-new');
    await buy('someone-else', 'o-foreign');

    const cycleId = `${DATE}-c01-newrun`;
    await startCycle(d.db, {
      cycleId,
      tradingDate: DATE,
      workflowId: SIM,
      runId: 'new-run',
      cycleNumber: 1,
      marketTime: `${DATE}T14:35:00.000Z`,
      config: { trading: { workflow: { flatten_before_close_minutes: 15 } } },
    });
    await finishCycle(d.db, {
      cycleId,
      status: 'completed',
      funnel: {
        universe: 9,
        scanned: 3,
        news: 3,
        patterns: 3,
        technical: 3,
        scored: 2,
        risk_approved: 1,
        orders: 1,
      },
    });
    await recordScanResults(d.db, cycleId, [
      { symbol: 'AAPL', rank: 1, price: '10', volume: 1 },
      { symbol: 'MSFT', rank: 2, price: '10', volume: 1 },
      { symbol: 'IBM', rank: 3, price: '10', volume: 1 },
    ]);
    await updateScanScores(d.db, cycleId, [
      { symbol: 'AAPL', compositeScore: 70, finalRank: 1, riskApproved: true, riskReasons: ['size'] },
      { symbol: 'MSFT', compositeScore: 60, finalRank: 2 },
    ]);
    const event = (eventKey: string, cycle: string | null = null) =>
      recordRiskEvent(d.db, {
        eventKey,
        tradingDate: DATE,
        cycleId: cycle,
        eventType: 'x',
        severity: 'INFO',
        message: eventKey,
      });
    await event('acct-new/cat-20261124-c01-AAPL-exit-a1');
    await event(`${SIM}/new-run/emergency-stop/r1`);
    await event('cat-20261124-c01-MSFT-entry-rejected', cycleId);
    await event('halt-without-day/1');
    await event('acct-old/old-run-event');
    await event('someone-else/x');
  }, 60_000);
  afterAll(async () => d?.dispose());

  it('the latest recorded date, on every venue or on one (the venue right after the date)', async () => {
    expect(await latestReportDate(d.db)).toBe('2026-11-25');
    expect(await latestReportDate(d.db, 'simulator')).toBe(DATE);
    expect(await latestReportDate(d.db, 'paper')).toBe('2026-11-25');
    expect(await latestReportDate(d.db, 'live')).toBeNull();
  });

  it("a replayed date is its latest run, with that run's account, cycles, candidates and events", async () => {
    const data = await readReportData(d.db, { from: DATE, to: DATE, venue: 'simulator' });
    expect(data.days.map((x) => [x.workflowId, x.runId, x.flattenBeforeCloseMinutes])).toEqual([
      [SIM, 'new-run', 15],
    ]);
    expect(data.orders.map((o) => o.brokerOrderId)).toEqual(['o-new']);
    expect(data.cycles.map((c) => [c.cycleNumber, c.funnel?.orders])).toEqual([[1, 1]]);
    // Only what reached scoring or the risk manager.
    expect(data.candidates.map((c) => [c.symbol, c.riskApproved, c.riskReasons])).toEqual([
      ['AAPL', true, ['size']],
      ['MSFT', null, []],
    ]);
    expect(data.riskEvents.map((e) => e.eventKey).sort()).toEqual(
      [
        'acct-new/cat-20261124-c01-AAPL-exit-a1',
        `${SIM}/new-run/emergency-stop/r1`,
        'cat-20261124-c01-MSFT-entry-rejected',
        'halt-without-day/1',
      ].sort(),
    );
  });

  it('a range and a venue: the backtest day is a simulator day, the paper day is not', async () => {
    const sim = await readReportData(d.db, { from: '2026-11-23', to: '2026-11-25', venue: 'simulator' });
    expect(sim.days.map((x) => x.workflowId)).toEqual([`trading-day-2026-11-23-sim-bt5-abc`, SIM]);
    const paper = await readReportData(d.db, { from: '2026-11-23', to: '2026-11-25', venue: 'paper' });
    expect(paper.days.map((x) => x.accountId)).toEqual(['PAsim1']);
    const none = await readReportData(d.db, { from: '2026-11-26', to: '2026-11-30' });
    expect(none).toEqual({ days: [], orders: [], positions: [], cycles: [], candidates: [], riskEvents: [] });
  });
});
