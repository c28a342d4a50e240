import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rows } from '../../src/db/rows';
import { ordersForDay, upsertOrder, type OrderRow } from '../../src/db/repositories/orders';
import { startCycle } from '../../src/db/repositories/tradingCycles';
import { createMigratedDatabase, type MigratedDatabase } from '../support/migratedDatabase';

describe('orders repository', () => {
  let d: MigratedDatabase;
  beforeAll(async () => {
    d = await createMigratedDatabase();
    await startCycle(d.db, {
      cycleId: 'c1',
      tradingDate: '2024-03-08',
      workflowId: 'w',
      runId: 'r',
      cycleNumber: 1,
      marketTime: '2024-03-08T15:00:00Z',
      config: {},
    });
  });
  afterAll(async () => {
    await d?.dispose();
  });

  const entry: OrderRow = {
    accountId: 'acct-1',
    brokerOrderId: 'b-100',
    clientOrderId: '20240308-c1-AAPL-entry',
    cycleId: 'c1',
    tradingDate: '2024-03-08',
    symbol: 'aapl',
    side: 'buy',
    type: 'limit',
    orderClass: 'bracket',
    legRole: 'entry',
    qty: '10',
    limitPrice: '170.25',
    status: 'new',
    submittedAt: '2024-03-08T15:00:01Z',
    updatedAt: '2024-03-08T15:00:01Z',
  };

  test('upserting the same order twice keeps one row with the latest status and fills', async () => {
    const first = await upsertOrder(d.db, entry);
    expect(first).toMatchObject({
      symbol: 'AAPL',
      status: 'new',
      filledQty: '0.000000',
      filledAvgPrice: null,
    });
    const filled = await upsertOrder(d.db, {
      ...entry,
      cycleId: null,
      status: 'filled',
      filledQty: '10',
      filledAvgPrice: '170.21',
      filledAt: '2024-03-08T15:00:05Z',
      updatedAt: '2024-03-08T15:00:05Z',
    });
    expect(filled).toMatchObject({
      id: first.id,
      status: 'filled',
      filledQty: '10.000000',
      filledAvgPrice: '170.210000',
      limitPrice: '170.250000',
      // Reconciliation did not know the cycle; the stored link survives.
      cycleId: 'c1',
      legRole: 'entry',
    });
    expect(filled.filledAt).toEqual(new Date('2024-03-08T15:00:05Z'));
    expect(
      await upsertOrder(d.db, { ...entry, status: 'filled', updatedAt: '2024-03-08T15:00:05Z' }),
    ).toMatchObject({
      status: 'filled',
      filledQty: '10.000000',
    });
    expect(await ordersForDay(d.db, 'acct-1', '2024-03-08')).toHaveLength(1);
  });

  test('a snapshot older than the stored one changes nothing', async () => {
    const stale = await upsertOrder(d.db, {
      ...entry,
      status: 'accepted',
      updatedAt: '2024-03-08T15:00:02Z',
    });
    expect(stale.status).toBe('filled');
  });

  test('bracket legs are stored with their parent and listed in submission order', async () => {
    await upsertOrder(d.db, {
      ...entry,
      brokerOrderId: 'b-101',
      clientOrderId: '20240308-c1-AAPL-tp',
      side: 'sell',
      type: 'limit',
      legRole: 'take_profit',
      parentBrokerOrderId: 'b-100',
      limitPrice: '180.47',
      status: 'held',
      submittedAt: '2024-03-08T15:00:02Z',
    });
    await upsertOrder(d.db, {
      ...entry,
      brokerOrderId: 'b-102',
      clientOrderId: '20240308-c1-AAPL-sl',
      side: 'sell',
      type: 'stop',
      legRole: 'stop_loss',
      parentBrokerOrderId: 'b-100',
      limitPrice: null,
      stopPrice: '166.85',
      status: 'held',
      submittedAt: '2024-03-08T15:00:03Z',
    });
    const day = await ordersForDay(d.db, 'acct-1', '2024-03-08');
    expect(day.map((o) => [o.brokerOrderId, o.legRole, o.parentBrokerOrderId])).toEqual([
      ['b-100', 'entry', null],
      ['b-101', 'take_profit', 'b-100'],
      ['b-102', 'stop_loss', 'b-100'],
    ]);
    expect(day[2]).toMatchObject({ stopPrice: '166.850000', limitPrice: null });
    expect(await ordersForDay(d.db, 'acct-2', '2024-03-08')).toEqual([]);
  });

  test('a client order id is unique per account, but may repeat across accounts', async () => {
    await expect(upsertOrder(d.db, { ...entry, brokerOrderId: 'b-999' })).rejects.toThrow();
    const other = await upsertOrder(d.db, { ...entry, accountId: 'acct-2' });
    expect(other.accountId).toBe('acct-2');
    const [n] = await rows<{ n: number }>(d.db, sql`select count(*)::int as n from orders`);
    expect(n!.n).toBe(4);
  });

  test('invalid values are refused', async () => {
    await expect(
      upsertOrder(d.db, { ...entry, brokerOrderId: 'b-x', clientOrderId: 'x', qty: '0' }),
    ).rejects.toThrow();
    await expect(
      upsertOrder(d.db, { ...entry, brokerOrderId: 'b-y', clientOrderId: 'y', legRole: 'other' as never }),
    ).rejects.toThrow();
    await expect(
      upsertOrder(d.db, { ...entry, brokerOrderId: 'b-z', clientOrderId: 'z', submittedAt: 'yesterday' }),
    ).rejects.toThrow(/submittedAt must be a Date or an ISO-8601 timestamp/);
  });
});
