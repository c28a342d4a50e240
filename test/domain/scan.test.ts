import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeScanMetrics,
  expectedVolumeFraction,
  rankUniverse,
  type ScanInput,
} from '../../src/domain/scan';

const stock = (over: Partial<ScanInput> = {}): ScanInput => ({
  symbol: 'AAPL',
  price: 103,
  open: 102,
  high: 104,
  low: 101,
  prevClose: 100,
  volume: 1_000_000,
  prevVolume: 10_000_000,
  ...over,
});

describe('expectedVolumeFraction', () => {
  it('is U-shaped: a busy open, half the volume by midday, all by the close', () => {
    expect(expectedVolumeFraction(0.5)).toBeCloseTo(0.5, 10);
    expect(expectedVolumeFraction(1)).toBeCloseTo(1, 10);
    const firstHalfHour = expectedVolumeFraction(30 / 390);
    expect(firstHalfHour).toBeGreaterThan((30 / 390) * 1.5); // far above linear
    expect(firstHalfHour).toBeLessThan(0.2);
    expect(expectedVolumeFraction(0)).toBeGreaterThan(0); // never divides by zero
    expect(expectedVolumeFraction(5)).toBe(1);
  });

  it('property: increasing in elapsed time', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(expectedVolumeFraction(hi)).toBeGreaterThanOrEqual(expectedVolumeFraction(lo));
        },
      ),
    );
  });
});

describe('computeScanMetrics', () => {
  it('computes gap, momentum, relative volume and dollar volume', () => {
    const m = computeScanMetrics(stock(), 0.5);
    expect(m.gapPct).toBe(2);
    expect(m.momentumPct).toBeCloseTo(0.9804, 4);
    expect(m.changePct).toBe(3);
    expect(m.relativeVolume).toBe(0.2); // 1M traded vs 5M expected by midday
    expect(m.dollarVolume).toBe(103_000_000);
    expect(m.liquidityDollarVolume).toBe(1_030_000_000);
    expect(m.scanScore).toBeGreaterThan(0);
    expect(m.scanScore).toBeLessThanOrEqual(100);
  });

  it('prefers the average volume as the baseline', () => {
    expect(computeScanMetrics(stock({ avgVolume: 2_000_000 }), 0.5).relativeVolume).toBe(1);
  });

  it('reports 0 relative volume without any baseline', () => {
    expect(computeScanMetrics(stock({ prevVolume: 0 }), 0.5).relativeVolume).toBe(0);
  });

  it('rejects unusable prices', () => {
    expect(() => computeScanMetrics(stock({ prevClose: 0 }), 0.5)).toThrow(/non-positive/);
    expect(() => computeScanMetrics(stock({ price: NaN }), 0.5)).toThrow();
  });
});

describe('rankUniverse', () => {
  const opts = { minPrice: 5, maxPrice: 500, minDollarVolume: 5_000_000, sessionFractionElapsed: 0.25 };

  it('filters by price and liquidity and ranks by scan score', () => {
    const inputs = [
      stock({ symbol: 'FLAT', price: 100, open: 100, prevClose: 100 }),
      stock({ symbol: 'RUNR', price: 110, open: 104, prevClose: 100, volume: 8_000_000 }),
      stock({ symbol: 'PENY', price: 2, open: 2, prevClose: 2 }),
      stock({ symbol: 'HIGH', price: 900, open: 880, prevClose: 870 }),
      stock({ symbol: 'THIN', price: 10, open: 10, prevClose: 10, volume: 1000, prevVolume: 10_000 }),
      stock({ symbol: 'BAD', prevClose: -1 }),
    ];
    const ranked = rankUniverse(inputs, opts);
    expect(ranked.map((r) => r.symbol)).toEqual(['RUNR', 'FLAT']);
    expect(ranked.map((r) => r.rank)).toEqual([1, 2]);
  });

  it('breaks ties by symbol and keeps the top N (default 200)', () => {
    const inputs = Array.from({ length: 250 }, (_, i) =>
      stock({ symbol: `S${String(249 - i).padStart(3, '0')}` }),
    );
    const ranked = rankUniverse(inputs, opts);
    expect(ranked).toHaveLength(200);
    expect(ranked[0]!.symbol).toBe('S000');
    expect(ranked[199]!.symbol).toBe('S199');
    expect(rankUniverse(inputs, { ...opts, topN: 3 }).map((r) => r.symbol)).toEqual(['S000', 'S001', 'S002']);
  });

  it('property: deterministic regardless of input order, sorted, within limits', () => {
    const input = fc.record({
      symbol: fc.stringMatching(/^[A-Z]{1,4}$/),
      price: fc.double({ min: 1, max: 600, noNaN: true }),
      open: fc.double({ min: 1, max: 600, noNaN: true }),
      high: fc.constant(700),
      low: fc.constant(1),
      prevClose: fc.double({ min: 1, max: 600, noNaN: true }),
      volume: fc.integer({ min: 0, max: 50_000_000 }),
      prevVolume: fc.integer({ min: 0, max: 50_000_000 }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(input, { selector: (s) => s.symbol, maxLength: 40 }),
        fc.integer({ min: 1, max: 10 }),
        (inputs, topN) => {
          const a = rankUniverse(inputs, { ...opts, topN });
          const b = rankUniverse([...inputs].reverse(), { ...opts, topN });
          expect(b).toEqual(a);
          expect(a.length).toBeLessThanOrEqual(topN);
          for (let i = 1; i < a.length; i++)
            expect(a[i - 1]!.scanScore).toBeGreaterThanOrEqual(a[i]!.scanScore);
          for (const m of a) {
            expect(m.price).toBeGreaterThanOrEqual(opts.minPrice);
            expect(m.price).toBeLessThanOrEqual(opts.maxPrice);
            expect(m.liquidityDollarVolume).toBeGreaterThanOrEqual(opts.minDollarVolume);
          }
        },
      ),
    );
  });
});
