import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rows } from '../../src/db/rows';
import { cyclesForDay, finishCycle, startCycle } from '../../src/db/repositories/tradingCycles';
import type { CycleFunnel } from '../../src/db/schema';
import { createMigratedDatabase, type MigratedDatabase } from '../support/migratedDatabase';

describe('trading cycles repository', () => {
  let d: MigratedDatabase;
  beforeAll(async () => {
    d = await createMigratedDatabase();
  });
  afterAll(async () => {
    await d?.dispose();
  });

  const cycle = {
    cycleId: '2024-03-08-c01',
    tradingDate: '2024-03-08',
    workflowId: 'trading-day-2024-03-08',
    runId: 'run-1',
    cycleNumber: 1,
    marketTime: '2024-03-08T14:30:00Z',
    config: { topN: 3 },
  };
  const funnel: CycleFunnel = {
    universe: 4200,
    scanned: 200,
    news: 35,
    patterns: 20,
    technical: 10,
    scored: 6,
    risk_approved: 4,
    orders: 3,
  };

  test('startCycle twice keeps one row and refreshes the config', async () => {
    const first = await startCycle(d.db, cycle);
    const second = await startCycle(d.db, { ...cycle, config: { topN: 5 } });
    expect(second).toMatchObject({ cycleId: cycle.cycleId, status: 'running', config: { topN: 5 } });
    expect(second.marketTime).toEqual(new Date('2024-03-08T14:30:00Z'));
    expect(second.startedAt).toEqual(first.startedAt);
    expect(await cyclesForDay(d.db, '2024-03-08')).toHaveLength(1);
  });

  test('finishCycle stores the funnel; a retry updates it without a second row', async () => {
    const first = await finishCycle(d.db, { cycleId: cycle.cycleId, status: 'completed', funnel });
    const second = await finishCycle(d.db, {
      cycleId: cycle.cycleId,
      status: 'failed',
      funnel: { ...funnel, orders: 0 },
      error: 'broker unavailable',
    });
    expect(second).toMatchObject({
      status: 'failed',
      funnel: { ...funnel, orders: 0 },
      error: 'broker unavailable',
    });
    expect(second.finishedAt).toEqual(first.finishedAt);
    const [n] = await rows<{ n: number }>(d.db, sql`select count(*)::int as n from trading_cycles`);
    expect(n!.n).toBe(1);
  });

  test('a second cycle with the same id is refused by the primary key', async () => {
    await expect(
      d.db
        .execute(sql`insert into trading_cycles (cycle_id, trading_date, workflow_id, run_id, cycle_number, market_time, config)
                       values (${cycle.cycleId}, '2024-03-08', 'w', 'r', 2, now(), '{}')`),
    ).rejects.toThrow();
  });

  test('finishing an unknown cycle names it', async () => {
    await expect(finishCycle(d.db, { cycleId: 'missing', status: 'completed', funnel })).rejects.toThrow(
      /missing/,
    );
  });
});
