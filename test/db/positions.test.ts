import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rows } from '../../src/db/rows';
import {
  closePosition,
  markPosition,
  openPosition,
  positionsForDay,
  upsertPosition,
  type OpenPositionInput,
  type PositionStateInput,
} from '../../src/db/repositories/positions';
import { toMicros } from '../../src/domain/money';
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

/**
 * upsertPosition: the monitor writes each position as the broker's fills describe it now, every
 * tick. One row per entry order; quantity and entry price follow partial fills; what a later,
 * less informed write lacks (cycle, leg prices) is kept; the first exit reason stands.
 */
describe('upsertPosition', () => {
  let d: MigratedDatabase;
  beforeAll(async () => {
    d = await createMigratedDatabase();
  });
  afterAll(async () => {
    await d?.dispose();
  });

  let n = 0;
  const base = (over: Partial<PositionStateInput> = {}): PositionStateInput => ({
    accountId: 'acct-up',
    tradingDate: '2026-11-24',
    symbol: 'aapl',
    entryClientOrderId: `cat-20261124-c0${(n % 9) + 1}-AAPL-entry-${n}`,
    side: 'long',
    qty: '8',
    entryPrice: '150.10',
    status: 'open',
    openedAt: '2026-11-24T14:36:00Z',
    ...over,
  });
  const count = async (entryClientOrderId: string) =>
    (
      await rows<{ n: number }>(
        d.db,
        sql`select count(*)::int as n from positions where entry_client_order_id = ${entryClientOrderId}`,
      )
    )[0]!.n;
  const fresh = (over: Partial<PositionStateInput> = {}) => {
    n += 1;
    return base(over);
  };

  test('inserts, then follows the entry as it fills: quantity and average price, one row', async () => {
    const first = fresh({
      cycleId: 'cyc-5',
      stopPrice: '147.00',
      takeProfitPrice: '159.00',
      currentPrice: '150.20',
      unrealizedPnl: '0.80',
    });
    const inserted = await upsertPosition(d.db, first);
    expect(inserted).toMatchObject({
      symbol: 'AAPL',
      cycleId: 'cyc-5',
      qty: '8.000000',
      entryPrice: '150.100000',
      stopPrice: '147.000000',
      takeProfitPrice: '159.000000',
      status: 'open',
      currentPrice: '150.200000',
      unrealizedPnl: '0.800000',
      exitPrice: null,
      realizedPnl: null,
      exitReason: null,
      closedAt: null,
    });
    expect(inserted.openedAt).toEqual(new Date('2026-11-24T14:36:00Z'));
    const grown = await upsertPosition(d.db, {
      ...first,
      qty: '20',
      entryPrice: '150.28',
      openedAt: '2026-11-24T14:37:00Z',
      currentPrice: '150.50',
      unrealizedPnl: '4.40',
    });
    expect(grown).toMatchObject({
      id: inserted.id,
      qty: '20.000000',
      entryPrice: '150.280000',
      currentPrice: '150.500000',
    });
    // The position opened with its first fill, not when the entry completed.
    expect(grown.openedAt).toEqual(new Date('2026-11-24T14:36:00Z'));
    expect(await count(first.entryClientOrderId)).toBe(1);
  });

  test('never forgets the cycle or the leg prices when a later write lacks them', async () => {
    const first = fresh({ cycleId: 'cyc-2', stopPrice: '98.00', takeProfitPrice: '106.00' });
    await upsertPosition(d.db, first);
    const lacking = await upsertPosition(d.db, {
      ...first,
      cycleId: null,
      stopPrice: null,
      takeProfitPrice: undefined,
      qty: '10',
    });
    expect(lacking).toMatchObject({
      cycleId: 'cyc-2',
      stopPrice: '98.000000',
      takeProfitPrice: '106.000000',
      qty: '10.000000',
    });
    // A write that knows them (a new stop after a partial take-profit) still updates them.
    const known = await upsertPosition(d.db, {
      ...first,
      cycleId: 'cyc-2',
      stopPrice: '99.00',
      takeProfitPrice: '107.00',
    });
    expect(known).toMatchObject({ stopPrice: '99.000000', takeProfitPrice: '107.000000' });
    // A position first seen by reconciliation without its cycle gets it from a later write.
    const orphan = fresh({ cycleId: null });
    expect((await upsertPosition(d.db, orphan)).cycleId).toBeNull();
    expect((await upsertPosition(d.db, { ...orphan, cycleId: 'cyc-9' })).cycleId).toBe('cyc-9');
  });

  test('closing records the exit, realized P&L and time; the first exit reason stands', async () => {
    const open = fresh({ qty: '10', entryPrice: '100.00', currentPrice: '101.00', unrealizedPnl: '10.00' });
    await upsertPosition(d.db, open);
    const close = {
      ...open,
      status: 'closed' as const,
      exitPrice: '106.00',
      realizedPnl: '60.00',
      exitReason: 'take_profit',
      closedAt: '2026-11-24T15:10:00Z',
    };
    const closed = await upsertPosition(d.db, close);
    expect(closed).toMatchObject({
      status: 'closed',
      exitPrice: '106.000000',
      currentPrice: '106.000000',
      unrealizedPnl: '0.000000',
      realizedPnl: '60.000000',
      exitReason: 'take_profit',
    });
    expect(closed.closedAt).toEqual(new Date('2026-11-24T15:10:00Z'));
    // A later writer that calls it something else (or nothing) does not rewrite history.
    expect((await upsertPosition(d.db, { ...close, exitReason: 'exit' })).exitReason).toBe('take_profit');
    expect((await upsertPosition(d.db, { ...close, exitReason: null })).exitReason).toBe('take_profit');
    expect(await count(open.entryClientOrderId)).toBe(1);
  });

  test('is idempotent: the same write twice leaves the same row', async () => {
    const w = fresh({ cycleId: 'cyc-1', stopPrice: '1.00', currentPrice: '2.00', unrealizedPnl: '0' });
    const a = await upsertPosition(d.db, w);
    const b = await upsertPosition(d.db, w);
    const { updatedAt: _ua, ...restA } = a;
    const { updatedAt: _ub, ...restB } = b;
    expect(restB).toEqual(restA);
    expect(await count(w.entryClientOrderId)).toBe(1);
  });

  test('rows are per account: the same entry id in another account is another position', async () => {
    const w = fresh();
    await upsertPosition(d.db, w);
    await upsertPosition(d.db, { ...w, accountId: 'acct-other', qty: '3' });
    expect(await count(w.entryClientOrderId)).toBe(2);
    expect((await upsertPosition(d.db, w)).qty).toBe('8.000000');
  });

  test('property: after any sequence of writes, one row holding the last facts and the first exit reason', async () => {
    const price = fc.integer({ min: 1, max: 1_000_000 }).map((c) => (c / 100).toFixed(2));
    const write = fc.record({
      qty: fc.integer({ min: 1, max: 500 }).map(String),
      entryPrice: price,
      cycleId: fc.option(fc.constantFrom('cyc-a', 'cyc-b'), { nil: null }),
      stopPrice: fc.option(price, { nil: undefined }),
      takeProfitPrice: fc.option(price, { nil: null }),
      closed: fc.boolean(),
      currentPrice: fc.option(price, { nil: null }),
      exitPrice: price,
      realizedPnl: fc.integer({ min: -100_000, max: 100_000 }).map((c) => (c / 100).toFixed(2)),
      exitReason: fc.option(fc.constantFrom('take_profit', 'stop_loss', 'exit'), { nil: null }),
      closedAt: fc
        .integer({ min: 0, max: 390 })
        .map((m) => new Date(Date.parse('2026-11-24T14:30:00Z') + m * 60_000).toISOString()),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 6 }), async (writes) => {
        const key = fresh();
        let row;
        for (const w of writes)
          row = await upsertPosition(d.db, {
            ...key,
            qty: w.qty,
            entryPrice: w.entryPrice,
            cycleId: w.cycleId,
            stopPrice: w.stopPrice,
            takeProfitPrice: w.takeProfitPrice,
            status: w.closed ? 'closed' : 'open',
            currentPrice: w.currentPrice,
            ...(w.closed
              ? {
                  exitPrice: w.exitPrice,
                  realizedPnl: w.realizedPnl,
                  exitReason: w.exitReason,
                  closedAt: w.closedAt,
                }
              : {}),
          });
        const last = writes.at(-1)!;
        const lastKnown = <K extends keyof typeof last>(k: K) =>
          writes
            .map((w) => w[k])
            .filter((v) => v != null)
            .at(-1) ?? null;
        const firstReason =
          writes.map((w) => (w.closed ? w.exitReason : null)).find((r) => r !== null) ?? null;
        const micros = (v: string | null) => (v === null ? null : toMicros(v));
        expect(await count(key.entryClientOrderId)).toBe(1);
        expect(toMicros(row!.qty)).toBe(toMicros(last.qty));
        expect(toMicros(row!.entryPrice)).toBe(toMicros(last.entryPrice));
        expect(row!.status).toBe(last.closed ? 'closed' : 'open');
        expect(row!.cycleId).toBe(lastKnown('cycleId'));
        expect(micros(row!.stopPrice)).toBe(micros(lastKnown('stopPrice') as string | null));
        expect(micros(row!.takeProfitPrice)).toBe(micros(lastKnown('takeProfitPrice') as string | null));
        expect(row!.exitReason).toBe(firstReason);
        if (last.closed) {
          expect(micros(row!.exitPrice)).toBe(toMicros(last.exitPrice));
          expect(micros(row!.currentPrice)).toBe(toMicros(last.exitPrice));
          expect(micros(row!.realizedPnl)).toBe(toMicros(last.realizedPnl));
          expect(micros(row!.unrealizedPnl)).toBe(0n);
          expect(row!.closedAt).toEqual(new Date(last.closedAt));
        } else {
          expect(row!.closedAt).toBeNull();
        }
        expect(row!.openedAt).toEqual(new Date(key.openedAt as string));
      }),
      { numRuns: 40 },
    );
  });
});
