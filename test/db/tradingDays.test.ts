import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rows } from '../../src/db/rows';
import { finishTradingDay, startTradingDay, tradingDaysOn } from '../../src/db/repositories/tradingDays';
import { createMigratedDatabase, type MigratedDatabase } from '../support/migratedDatabase';

describe('trading days repository', () => {
  let d: MigratedDatabase;
  beforeAll(async () => {
    d = await createMigratedDatabase();
  });
  afterAll(async () => {
    await d?.dispose();
  });

  const run = { workflowId: 'trading-day-2024-03-08', runId: 'run-1' };

  test('startTradingDay twice keeps one row with the latest parameters', async () => {
    const first = await startTradingDay(d.db, {
      ...run,
      tradingDate: '2024-03-08',
      mode: 'autonomous',
      accountId: 'sim',
      speed: '600',
      seed: 7,
    });
    const second = await startTradingDay(d.db, {
      ...run,
      tradingDate: '2024-03-08',
      mode: 'supervised',
      accountId: 'sim',
      speed: '600',
    });
    expect(second.id).toBe(first.id);
    expect(second).toMatchObject({ mode: 'supervised', seed: null, status: 'running', speed: '600.000000' });
    expect(second.startedAt).toEqual(first.startedAt);
    expect(await tradingDaysOn(d.db, '2024-03-08')).toHaveLength(1);
  });

  test('finishTradingDay records the outcome; a retry keeps one row and the first finish time', async () => {
    const input = {
      ...run,
      status: 'completed' as const,
      cycles: 12,
      ordersSubmitted: 9,
      fills: 6,
      realizedPnl: '-12.34',
      openPositionsAtClose: 0,
      openOrdersAtClose: 0,
      halted: false,
      summary: { winners: 2 },
    };
    const first = await finishTradingDay(d.db, input);
    const second = await finishTradingDay(d.db, { ...input, halted: true, haltReason: 'operator' });
    expect(second).toMatchObject({
      id: first.id,
      status: 'completed',
      cycles: 12,
      realizedPnl: '-12.340000',
      halted: true,
      haltReason: 'operator',
      summary: { winners: 2 },
    });
    expect(second.finishedAt).toEqual(first.finishedAt);
    expect(await tradingDaysOn(d.db, '2024-03-08')).toHaveLength(1);
  });

  test('finishing an unknown run is an error that names it', async () => {
    await expect(
      finishTradingDay(d.db, {
        workflowId: 'trading-day-2024-01-01',
        runId: 'nope',
        status: 'market_closed',
        cycles: 0,
        ordersSubmitted: 0,
        fills: 0,
        realizedPnl: '0',
        openPositionsAtClose: 0,
        openOrdersAtClose: 0,
        halted: false,
      }),
    ).rejects.toThrow(/trading-day-2024-01-01 run nope/);
  });

  test('(workflow_id, run_id) is unique and status is constrained', async () => {
    await expect(
      d.db.execute(sql`insert into trading_days (workflow_id, run_id, trading_date, mode, account_id, speed)
                       values ('trading-day-2024-03-08', 'run-1', '2024-03-08', 'x', 'y', 1)`),
    ).rejects.toThrow();
    await expect(
      d.db
        .execute(sql`insert into trading_days (workflow_id, run_id, trading_date, mode, account_id, speed, status)
                       values ('w', 'r', '2024-03-08', 'x', 'y', 1, 'bogus')`),
    ).rejects.toThrow();
    const [n] = await rows<{ n: number }>(d.db, sql`select count(*)::int as n from trading_days`);
    expect(n!.n).toBe(1);
  });

  test('bad dates are refused with the field name', async () => {
    await expect(
      startTradingDay(d.db, {
        ...run,
        runId: 'r2',
        tradingDate: '03/08/2024',
        mode: 'm',
        accountId: 'a',
        speed: '1',
      }),
    ).rejects.toThrow(/tradingDate must be a date as YYYY-MM-DD/);
  });
});
