/**
 * Shared test inputs and the oracle adapters: technicalindicators returns arrays that start at the
 * first bar with a value, so `aligned` pads them back to bar indices with NaN for comparison.
 */
import fc from 'fast-check';
import { AverageGain, AverageLoss, MACD } from 'technicalindicators';
import { expect } from 'vitest';
import { ohlcvFromArrays, type OhlcvBars } from '../../../src/domain/indicators/kernels';

export interface PlainBars {
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}

interface Step {
  ret: number;
  gap: number;
  up: number;
  down: number;
  volume: number;
}

export function barsFromSteps(start: number, steps: readonly Step[]): PlainBars {
  const b: PlainBars = { open: [], high: [], low: [], close: [], volume: [] };
  let prev = start;
  for (const s of steps) {
    const open = prev * (1 + s.gap);
    const close = prev * (1 + s.ret);
    b.open.push(open);
    b.close.push(close);
    b.high.push(Math.max(open, close) * (1 + s.up));
    b.low.push(Math.min(open, close) * (1 - s.down));
    b.volume.push(s.volume);
    prev = close;
  }
  return b;
}

const step = fc.record({
  ret: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
  gap: fc.double({ min: -0.01, max: 0.01, noNaN: true }),
  up: fc.double({ min: 0, max: 0.02, noNaN: true }),
  down: fc.double({ min: 0, max: 0.02, noNaN: true }),
  volume: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_000_000 })),
});

/** Random OHLCV: positive prices, high ≥ max(open, close), low ≤ min(open, close), some zero volume. */
export const arbBars = (maxLength = 120): fc.Arbitrary<PlainBars> =>
  fc
    .tuple(fc.double({ min: 1, max: 1000, noNaN: true }), fc.array(step, { maxLength }))
    .map(([start, steps]) => barsFromSteps(start, steps));

/** Deterministic pseudo-random session (LCG), so fixed-series failures reproduce exactly. */
export function seededBars(n: number, seed: number, start = 100): PlainBars {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const steps = Array.from({ length: n }, () => ({
    ret: (rnd() - 0.5) * 0.004,
    gap: (rnd() - 0.5) * 0.001,
    up: rnd() * 0.002,
    down: rnd() * 0.002,
    volume: Math.floor(rnd() * 50_000),
  }));
  return barsFromSteps(start, steps);
}

export const toKernel = (b: PlainBars): OhlcvBars => ohlcvFromArrays(b);

export function aligned(values: readonly (number | undefined)[], n: number): number[] {
  const pad = n - values.length;
  return Array.from({ length: n }, (_, i) => (i < pad ? NaN : (values[i - pad] ?? NaN)));
}

/**
 * Same NaN positions, and |ours − oracle| ≤ 1e-9 · max(|oracle|, scale). `scale` is there for
 * quantities that pass through zero (MACD, histogram): there relative error is meaningless, so
 * they are held to 1e-9 of the price level instead.
 */
export function expectSeriesClose(
  ours: Float64Array,
  oracle: readonly number[],
  label: string,
  scale = 0,
  tol = 1e-9,
): void {
  expect(ours.length, `${label} length`).toBeGreaterThanOrEqual(oracle.length);
  for (let i = 0; i < oracle.length; i++) {
    const a = ours[i]!;
    const b = oracle[i]!;
    if (Number.isNaN(b) || Number.isNaN(a)) {
      expect(Number.isNaN(a), `${label}[${i}]: ours ${a}, oracle ${b}`).toBe(Number.isNaN(b));
      continue;
    }
    const bound = tol * Math.max(Math.abs(b), scale);
    if (!(Math.abs(a - b) <= bound)) expect.fail(`${label}[${i}]: ours ${a}, oracle ${b}, bound ${bound}`);
  }
}

/** technicalindicators' RSI before its 2-decimal rounding, built from its own average gain/loss. */
export function oracleRsiUnrounded(close: number[], period: number): number[] {
  const g = AverageGain.calculate({ period, values: close });
  const l = AverageLoss.calculate({ period, values: close });
  const rsi = g.map((gain, j) => {
    const loss = l[j]!;
    if (loss === 0) return 100;
    if (gain === 0) return 0;
    return 100 - 100 / (1 + gain / loss);
  });
  return aligned(rsi, close.length);
}

export const priceScale = (b: PlainBars): number =>
  b.close.reduce((s, x) => s + Math.abs(x), 0) / Math.max(1, b.close.length);

export const series = (n: number): Float64Array => new Float64Array(n);

/** The oracle's EMA-based MACD 12/26/9 (its defaults are SMA-based; the guide's is not). */
export const oracleMacd = (values: number[]) =>
  MACD.calculate({
    values,
    fastPeriod: 12,
    slowPeriod: 26,
    signalPeriod: 9,
    SimpleMAOscillator: false,
    SimpleMASignal: false,
  });
