import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocateSeries,
  computeSeries,
  lastValues,
  ohlcvFromArrays,
  type IndicatorSeries,
} from '../../../src/domain/indicators/kernels';
import { arbBars, seededBars, toKernel, type PlainBars } from './fixtures';

const EXACT = [
  'rsi14',
  'ema9',
  'ema21',
  'emaState',
  'emaCross',
  'macd',
  'macdSignal',
  'macdHistogram',
  'atr14',
  'vwap',
] as const;
const BANDS = [
  ['bbMiddle', 'bbMiddle'],
  ['bbUpper', 'bbUpper'],
  ['bbLower', 'bbLower'],
] as const;

function checkLast(b: PlainBars, out: IndicatorSeries): void {
  const bars = toKernel(b);
  const n = bars.length;
  computeSeries(bars, out);
  const last = lastValues(bars);
  expect(last.barCount).toBe(n);
  for (const k of EXACT) {
    const want = n > 0 ? out[k][n - 1]! : NaN;
    // Same arithmetic as the series kernels, so bit-identical (toBe treats NaN as equal to NaN).
    expect(last[k], k).toBe(want);
  }
  for (const [k, s] of BANDS) {
    const want = n > 0 ? out[s][n - 1]! : NaN;
    if (Number.isNaN(want)) expect(last[k], k).toBeNaN();
    else expect(Math.abs(last[k] - want), k).toBeLessThanOrEqual(1e-12 * Math.abs(want));
  }
}

describe('lastValues', () => {
  it('equals the last element of every series on fixed sessions', () => {
    const out = allocateSeries(390);
    for (const seed of [1, 2, 3]) checkLast(seededBars(390, seed), out);
    for (const n of [0, 1, 14, 15, 20, 21, 25, 26, 33, 34]) checkLast(seededBars(n, 8), out);
  });

  it('equals the last element of every series on random bars (reusing one allocation)', () => {
    const out = allocateSeries(120);
    fc.assert(
      fc.property(arbBars(120), (b) => checkLast(b, out)),
      { numRuns: 200 },
    );
  });

  it('is all NaN for no bars, and reports %B only for non-flat bands', () => {
    const empty = lastValues(ohlcvFromArrays({ open: [], high: [], low: [], close: [], volume: [] }));
    expect(empty.barCount).toBe(0);
    for (const [k, v] of Object.entries(empty)) if (k !== 'barCount') expect(v, k).toBeNaN();
    const b = seededBars(30, 2);
    b.close = b.close.map(() => 20);
    expect(lastValues(toKernel(b)).bbPercentB).toBeNaN();
    const moving = lastValues(toKernel(seededBars(30, 2)));
    expect(moving.bbPercentB).toBeCloseTo(
      (moving.close - moving.bbLower) / (moving.bbUpper - moving.bbLower),
      12,
    );
  });
});

describe('allocateSeries', () => {
  it('gives each series its own non-overlapping, distinctly 4 KiB-offset view of one buffer', () => {
    for (const cap of [0, 1, 390, 512, 1024]) {
      const s = allocateSeries(cap);
      const views = Object.values(s);
      const buffer = views[0]!.buffer;
      const starts = views.map((v) => v.byteOffset);
      expect(views.every((v) => v.buffer === buffer && v.length === cap)).toBe(true);
      expect(new Set(starts.map((o) => o % 4096)).size).toBe(views.length);
      const sorted = [...starts].sort((a, b) => a - b);
      for (let i = 1; i < sorted.length; i++)
        expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(cap * 8);
    }
  });
});
