import fc from 'fast-check';
import { RSI } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { macdSeries, RSI_FLAT, rsiSeries } from '../../../src/domain/indicators/kernels';
import {
  aligned,
  arbBars,
  expectSeriesClose,
  oracleMacd,
  oracleRsiUnrounded,
  priceScale,
  seededBars,
  series,
  toKernel,
  type PlainBars,
} from './fixtures';

function checkRsi(b: PlainBars): void {
  const n = b.close.length;
  const out = series(n);
  rsiSeries(toKernel(b), out);
  expectSeriesClose(out, oracleRsiUnrounded(b.close, 14), 'rsi', 1);
  // And against the published (2-decimal) output: ours rounds to within half a cent of it.
  const published = aligned(RSI.calculate({ period: 14, values: b.close }), n);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(published[i]!)) expect(out[i]).toBeNaN();
    else expect(Math.abs(out[i]! - published[i]!)).toBeLessThanOrEqual(0.005 + 1e-9);
  }
}

function checkMacd(b: PlainBars): void {
  const n = b.close.length;
  const out = { macd: series(n), signal: series(n), histogram: series(n) };
  macdSeries(toKernel(b), out);
  const oracle = oracleMacd(b.close);
  const scale = priceScale(b);
  expectSeriesClose(
    out.macd,
    aligned(
      oracle.map((o) => o.MACD),
      n,
    ),
    'macd',
    scale,
  );
  expectSeriesClose(
    out.signal,
    aligned(
      oracle.map((o) => o.signal),
      n,
    ),
    'signal',
    scale,
  );
  expectSeriesClose(
    out.histogram,
    aligned(
      oracle.map((o) => o.histogram),
      n,
    ),
    'histogram',
    scale,
  );
}

describe('rsiSeries (Wilder 14)', () => {
  it('matches technicalindicators on fixed sessions', () => {
    for (const seed of [1, 2, 3]) checkRsi(seededBars(390, seed));
  });

  it('matches technicalindicators on random bars', () => {
    fc.assert(
      fc.property(arbBars(), (b) => checkRsi(b)),
      { numRuns: 200 },
    );
  });

  it('is NaN for the first 14 bars and everywhere when there are ≤ 14', () => {
    const out = series(14).fill(7);
    rsiSeries(toKernel(seededBars(14, 5)), out);
    expect([...out].every(Number.isNaN)).toBe(true);
    const full = series(15);
    rsiSeries(toKernel(seededBars(15, 5)), full);
    expect(full.slice(0, 14).every(Number.isNaN)).toBe(true);
    expect(full[14]).not.toBeNaN();
  });

  it('returns RSI_FLAT (50) for prices that never moved, where technicalindicators says 100', () => {
    const flat = { open: [], high: [], low: [], close: [], volume: [] } as PlainBars;
    for (let i = 0; i < 30; i++) {
      for (const k of ['open', 'high', 'low', 'close'] as const) flat[k].push(42.5);
      flat.volume.push(100);
    }
    const out = series(30);
    rsiSeries(toKernel(flat), out);
    expect(RSI_FLAT).toBe(50);
    expect([...out.slice(14)]).toEqual(Array(16).fill(50));
    expect(RSI.calculate({ period: 14, values: flat.close })[0]).toBe(100);
  });

  it('gives exactly 100 with no losses and exactly 0 with no gains', () => {
    const up = seededBars(20, 1);
    up.close = up.close.map((_, i) => 100 + i);
    const out = series(20);
    rsiSeries(toKernel(up), out);
    expect(out[19]).toBe(100);
    up.close.reverse();
    rsiSeries(toKernel(up), out);
    expect(out[19]).toBe(0);
  });

  it('leaves output beyond bars.length untouched', () => {
    const out = series(400).fill(-1);
    rsiSeries(toKernel(seededBars(390, 9)), out);
    expect([...out.slice(390)]).toEqual(Array(10).fill(-1));
  });

  it('rejects an output array that is too short', () => {
    expect(() => rsiSeries(toKernel(seededBars(30, 1)), series(29))).toThrow(RangeError);
  });
});

describe('macdSeries (EMA 12/26/9)', () => {
  it('matches technicalindicators (EMA oscillator and signal) on fixed sessions', () => {
    for (const seed of [1, 2, 3]) checkMacd(seededBars(390, seed));
  });

  it('matches technicalindicators on random bars', () => {
    fc.assert(
      fc.property(arbBars(), (b) => checkMacd(b)),
      { numRuns: 200 },
    );
  });

  it('warms up the line at bar 25 and signal/histogram at bar 33', () => {
    const n = 40;
    const out = { macd: series(n), signal: series(n), histogram: series(n) };
    macdSeries(toKernel(seededBars(n, 4)), out);
    expect(out.macd.slice(0, 25).every(Number.isNaN)).toBe(true);
    expect(out.macd[25]).not.toBeNaN();
    expect(out.signal.slice(0, 33).every(Number.isNaN)).toBe(true);
    expect(out.histogram.slice(0, 33).every(Number.isNaN)).toBe(true);
    expect(out.signal[33]).not.toBeNaN();
    expect(out.histogram[33]).toBeCloseTo(out.macd[33]! - out.signal[33]!, 15);
  });

  it('is all NaN with fewer than 26 bars', () => {
    const out = { macd: series(25), signal: series(25), histogram: series(25) };
    macdSeries(toKernel(seededBars(25, 4)), out);
    expect([...out.macd, ...out.signal, ...out.histogram].every(Number.isNaN)).toBe(true);
  });

  it('is 0 everywhere for constant prices', () => {
    const b = seededBars(40, 1);
    b.close = b.close.map(() => 50);
    const out = { macd: series(40), signal: series(40), histogram: series(40) };
    macdSeries(toKernel(b), out);
    expect([...out.histogram.slice(33)]).toEqual(Array(7).fill(0));
  });
});
