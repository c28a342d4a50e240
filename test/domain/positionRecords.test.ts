/**
 * positionRecords: the positions table's rows computed from the broker's record of Catalyst's
 * orders — one per entry order that filled, following its partial fills and its exits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toMicros } from '../../src/domain/money';
import { catalystBook, positionRecords, type BookOrder } from '../../src/domain/positions';
import { bracket, catId, DATE, dollars, filled, order, position, T, withLeg } from './bookKit';

const recordsOf = (orders: BookOrder[], positions = [position('AAPL', 0)]) =>
  positionRecords(catalystBook({ orders, positions, tradingDate: DATE }));

describe('positionRecords: an entry filling in parts', () => {
  it('quantity and average price follow the entry as it fills; the legs’ prices are kept', () => {
    const partly = bracket({
      symbol: 'AAPL',
      cycle: 5,
      qty: 20,
      filledQty: 8,
      price: '150.10',
      stop: '147.00',
      target: '159.00',
    });
    const [first] = recordsOf([partly]);
    expect(first).toMatchObject({
      entryClientOrderId: catId('AAPL', 5),
      symbol: 'AAPL',
      cycle: 5,
      qty: '8',
      entryPrice: '150.100000',
      stopPrice: '147.00',
      takeProfitPrice: '159.00',
      status: 'open',
      openQty: 8,
      exitPrice: null,
      closedAt: null,
      exitReason: null,
    });
    // The rest filled: 8 at 150.10 and 12 at 150.40 average to 150.28.
    const whole = { ...partly, status: 'filled', filledQty: '20', filledAvgPrice: '150.28', filledAt: T(7) };
    const records = recordsOf([whole]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ qty: '20', entryPrice: '150.280000', openQty: 20, status: 'open' });
  });

  it('an entry that never filled has no record', () => {
    expect(
      recordsOf([bracket({ symbol: 'AAPL', qty: 20, filledQty: 0, stop: '147.00', target: '159.00' })]),
    ).toEqual([]);
  });
});

describe('positionRecords: how a position closed', () => {
  const entry = bracket({
    symbol: 'AAPL',
    cycle: 2,
    qty: 10,
    price: '100.00',
    stop: '98.00',
    target: '106.00',
    at: 5,
  });

  it.each([
    ['limit', 'take_profit', '106.00', '60.000000'],
    ['stop', 'stop_loss', '97.95', '-20.500000'],
  ] as const)('a %s leg fill closes it as %s', (type, reason, price, pnl) => {
    let closed = withLeg(entry, type, {
      status: 'filled',
      filledQty: '10',
      filledAvgPrice: price,
      filledAt: T(40),
    });
    closed = withLeg(closed, type === 'limit' ? 'stop' : 'limit', { status: 'canceled' });
    expect(recordsOf([closed])).toEqual([
      expect.objectContaining({
        status: 'closed',
        openQty: 0,
        exitPrice: toMicrosText(price),
        realizedPnl: pnl,
        closedAt: T(40),
        exitReason: reason,
      }),
    ]);
  });

  it('Catalyst’s exit closes it as exit; a partial exit leaves it open with the part realized', () => {
    const cancelled = { ...entry, legs: entry.legs.map((l) => ({ ...l, status: 'canceled' })) };
    const exit = {
      symbol: 'AAPL',
      side: 'sell' as const,
      qty: '10',
      clientOrderId: catId('AAPL', 2, 'exit', 1),
    };
    const [part] = recordsOf([cancelled, filled(exit, 4, '101.00', 50)]);
    expect(part).toMatchObject({
      status: 'open',
      openQty: 6,
      qty: '10',
      exitPrice: '101.000000',
      realizedPnl: '4.000000',
      closedAt: null,
    });
    const rest = filled({ ...exit, clientOrderId: catId('AAPL', 2, 'exit', 2) }, 6, '102.00', 55);
    const [all] = recordsOf([cancelled, filled(exit, 4, '101.00', 50), rest]);
    // 4 at 101 and 6 at 102: exit 101.60, P&L 4 + 12.
    expect(all).toMatchObject({
      status: 'closed',
      openQty: 0,
      exitPrice: '101.600000',
      realizedPnl: '16.000000',
      closedAt: T(55),
      exitReason: 'exit',
    });
  });
});

describe('positionRecords: only Catalyst’s own', () => {
  it('one record per filled entry of Catalyst’s; their realized P&L sums to the book’s', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            qty: fc.integer({ min: 1, max: 50 }),
            filledPct: fc.constantFrom(0, 50, 100),
            entryCents: fc.integer({ min: 100, max: 20_000 }),
            exitCents: fc.option(fc.integer({ min: 100, max: 20_000 }), { nil: null }),
          }),
          { maxLength: 5 },
        ),
        fc.integer({ min: 0, max: 5 }),
        (lots, manual) => {
          const orders: BookOrder[] = [];
          lots.forEach((l, i) => {
            const fq = Math.floor((l.qty * l.filledPct) / 100);
            let e = bracket({
              symbol: 'AAPL',
              cycle: i + 1,
              qty: l.qty,
              filledQty: fq,
              price: dollars(l.entryCents),
              stop: '0.50',
              target: '300.00',
              at: 10 * i,
            });
            if (fq === l.qty && l.exitCents !== null) {
              e = withLeg(e, 'limit', {
                status: 'filled',
                filledQty: String(fq),
                filledAvgPrice: dollars(l.exitCents),
                filledAt: T(10 * i + 5),
              });
              e = withLeg(e, 'stop', { status: 'canceled' });
            }
            orders.push(e);
          });
          for (let k = 0; k < manual; k++)
            orders.push(
              filled({ symbol: 'AAPL', side: k % 2 ? 'sell' : 'buy', qty: '3' }, 3, '50.00', 3 + k),
            );
          orders.push(
            order({
              symbol: 'AAPL',
              side: 'buy',
              clientOrderId: catId('AAPL', 1, 'entry', undefined, '2026-11-23'),
              filledQty: '9',
              filledAvgPrice: '1.00',
              status: 'filled',
            }),
          );
          const book = catalystBook({ orders, positions: [position('AAPL', 1000)], tradingDate: DATE });
          const records = positionRecords(book);
          const expected = lots
            .map((l, i) => ({ cid: catId('AAPL', i + 1), fq: Math.floor((l.qty * l.filledPct) / 100) }))
            .filter((x) => x.fq > 0);
          expect(records.map((r) => [r.entryClientOrderId, r.qty])).toEqual(
            expected.map((x) => [x.cid, String(x.fq)]),
          );
          const sum = records.reduce((n, r) => n + toMicros(r.realizedPnl), 0n);
          expect(dollars(sum / 10_000n)).toBe(book.realizedPnl);
        },
      ),
    );
  });
});

const toMicrosText = (price: string): string => `${price}0000`;
