import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rows } from '../../src/db/rows';
import {
  closePosition,
  markPosition,
  openPosition,
  positionsForDay,
  type OpenPositionInput,
} from '../../src/db/repositories/positions';
import { createMigratedDatabase, type MigratedDatabase } from '../support/migratedDatabase';

describe('positions repository', () => {
  let d: MigratedDatabase;
  beforeAll(async () => {
    d = await createMigratedDatabase();
  });
  afterAll(async () => {
    await d?.dispose();
  });

  const open: OpenPositionInput = {
    accountId: 'acct-1',
    tradingDate: '2024-03-08',
    symbol: 'tsla',
    cycleId: 'c1',
    entryClientOrderId: '20240308-c1-TSLA-entry',
    side: 'long',
    qty: '5',
    entryPrice: '175.50',
    stopPrice: '171.99',
    takeProfitPrice: '186.03',
    openedAt: '2024-03-08T15:00:05Z',
  };
  const key = { accountId: open.accountId, entryClientOrderId: open.entryClientOrderId };

  test('opening twice keeps the first record', async () => {
    const first = await openPosition(d.db, open);
    const again = await openPosition(d.db, { ...open, entryPrice: '999' });
    expect(again).toEqual(first);
    expect(first).toMatchObject({
      symbol: 'TSLA',
      status: 'open',
      qty: '5.000000',
      entryPrice: '175.500000',
    });
    expect(first.openedAt).toEqual(new Date('2024-03-08T15:00:05Z'));
  });

  test('marking twice updates the same row', async () => {
    await markPosition(d.db, { ...key, currentPrice: '176', unrealizedPnl: '2.5' });
    const marked = await markPosition(d.db, { ...key, currentPrice: '174.10', unrealizedPnl: '-7.00' });
    expect(marked).toMatchObject({ currentPrice: '174.100000', unrealizedPnl: '-7.000000', status: 'open' });
  });

  test('closing twice leaves one closed row with the latest exit', async () => {
    const close = {
      ...key,
      exitPrice: '171.99',
      realizedPnl: '-17.55',
      exitReason: 'stop_loss',
      closedAt: '2024-03-08T16:10:00Z',
    };
    await closePosition(d.db, close);
    const closed = await closePosition(d.db, { ...close, exitReason: 'stop_loss_fill' });
    expect(closed).toMatchObject({
      status: 'closed',
      exitPrice: '171.990000',
      currentPrice: '171.990000',
      unrealizedPnl: '0.000000',
      realizedPnl: '-17.550000',
      exitReason: 'stop_loss_fill',
    });
    expect(closed.closedAt).toEqual(new Date('2024-03-08T16:10:00Z'));
    // A late mark must not reopen or re-price a closed position.
    const late = await markPosition(d.db, { ...key, currentPrice: '180', unrealizedPnl: '22.5' });
    expect(late).toMatchObject({ status: 'closed', currentPrice: '171.990000' });
    expect(await positionsForDay(d.db, 'acct-1', '2024-03-08')).toHaveLength(1);
  });

  test('unknown positions are named in the error', async () => {
    await expect(
      markPosition(d.db, {
        accountId: 'acct-1',
        entryClientOrderId: 'nope',
        currentPrice: '1',
        unrealizedPnl: '0',
      }),
    ).rejects.toThrow(/entry order nope/);
  });

  test('(account_id, entry_client_order_id) is unique; side and qty are constrained', async () => {
    await expect(
      d.db
        .execute(sql`insert into positions (account_id, trading_date, security_id, entry_client_order_id, side, qty, entry_price)
                       select 'acct-1', '2024-03-08', id, ${open.entryClientOrderId}, 'long', 1, 1 from securities limit 1`),
    ).rejects.toThrow();
    await expect(
      openPosition(d.db, { ...open, entryClientOrderId: 'x', side: 'sideways' as never }),
    ).rejects.toThrow();
    await expect(openPosition(d.db, { ...open, entryClientOrderId: 'y', qty: '-1' })).rejects.toThrow();
    const [n] = await rows<{ n: number }>(d.db, sql`select count(*)::int as n from positions`);
    expect(n!.n).toBe(1);
  });
});
