import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rows } from '../../src/db/rows';
import { recordRiskEvent, riskEventsForDay } from '../../src/db/repositories/riskEvents';
import { createMigratedDatabase, type MigratedDatabase } from '../support/migratedDatabase';

describe('risk events repository', () => {
  let d: MigratedDatabase;
  beforeAll(async () => {
    d = await createMigratedDatabase();
  });
  afterAll(async () => {
    await d?.dispose();
  });

  test('recording the same event key twice keeps the first record', async () => {
    const event = {
      eventKey: 'emergency-stop:2024-03-08:trading-day-2024-03-08',
      tradingDate: '2024-03-08',
      eventType: 'emergency_stop',
      severity: 'CRITICAL' as const,
      message: 'daily loss limit reached',
      details: { realizedPnl: '-2000.00', limit: '2000' },
    };
    const first = await recordRiskEvent(d.db, event);
    const again = await recordRiskEvent(d.db, { ...event, message: 'retry' });
    expect(again).toEqual(first);
    expect(first).toMatchObject({ symbol: null, securityId: null, details: { realizedPnl: '-2000.00' } });
    const [n] = await rows<{ n: number }>(d.db, sql`select count(*)::int as n from risk_events`);
    expect(n!.n).toBe(1);
  });

  test('events may name a symbol and a cycle and are listed per day in order', async () => {
    await recordRiskEvent(d.db, {
      eventKey: 'rejected:c2:NVDA',
      tradingDate: '2024-03-08',
      cycleId: 'c2',
      eventType: 'candidate_rejected',
      severity: 'INFO',
      symbol: 'nvda',
      message: 'correlation 0.82 with AMD > 0.7',
    });
    await recordRiskEvent(d.db, {
      eventKey: 'other-day',
      tradingDate: '2024-03-11',
      eventType: 'loss_warning',
      severity: 'WARNING',
      message: 'x',
    });
    const day = await riskEventsForDay(d.db, '2024-03-08');
    expect(day.map((e) => [e.eventType, e.symbol, e.cycleId])).toEqual([
      ['emergency_stop', null, null],
      ['candidate_rejected', 'NVDA', 'c2'],
    ]);
  });

  test('severity is constrained', async () => {
    await expect(
      recordRiskEvent(d.db, {
        eventKey: 'bad',
        tradingDate: '2024-03-08',
        eventType: 'x',
        severity: 'FATAL' as never,
        message: 'x',
      }),
    ).rejects.toThrow(/severity must be one of INFO, WARNING, CRITICAL/);
    await expect(
      d.db.execute(sql`insert into risk_events (event_key, trading_date, event_type, severity, message)
                       values ('raw', '2024-03-08', 'x', 'FATAL', 'x')`),
    ).rejects.toThrow();
  });
});
