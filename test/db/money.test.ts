import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rows } from '../../src/db/rows';
import { closePosition, openPosition, positionsForDay } from '../../src/db/repositories/positions';
import { createMigratedDatabase, type MigratedDatabase } from '../support/migratedDatabase';

describe('money round-trips exactly', () => {
  let d: MigratedDatabase;
  beforeAll(async () => {
    d = await createMigratedDatabase();
  });
  afterAll(async () => {
    await d?.dispose();
  });

  const open = (key: string, entryPrice: string) =>
    openPosition(d.db, {
      accountId: 'acct',
      tradingDate: '2024-03-08',
      symbol: 'MNY',
      entryClientOrderId: key,
      side: 'long',
      qty: '1',
      entryPrice,
    });

  test("'0.1' + '0.2' stored and summed in SQL is '0.300000'", async () => {
    await open('a', '0.1');
    await open('b', '0.2');
    const [sum] = await rows<{ total: string }>(
      d.db,
      sql`select sum(entry_price)::numeric(18,6)::text as total from positions where account_id = 'acct'`,
    );
    expect(sum!.total).toBe('0.300000');
  });

  test('large and sub-cent amounts come back as the same decimal strings', async () => {
    const stored = await open('c', '123456789012.123456');
    expect(stored.entryPrice).toBe('123456789012.123456');
    const closed = await closePosition(d.db, {
      accountId: 'acct',
      entryClientOrderId: 'c',
      exitPrice: '0.000001',
      realizedPnl: '-123456789012.123455',
      exitReason: 'test',
      closedAt: new Date('2024-03-08T20:00:00Z'),
    });
    expect(closed.realizedPnl).toBe('-123456789012.123455');
    expect(closed.exitPrice).toBe('0.000001');
    expect(typeof closed.realizedPnl).toBe('string');
  });

  test('realized P&L sums without float drift', async () => {
    for (const [key, pnl] of [
      ['d', '0.10'],
      ['e', '0.20'],
      ['f', '-0.30'],
    ] as const) {
      await open(key, '10');
      await closePosition(d.db, {
        accountId: 'acct',
        entryClientOrderId: key,
        exitPrice: '10',
        realizedPnl: pnl,
        exitReason: 'test',
        closedAt: '2024-03-08T20:00:00Z',
      });
    }
    const [sum] = await rows<{ total: string }>(
      d.db,
      sql`select sum(realized_pnl)::text as total from positions where entry_client_order_id in ('d', 'e', 'f')`,
    );
    expect(sum!.total).toBe('0.000000');
    expect((await positionsForDay(d.db, 'acct', '2024-03-08')).length).toBe(6);
  });

  test('values that are not decimal strings are refused before reaching SQL', async () => {
    for (const bad of ['NaN', 'Infinity', '1e3', '', '12,50', ' ']) {
      await expect(open(`bad-${bad}`, bad)).rejects.toThrow(/entryPrice must be a decimal string/);
    }
    await expect(open('bad-number', 0.1 as unknown as string)).rejects.toThrow(/decimal string/);
  });
});
