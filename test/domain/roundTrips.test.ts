import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  matchRoundTrips,
  matchRoundTripsReport,
  totalRealizedPnl,
  type Fill,
} from '../../src/domain/positions/roundTrips';

const fill = (p: Partial<Fill> & Pick<Fill, 'side' | 'qty' | 'price' | 'filledAt'>): Fill => ({
  orderId: `${p.side}-${p.filledAt}`,
  clientOrderId: `cid-${p.side}-${p.filledAt}`,
  symbol: 'AAPL',
  ...p,
});

describe('matchRoundTrips', () => {
  it('closes a bracket exit against its entry with exact P&L', () => {
    const trips = matchRoundTrips([
      fill({ side: 'buy', qty: 10, price: '187.13', filledAt: '2026-11-24T15:00:00Z' }),
      fill({ side: 'sell', qty: 10, price: '190.07', filledAt: '2026-11-24T16:00:00Z' }),
    ]);
    expect(trips).toHaveLength(1);
    expect(trips[0]).toMatchObject({
      openQty: 0,
      closedQty: 10,
      exitPrice: '190.070000',
      realizedPnl: '29.400000',
      closedAt: '2026-11-24T16:00:00Z',
    });
    expect(totalRealizedPnl(trips)).toBe('29.40');
  });

  it('keeps a partly closed lot open and matches FIFO across two entries', () => {
    const trips = matchRoundTrips([
      fill({ side: 'buy', qty: 5, price: '10.00', filledAt: '2026-11-24T15:00:00Z' }),
      fill({ side: 'buy', qty: 5, price: '11.00', filledAt: '2026-11-24T15:30:00Z' }),
      fill({ side: 'sell', qty: 7, price: '12.00', filledAt: '2026-11-24T16:00:00Z' }),
    ]);
    expect(trips.map((t) => [t.openQty, t.realizedPnl])).toEqual([
      [0, '10.000000'],
      [3, '2.000000'],
    ]);
  });

  it('refuses a sell larger than what was bought', () => {
    expect(() =>
      matchRoundTrips([fill({ side: 'sell', qty: 1, price: '1.00', filledAt: '2026-11-24T15:00:00Z' })]),
    ).toThrow(/more shares than were bought/);
  });

  it('total realized equals sells minus buys when the book ends flat (no cent lost)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 1, max: 500 }),
            fc.integer({ min: 1, max: 50_000_00 }),
            fc.integer({ min: 1, max: 50_000_00 }),
          ),
          { minLength: 1, maxLength: 20 },
        ),
        (lots) => {
          const fills: Fill[] = [];
          let cash = 0n;
          lots.forEach(([qty, buyCents, sellCents], i) => {
            const buy = (buyCents / 100).toFixed(2);
            const sell = (sellCents / 100).toFixed(2);
            fills.push(
              fill({
                side: 'buy',
                qty,
                price: buy,
                filledAt: `2026-11-24T15:${String(i).padStart(2, '0')}:00Z`,
                orderId: `b${i}`,
              }),
            );
            fills.push(
              fill({
                side: 'sell',
                qty,
                price: sell,
                filledAt: `2026-11-24T16:${String(i).padStart(2, '0')}:00Z`,
                orderId: `s${i}`,
              }),
            );
            cash += BigInt(sellCents - buyCents) * BigInt(qty);
          });
          const total = totalRealizedPnl(matchRoundTrips(fills));
          const expected = `${cash < 0n ? '-' : ''}${(cash < 0n ? -cash : cash) / 100n}.${String((cash < 0n ? -cash : cash) % 100n).padStart(2, '0')}`;
          expect(total).toBe(expected === '-0.00' ? '0.00' : expected);
        },
      ),
    );
  });
});

/**
 * The monitor's variant: a damaged record (a sell with no open lot, e.g. one Catalyst never saw
 * the entry of) is reported, never thrown, so one bad order cannot stop a tick.
 */
describe('matchRoundTripsReport', () => {
  const SYMS = ['AAPL', 'MSFT'];
  const fillsArb = fc
    .array(
      fc.record({
        symbol: fc.constantFrom(...SYMS),
        side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
        qty: fc.integer({ min: 1, max: 100 }),
        cents: fc.integer({ min: 1, max: 100_000 }),
        minute: fc.integer({ min: 0, max: 59 }),
      }),
      { maxLength: 25 },
    )
    .map((specs) =>
      specs.map((s, i) =>
        fill({
          orderId: `f${i}`,
          clientOrderId: `cid-${i}`,
          symbol: s.symbol,
          side: s.side,
          qty: s.qty,
          price: (s.cents / 100).toFixed(2),
          filledAt: `2026-11-24T15:${String(s.minute).padStart(2, '0')}:00Z`,
        }),
      ),
    );

  /** Shares each sell found no position for, by a running count per symbol (no lots involved). */
  function excessByCount(fills: Fill[]): Map<string, number> {
    // Same instant: buys first (a bracket's entry and its exit can share a minute).
    const ordered = [...fills].sort((a, b) =>
      a.filledAt === b.filledAt
        ? a.side === b.side
          ? 0
          : a.side === 'buy'
            ? -1
            : 1
        : a.filledAt < b.filledAt
          ? -1
          : 1,
    );
    const held = new Map<string, number>();
    const excess = new Map<string, number>();
    for (const f of ordered) {
      const h = held.get(f.symbol) ?? 0;
      if (f.side === 'buy') held.set(f.symbol, h + f.qty);
      else {
        held.set(f.symbol, Math.max(0, h - f.qty));
        if (f.qty > h) excess.set(f.symbol, (excess.get(f.symbol) ?? 0) + f.qty - h);
      }
    }
    return excess;
  }

  it('never throws; every share bought is open or closed, every share sold closed a lot or is reported', () => {
    fc.assert(
      fc.property(fillsArb, (fills) => {
        const { trips, excessSells } = matchRoundTripsReport(fills);
        for (const sym of SYMS) {
          const mine = fills.filter((f) => f.symbol === sym);
          const bought = mine.filter((f) => f.side === 'buy').reduce((n, f) => n + f.qty, 0);
          const sold = mine.filter((f) => f.side === 'sell').reduce((n, f) => n + f.qty, 0);
          const t = trips.filter((x) => x.symbol === sym);
          const excess = excessSells.filter((x) => x.symbol === sym).reduce((n, x) => n + x.qty, 0);
          expect(t.reduce((n, x) => n + x.qty, 0)).toBe(bought);
          expect(t.reduce((n, x) => n + x.openQty + x.closedQty, 0)).toBe(bought);
          expect(t.reduce((n, x) => n + x.closedQty, 0) + excess).toBe(sold);
          expect(excess).toBe(excessByCount(fills).get(sym) ?? 0);
        }
        // One trip per buy fill, named by it.
        expect(trips.map((t) => t.entryOrderId).sort()).toEqual(
          fills
            .filter((f) => f.side === 'buy')
            .map((f) => f.orderId)
            .sort(),
        );
      }),
    );
  });

  it('agrees with matchRoundTrips, which throws exactly when there is something to report', () => {
    fc.assert(
      fc.property(fillsArb, (fills) => {
        const { trips, excessSells } = matchRoundTripsReport(fills);
        if (excessSells.length === 0) expect(matchRoundTrips(fills)).toEqual(trips);
        else expect(() => matchRoundTrips(fills)).toThrow(/more shares than were bought/);
      }),
    );
  });

  it('a sell larger than the open lots closes them and reports only the rest', () => {
    const { trips, excessSells } = matchRoundTripsReport([
      fill({ side: 'buy', qty: 5, price: '10.00', filledAt: '2026-11-24T15:00:00Z', orderId: 'b1' }),
      fill({ side: 'sell', qty: 8, price: '12.00', filledAt: '2026-11-24T15:10:00Z', orderId: 's1' }),
    ]);
    expect(excessSells).toEqual([{ orderId: 's1', symbol: 'AAPL', qty: 3 }]);
    expect(trips).toEqual([
      expect.objectContaining({ openQty: 0, closedQty: 5, realizedPnl: '10.000000', exitOrderIds: ['s1'] }),
    ]);
  });
});
