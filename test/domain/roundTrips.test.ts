import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchRoundTrips, totalRealizedPnl, type Fill } from '../../src/domain/positions/roundTrips';

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
