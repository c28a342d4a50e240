import fc from 'fast-check';
import { ATR, BollingerBands, VWAP } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { atrSeries, bollingerSeries, vwapSeries } from '../../../src/domain/indicators/kernels';
import {
  aligned,
  arbBars,
  expectSeriesClose,
  seededBars,
  series,
  toKernel,
  type PlainBars,
} from './fixtures';

function checkAtr(b: PlainBars): void {
  const n = b.close.length;
  const out = series(n);
  atrSeries(toKernel(b), out);
  expectSeriesClose(
    out,
    aligned(ATR.calculate({ period: 14, high: b.high, low: b.low, close: b.close }), n),
    'atr',
  );
}

function checkBollinger(b: PlainBars): void {
  const n = b.close.length;
  const out = { middle: series(n), upper: series(n), lower: series(n) };
  bollingerSeries(toKernel(b), out);
  const o = BollingerBands.calculate({ period: 20, stdDev: 2, values: b.close });
  expectSeriesClose(
    out.middle,
    aligned(
      o.map((x) => x.middle),
      n,
    ),
    'middle',
  );
  expectSeriesClose(
    out.upper,
    aligned(
      o.map((x) => x.upper),
      n,
    ),
    'upper',
  );
  expectSeriesClose(
    out.lower,
    aligned(
      o.map((x) => x.lower),
      n,
    ),
    'lower',
  );
  // The band width itself (2σ), relative to the oracle's width where it is not vanishing: this is
  // where a cancelling E[x²] − E[x]² formula would show.
  for (let i = 19; i < n; i++) {
    const ours = out.upper[i]! - out.middle[i]!;
    const theirs = o[i - 19]!.upper - o[i - 19]!.middle;
    expect(Math.abs(ours - theirs)).toBeLessThanOrEqual(1e-6 * Math.max(theirs, 1e-6 * out.middle[i]!));
  }
}

function checkVwap(b: PlainBars): void {
  const n = b.close.length;
  const out = series(n);
  vwapSeries(toKernel(b), out);
  const o = VWAP.calculate({ high: b.high, low: b.low, close: b.close, volume: b.volume });
  expectSeriesClose(out, aligned(o, n), 'vwap');
}

describe('atrSeries (Wilder 14)', () => {
  it('matches technicalindicators on fixed sessions', () => {
    for (const seed of [1, 2, 3]) checkAtr(seededBars(390, seed));
  });
  it('matches technicalindicators on random bars', () => {
    fc.assert(
      fc.property(arbBars(), (b) => checkAtr(b)),
      { numRuns: 200 },
    );
  });
  it('is NaN through bar 13 and all NaN with ≤ 14 bars', () => {
    const short = series(14);
    atrSeries(toKernel(seededBars(14, 2)), short);
    expect([...short].every(Number.isNaN)).toBe(true);
    const out = series(15);
    atrSeries(toKernel(seededBars(15, 2)), out);
    expect(out[14]).toBeGreaterThan(0);
  });
  it('uses the gap to the previous close as the true range', () => {
    const b = seededBars(16, 1);
    for (let i = 0; i < 16; i++) {
      b.open[i] = b.close[i] = i % 2 ? 110 : 100;
      b.high[i] = b.close[i]! + 1;
      b.low[i] = b.close[i]! - 1;
    }
    const out = series(16);
    atrSeries(toKernel(b), out);
    expect(out[15]).toBeCloseTo(11, 12);
  });
});

describe('bollingerSeries (20, 2σ population)', () => {
  it('matches technicalindicators on fixed sessions', () => {
    for (const seed of [1, 2, 3]) checkBollinger(seededBars(390, seed));
    // A high-priced, quiet session: σ/price ~ 1e-5, where naive rolling variance loses digits.
    checkBollinger(seededBars(390, 7, 5000));
  });
  it('matches technicalindicators on random bars', () => {
    fc.assert(
      fc.property(arbBars(), (b) => checkBollinger(b)),
      { numRuns: 200 },
    );
  });
  it('is all NaN below 20 bars and first set at bar 19', () => {
    const out = { middle: series(20), upper: series(20), lower: series(20) };
    bollingerSeries(toKernel(seededBars(19, 3)), out);
    expect([...out.middle.slice(0, 19)].every(Number.isNaN)).toBe(true);
    bollingerSeries(toKernel(seededBars(20, 3)), out);
    expect(out.middle[18]).toBeNaN();
    expect(out.upper[19]).toBeGreaterThan(out.lower[19]!);
  });
  it('gives flat bands (upper = middle = lower) for constant prices', () => {
    const b = seededBars(40, 3);
    b.close = b.close.map(() => 50);
    const out = { middle: series(40), upper: series(40), lower: series(40) };
    bollingerSeries(toKernel(b), out);
    for (let i = 19; i < 40; i++) expect([out.lower[i], out.middle[i], out.upper[i]]).toEqual([50, 50, 50]);
  });
});

describe('vwapSeries (cumulative, typical price)', () => {
  it('matches technicalindicators on fixed sessions', () => {
    for (const seed of [1, 2, 3]) checkVwap(seededBars(390, seed));
  });
  it('matches technicalindicators on random bars, zero-volume bars included', () => {
    fc.assert(
      fc.property(arbBars(), (b) => checkVwap(b)),
      { numRuns: 200 },
    );
  });
  it('is NaN until volume trades, then ignores zero-volume bars', () => {
    const b = seededBars(5, 1);
    b.volume = [0, 0, 100, 0, 300];
    const out = series(5);
    vwapSeries(toKernel(b), out);
    expect(out[0]).toBeNaN();
    expect(out[1]).toBeNaN();
    const tp = (i: number): number => (b.high[i]! + b.low[i]! + b.close[i]!) / 3;
    expect(out[2]).toBeCloseTo(tp(2), 12);
    expect(out[3]).toBe(out[2]);
    expect(out[4]).toBeCloseTo((tp(2) * 100 + tp(4) * 300) / 400, 12);
  });
  it('is all NaN with no volume at all', () => {
    const b = seededBars(10, 1);
    b.volume = b.volume.map(() => 0);
    const out = series(10);
    vwapSeries(toKernel(b), out);
    expect([...out].every(Number.isNaN)).toBe(true);
  });
});
