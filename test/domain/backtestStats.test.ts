/**
 * backtestStats: the run-to-run summary of a backtest's round trips — counts, win rate, exact
 * realized P&L and gross figures, max drawdown in close order, profit factor.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backtestStats } from '../../src/domain/backtest/backtestStats';
import { formatMicros, toMicros } from '../../src/domain/money';
import { matchRoundTrips, type Fill, type RoundTrip } from '../../src/domain/positions/roundTrips';

const at = (hhmm: string) => `2026-11-24T${hhmm}:00Z`;

let seq = 0;
/** A fully closed round trip with the given realized P&L, closed at `closed` (HH:MM). */
function trip(pnl: string, closed: string | null, p: Partial<RoundTrip> = {}): RoundTrip {
  seq += 1;
  return {
    symbol: 'AAPL',
    entryClientOrderId: `cid-${String(seq).padStart(4, '0')}`,
    entryOrderId: `o-${seq}`,
    openedAt: at('09:30'),
    qty: 10,
    entryPrice: '100.000000',
    openQty: 0,
    closedQty: 10,
    exitPrice: '101.000000',
    closedAt: closed === null ? null : at(closed),
    exitOrderIds: [`x-${seq}`],
    realizedPnl: pnl,
    ...p,
  };
}

/** Trips closing one a minute apart from 10:00, in the given order. */
const inSequence = (...pnls: string[]) => pnls.map((pnl, i) => trip(pnl, `10:${String(i).padStart(2, '0')}`));

describe('backtestStats: hand-computed runs', () => {
  it('mixed wins, losses and a breakeven', () => {
    // Cumulative: 30, 17.50, 22.75, -17.25, -17.25 → peak 30, trough -17.25.
    const stats = backtestStats(inSequence('30.000000', '-12.500000', '5.250000', '-40.000000', '0.000000'));
    expect(stats).toEqual({
      trades: 5,
      wins: 2,
      losses: 2,
      realizedPnl: '-17.25',
      winRate: 0.4,
      grossProfit: '35.25',
      grossLoss: '52.50',
      maxDrawdown: '47.25',
      profitFactor: 0.6714, // 35.25 / 52.50 = 0.671428…
    });
  });

  it('all wins: no drawdown, and the profit factor is undefined (null)', () => {
    expect(backtestStats(inSequence('12.340000', '0.010000', '7.000000'))).toEqual({
      trades: 3,
      wins: 3,
      losses: 0,
      realizedPnl: '19.35',
      winRate: 1,
      grossProfit: '19.35',
      grossLoss: '0.00',
      maxDrawdown: '0.00',
      profitFactor: null,
    });
  });

  it('no trades: zeros, win rate 0, profit factor null', () => {
    const empty = {
      trades: 0,
      wins: 0,
      losses: 0,
      realizedPnl: '0.00',
      winRate: 0,
      grossProfit: '0.00',
      grossLoss: '0.00',
      maxDrawdown: '0.00',
      profitFactor: null,
    };
    expect(backtestStats([])).toEqual(empty);
    // Open trips only (nothing closed): still no trades.
    expect(
      backtestStats([
        trip('0.000000', null, { openQty: 10, closedQty: 0, exitPrice: null, exitOrderIds: [] }),
      ]),
    ).toEqual(empty);
  });

  it('breakeven trades count as trades but neither wins nor losses', () => {
    const stats = backtestStats(inSequence('10.000000', '0.000000', '-0.000000', '-5.000000'));
    expect(stats).toMatchObject({ trades: 4, wins: 1, losses: 1, winRate: 0.25, profitFactor: 2 });
    expect(stats.realizedPnl).toBe('5.00');
  });

  it('only breakeven trades: no losses, so profit factor null; win rate 0', () => {
    expect(backtestStats(inSequence('0.000000', '0.000000'))).toMatchObject({
      trades: 2,
      wins: 0,
      losses: 0,
      winRate: 0,
      grossLoss: '0.00',
      profitFactor: null,
    });
  });

  it('win rate and profit factor round to 4 decimals', () => {
    expect(backtestStats(inSequence('2.000000', '-3.000000', '-1.000000'))).toMatchObject({
      winRate: 0.3333, // 1 / 3
      profitFactor: 0.5, // 2 / 4
    });
    expect(backtestStats(inSequence('2.000000', '3.000000', '-3.000000'))).toMatchObject({
      winRate: 0.6667, // 2 / 3
      profitFactor: 1.6667, // 5 / 3
    });
  });

  it('profit factor rounds an exact half up, computed without floats', () => {
    expect(backtestStats(inSequence('100.005000', '-100.000000')).profitFactor).toBe(1.0001); // 1.00005
    // 0.15 / 1000 = 0.00015 exactly → 0.0002; a float division lands just below the half and gives 0.0001.
    expect(backtestStats(inSequence('0.150000', '-1000.000000')).profitFactor).toBe(0.0002);
  });
});

describe('backtestStats: max drawdown', () => {
  it('a drawdown that recovers to a new peak and then falls deeper', () => {
    // Cumulative: 10, 6 (dd 4), 12 (new peak), 9, 10, 1 (dd 11).
    const stats = backtestStats(inSequence('10', '-4', '6', '-3', '1', '-9'));
    expect(stats.maxDrawdown).toBe('11.00');
    expect(stats.realizedPnl).toBe('1.00');
  });

  it('keeps the deepest fall even when a later, shallower one is the last', () => {
    // Cumulative: 10, 2 (dd 8), 22, 17 (dd 5).
    expect(backtestStats(inSequence('10', '-8', '20', '-5')).maxDrawdown).toBe('8.00');
  });

  it('starts from 0, so losing first is a drawdown', () => {
    // Cumulative: -5, -3: the peak is the starting 0.
    expect(backtestStats(inSequence('-5', '2')).maxDrawdown).toBe('5.00');
  });

  it('follows the order trips closed in, not the order they opened (or were given) in', () => {
    const p = trip('10.000000', '11:00', { openedAt: at('09:00'), entryClientOrderId: 'cid-p' });
    const q = trip('-5.000000', '10:00', { openedAt: at('09:30'), entryClientOrderId: 'cid-q' });
    const r = trip('-5.000000', '12:00', { openedAt: at('10:30'), entryClientOrderId: 'cid-r' });
    // Close order q, p, r: -5, 5, 0 → 5. Open order p, q, r would be 10, 5, 0 → 10.
    expect(backtestStats([p, q, r]).maxDrawdown).toBe('5.00');
    expect(backtestStats([r, q, p]).maxDrawdown).toBe('5.00');
  });

  it('trips closing at the same instant are taken in entryClientOrderId order', () => {
    const a = trip('-5.000000', '11:00', { entryClientOrderId: 'cid-a' });
    const b = trip('10.000000', '11:00', { entryClientOrderId: 'cid-b' });
    const c = trip('-5.000000', '11:00', { entryClientOrderId: 'cid-c' });
    // a, b, c: -5, 5, 0 → 5. Given as b, a, c (10, 5, 0 → 10) it must still be 5.
    expect(backtestStats([b, a, c]).maxDrawdown).toBe('5.00');
    expect(backtestStats([c, b, a]).maxDrawdown).toBe('5.00');
  });
});

describe('backtestStats: partly closed and open trips', () => {
  it('a partly closed trip counts by its closed part, after every fully closed trip', () => {
    const partly = trip('-7.000000', null, { openQty: 6, closedQty: 4 });
    const open = trip('0.000000', null, { openQty: 10, closedQty: 0, exitPrice: null, exitOrderIds: [] });
    // Close order: +10, -2, then the partly closed -7: cumulative 10, 8, 1 → dd 9 (first would give 7).
    const stats = backtestStats([partly, open, trip('10.000000', '11:00'), trip('-2.000000', '12:00')]);
    expect(stats).toEqual({
      trades: 3,
      wins: 1,
      losses: 2,
      realizedPnl: '1.00',
      winRate: 0.3333,
      grossProfit: '10.00',
      grossLoss: '9.00',
      maxDrawdown: '9.00',
      profitFactor: 1.1111,
    });
  });

  it('from real fills: a partial exit counts, an untouched entry does not', () => {
    const fill = (p: Pick<Fill, 'symbol' | 'side' | 'qty' | 'price'> & { t: string }): Fill => ({
      orderId: `${p.symbol}-${p.side}-${p.t}`,
      clientOrderId: `cid-${p.symbol}-${p.side}-${p.t}`,
      filledAt: at(p.t),
      ...p,
    });
    const trips = matchRoundTrips([
      fill({ symbol: 'AAPL', side: 'buy', qty: 10, price: '10.00', t: '10:00' }),
      fill({ symbol: 'AAPL', side: 'sell', qty: 4, price: '12.00', t: '10:30' }), // +8.00 on 4 of 10
      fill({ symbol: 'MSFT', side: 'buy', qty: 5, price: '20.00', t: '10:05' }), // never sold
      fill({ symbol: 'NVDA', side: 'buy', qty: 3, price: '50.00', t: '10:10' }),
      fill({ symbol: 'NVDA', side: 'sell', qty: 3, price: '49.00', t: '10:20' }), // -3.00
    ]);
    expect(trips.map((t) => [t.symbol, t.closedQty, t.closedAt])).toEqual([
      ['AAPL', 4, null],
      ['MSFT', 0, null],
      ['NVDA', 3, at('10:20')],
    ]);
    expect(backtestStats(trips)).toEqual({
      trades: 2,
      wins: 1,
      losses: 1,
      realizedPnl: '5.00',
      winRate: 0.5,
      grossProfit: '8.00',
      grossLoss: '3.00',
      maxDrawdown: '3.00',
      profitFactor: 2.6667,
    });
  });
});

describe('backtestStats: exact to the cent', () => {
  it('sums micros and rounds only when formatting (half away from zero)', () => {
    // 0.004 + 0.004 = 0.008 → 0.01; rounding each trade first would give 0.00.
    expect(backtestStats(inSequence('0.004000', '0.004000')).realizedPnl).toBe('0.01');
    expect(backtestStats(inSequence('-0.002500', '-0.002500'))).toMatchObject({
      realizedPnl: '-0.01',
      grossLoss: '0.01',
      maxDrawdown: '0.01',
    });
    // 0.1 + 0.2 in floats is 0.30000000000000004; summed as micros it is 0.30 exactly.
    expect(backtestStats(inSequence('0.100000', '0.200000')).realizedPnl).toBe('0.30');
  });
});

describe('backtestStats: properties', () => {
  /** Trips with random P&L (micros), close times and closed/partly closed/open state; unique (closedAt, id). */
  const tripsArb = (pnlArb: fc.Arbitrary<bigint>) =>
    fc
      .array(
        fc.record({
          pnl: pnlArb,
          minute: fc.integer({ min: 0, max: 59 }),
          state: fc.constantFrom('closed', 'closed', 'partly', 'open'),
        }),
        { maxLength: 30 },
      )
      .map((specs) =>
        specs.map((s, i) =>
          s.state === 'open'
            ? trip('0.000000', null, {
                entryClientOrderId: `p-${String(i).padStart(3, '0')}`,
                openQty: 10,
                closedQty: 0,
                exitPrice: null,
                exitOrderIds: [],
              })
            : trip(
                formatMicros(s.pnl, 6),
                s.state === 'closed' ? `11:${String(s.minute).padStart(2, '0')}` : null,
                {
                  entryClientOrderId: `p-${String(i).padStart(3, '0')}`,
                  openQty: s.state === 'partly' ? 3 : 0,
                  closedQty: s.state === 'partly' ? 7 : 10,
                },
              ),
        ),
      );
  const micros = fc.bigInt({ min: -5_000_000_000n, max: 5_000_000_000n });
  const cents = fc.integer({ min: -500_000, max: 500_000 }).map((c) => BigInt(c) * 10_000n);

  /** The model: closed trips sorted by (closedAt ?? last, id), drawdown by brute force over all pairs. */
  function model(trips: readonly RoundTrip[]) {
    const closed = trips
      .filter((t) => t.closedQty > 0)
      .map((t) => ({ key: `${t.closedAt ?? '~'}|${t.entryClientOrderId}`, pnl: toMicros(t.realizedPnl) }))
      .sort((a, b) => (a.key < b.key ? -1 : 1));
    const cum = [0n];
    for (const c of closed) cum.push(cum[cum.length - 1]! + c.pnl);
    let dd = 0n;
    for (let i = 0; i < cum.length; i++)
      for (let j = i + 1; j < cum.length; j++) if (cum[i]! - cum[j]! > dd) dd = cum[i]! - cum[j]!;
    return { trades: closed.length, total: cum[cum.length - 1]!, dd };
  }

  it('counts, totals and drawdown agree with a brute-force model; input order does not matter', () => {
    fc.assert(
      fc.property(tripsArb(micros), fc.integer(), (trips, seed) => {
        const stats = backtestStats(trips);
        const m = model(trips);
        expect(stats.trades).toBe(m.trades);
        expect(stats.realizedPnl).toBe(formatMicros(m.total, 2));
        expect(stats.maxDrawdown).toBe(formatMicros(m.dd, 2));
        expect(stats.wins + stats.losses).toBeLessThanOrEqual(stats.trades);
        expect(stats.profitFactor === null).toBe(stats.losses === 0);
        expect(stats.winRate).toBeGreaterThanOrEqual(0);
        expect(stats.winRate).toBeLessThanOrEqual(1);
        // A deterministic shuffle of the input gives the same summary.
        const shuffled = [...trips]
          .map((t, i) => ({ t, k: Math.imul(i + 1, seed | 1) ^ seed }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.t);
        expect(backtestStats(shuffled)).toEqual(stats);
      }),
    );
  });

  it('max drawdown is between 0 and the gross loss', () => {
    fc.assert(
      fc.property(tripsArb(micros), (trips) => {
        const stats = backtestStats(trips);
        const dd = toMicros(stats.maxDrawdown);
        expect(dd >= 0n).toBe(true);
        expect(dd <= toMicros(stats.grossLoss)).toBe(true);
        expect(toMicros(stats.grossProfit) >= 0n).toBe(true);
        expect(toMicros(stats.grossLoss) >= 0n).toBe(true);
      }),
    );
  });

  it('realized P&L is exactly gross profit − gross loss when every trade is whole cents', () => {
    fc.assert(
      fc.property(tripsArb(cents), (trips) => {
        const stats = backtestStats(trips);
        expect(toMicros(stats.realizedPnl)).toBe(toMicros(stats.grossProfit) - toMicros(stats.grossLoss));
      }),
    );
  });

  it('with sub-cent trades the three figures, each rounded once, differ by at most a cent', () => {
    fc.assert(
      fc.property(tripsArb(micros), (trips) => {
        const stats = backtestStats(trips);
        const gap = toMicros(stats.realizedPnl) - (toMicros(stats.grossProfit) - toMicros(stats.grossLoss));
        expect(gap >= -10_000n && gap <= 10_000n).toBe(true);
      }),
    );
  });
});
