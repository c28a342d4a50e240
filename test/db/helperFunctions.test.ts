import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rows } from '../../src/db/rows';
import { createMigratedDatabase, type MigratedDatabase } from '../support/migratedDatabase';

describe('helper functions', () => {
  let d: MigratedDatabase;
  beforeAll(async () => {
    d = await createMigratedDatabase();
  });
  afterAll(async () => {
    await d?.dispose();
  });

  test('both functions are installed', async () => {
    const found = await rows<{ proname: string }>(
      d.db,
      sql`select proname from pg_proc where proname in ('get_or_create_security', 'get_or_create_time') order by proname`,
    );
    expect(found.map((r) => r.proname)).toEqual(['get_or_create_security', 'get_or_create_time']);
  });

  test('get_or_create_security upper-cases and returns the same id every time', async () => {
    const [first] = await rows<{ id: number }>(d.db, sql`select get_or_create_security('nvda') as id`);
    const [again] = await rows<{ id: number }>(d.db, sql`select get_or_create_security(' NVDA ') as id`);
    expect(again!.id).toBe(first!.id);
    const stored = await rows<{ symbol: string; is_active: boolean }>(
      d.db,
      sql`select symbol, is_active from securities where id = ${first!.id}`,
    );
    expect(stored).toEqual([{ symbol: 'NVDA', is_active: true }]);
  });

  test('get_or_create_security is safe under concurrent callers', async () => {
    const ids = await Promise.all(
      Array.from({ length: 8 }, () =>
        rows<{ id: number }>(d.db, sql`select get_or_create_security('race') as id`),
      ),
    );
    expect(new Set(ids.map((r) => r[0]!.id)).size).toBe(1);
  });

  test('get_or_create_security refuses an empty symbol', async () => {
    await expect(rows(d.db, sql`select get_or_create_security('  ')`)).rejects.toThrow();
  });

  type TimeRow = {
    date: string;
    hour: number;
    minute: number;
    day_of_week: number;
    is_market_hours: boolean;
    is_trading_day: boolean;
  };
  const timeRow = async (iso: string): Promise<TimeRow & { time_id: string }> => {
    const [created] = await rows<{ time_id: string }>(
      d.db,
      sql`select get_or_create_time(${iso}::timestamptz) as time_id`,
    );
    const [row] = await rows<TimeRow>(
      d.db,
      sql`select to_char(date, 'YYYY-MM-DD') as date, hour, minute, day_of_week, is_market_hours, is_trading_day
          from time_dimension where time_id = ${created!.time_id}`,
    );
    return { ...row!, time_id: String(created!.time_id) };
  };

  test('market hours follow New York time through daylight saving', async () => {
    // 09:30 EST (UTC-5) on a Friday, and 09:30 EDT (UTC-4) the Monday after the switch.
    expect(await timeRow('2024-03-08T14:30:00Z')).toMatchObject({
      hour: 9,
      minute: 30,
      is_market_hours: true,
    });
    expect(await timeRow('2024-03-11T13:30:00Z')).toMatchObject({
      date: '2024-03-11',
      hour: 9,
      minute: 30,
      day_of_week: 1,
      is_market_hours: true,
      is_trading_day: true,
    });
    // 09:29 EDT: the guide's fixed 14:00 UTC rule would call this open in winter and miss 13:30-14:00 UTC in summer.
    expect(await timeRow('2024-03-11T13:29:00Z')).toMatchObject({ is_market_hours: false });
    expect(await timeRow('2024-03-11T19:59:00Z')).toMatchObject({ hour: 15, is_market_hours: true });
    expect(await timeRow('2024-03-11T20:00:00Z')).toMatchObject({ hour: 16, is_market_hours: false });
  });

  test('calendar fields are those of the New York date', async () => {
    // 21:00 EDT Monday is 01:00 UTC Tuesday.
    expect(await timeRow('2024-06-04T01:00:00Z')).toMatchObject({
      date: '2024-06-03',
      day_of_week: 1,
      hour: 21,
    });
    expect(await timeRow('2024-06-08T15:00:00Z')).toMatchObject({
      day_of_week: 6,
      is_market_hours: false,
      is_trading_day: false,
    });
  });

  test('get_or_create_time returns the same id for the same instant in any offset', async () => {
    const a = await timeRow('2024-07-01T14:00:00Z');
    const b = await timeRow('2024-07-01T10:00:00-04:00');
    expect(b.time_id).toBe(a.time_id);
    const [count] = await rows<{ n: number }>(
      d.db,
      sql`select count(*)::int as n from time_dimension where "timestamp" = '2024-07-01T14:00:00Z'`,
    );
    expect(count!.n).toBe(1);
  });
});
