/**
 * Bar builders and generators for the pattern tests, and the adapter to technicalindicators'
 * candlestick detectors (which evaluate the LAST candles of plain arrays).
 */
import fc from 'fast-check';
import { ohlcvFromArrays, type OhlcvBars } from '../../../src/domain/indicators/kernels/bars';

/** [open, high, low, close] or [open, high, low, close, volume]. */
export type Candle =
  readonly [number, number, number, number] | readonly [number, number, number, number, number];

export interface PlainCandles {
  open: number[];
  high: number[];
  low: number[];
  close: number[];
}

export function toBars(candles: readonly Candle[]): OhlcvBars {
  return ohlcvFromArrays({
    open: candles.map((k) => k[0]),
    high: candles.map((k) => k[1]),
    low: candles.map((k) => k[2]),
    close: candles.map((k) => k[3]),
    volume: candles.map((k) => k[4] ?? 1000),
  });
}

/** The `span` candles ending at `i`, as the oracle wants them. */
export function window(bars: OhlcvBars, i: number, span: number): PlainCandles {
  const from = i - span + 1;
  return {
    open: Array.from(bars.open.subarray(from, i + 1)),
    high: Array.from(bars.high.subarray(from, i + 1)),
    low: Array.from(bars.low.subarray(from, i + 1)),
    close: Array.from(bars.close.subarray(from, i + 1)),
  };
}

const cents = (x: number): number => Math.round(x * 100) / 100;

/**
 * One candle from the previous close, in price ticks of 1¢ (so equalities and touching levels are
 * common, as in real feeds): gap, body and shadows each a few ticks, sometimes zero, sometimes a
 * wide gap so that star-like gaps occur.
 */
const tickStep = fc.record({
  gap: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -40, max: 40 })),
  body: fc.integer({ min: -25, max: 25 }),
  up: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 12 })),
  down: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 12 })),
  volume: fc.integer({ min: 0, max: 10_000 }),
});

export function candlesFromTicks(
  start: number,
  steps: readonly { gap: number; body: number; up: number; down: number; volume: number }[],
): Candle[] {
  const out: Candle[] = [];
  let prev = start;
  for (const s of steps) {
    const open = Math.max(0.01, cents(prev + s.gap / 100));
    const close = Math.max(0.01, cents(open + s.body / 100));
    const high = cents(Math.max(open, close) + s.up / 100);
    const low = Math.max(0.01, cents(Math.min(open, close) - s.down / 100));
    out.push([open, high, low, close, s.volume]);
    prev = close;
  }
  return out;
}

/** Continuous prices (no tick grid): returns, gaps and shadows as fractions. */
const realStep = fc.record({
  ret: fc.double({ min: -0.03, max: 0.03, noNaN: true }),
  gap: fc.double({ min: -0.01, max: 0.01, noNaN: true }),
  up: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.01, noNaN: true })),
  down: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.01, noNaN: true })),
  volume: fc.integer({ min: 0, max: 10_000 }),
});

function candlesFromReturns(
  start: number,
  steps: readonly { ret: number; gap: number; up: number; down: number; volume: number }[],
): Candle[] {
  const out: Candle[] = [];
  let prev = start;
  for (const s of steps) {
    const open = prev * (1 + s.gap);
    const close = prev * (1 + s.ret);
    out.push([
      open,
      Math.max(open, close) * (1 + s.up),
      Math.min(open, close) * (1 - s.down),
      close,
      s.volume,
    ]);
    prev = close;
  }
  return out;
}

/**
 * A crafted pattern (in dollars near 10) re-priced to a random level and jittered by a few ticks:
 * many copies still match, many just miss, which is where a wrong comparison would show.
 */
function jittered(template: readonly Candle[]): fc.Arbitrary<Candle[]> {
  const jitter = fc.integer({ min: -2, max: 2 });
  return fc
    .tuple(
      fc.double({ min: 0.5, max: 20, noNaN: true }),
      fc.array(fc.tuple(jitter, jitter, jitter, jitter), {
        minLength: template.length,
        maxLength: template.length,
      }),
    )
    .map(([scale, noise]) =>
      template.map((k, j) => {
        const [a, b, c, d] = noise[j]!;
        const open = cents(k[0] * scale + a / 100);
        const close = cents(k[3] * scale + d / 100);
        const high = Math.max(open, close, cents(k[1] * scale + b / 100));
        const low = Math.min(open, close, cents(k[2] * scale + c / 100));
        return [open, high, low, close, k[4] ?? 1000] as Candle;
      }),
    );
}

/** Random candle sequences of `minLength..maxLength`, mixing tick-grid, continuous and jittered crafted ones. */
export function arbCandles(
  minLength: number,
  maxLength: number,
  crafted: readonly (readonly Candle[])[] = [],
): fc.Arbitrary<Candle[]> {
  const ticks = fc
    .tuple(fc.integer({ min: 500, max: 20_000 }), fc.array(tickStep, { minLength, maxLength }))
    .map(([startCents, steps]) => candlesFromTicks(startCents / 100, steps));
  const reals = fc
    .tuple(fc.double({ min: 1, max: 500, noNaN: true }), fc.array(realStep, { minLength, maxLength }))
    .map(([start, steps]) => candlesFromReturns(start, steps));
  const arbs: fc.WeightedArbitrary<Candle[]>[] = [
    { arbitrary: ticks, weight: 4 },
    { arbitrary: reals, weight: 2 },
  ];
  for (const t of crafted) arbs.push({ arbitrary: jittered(t), weight: 2 });
  return fc.oneof(...arbs);
}

/** Deterministic pseudo-random session on the cent grid (LCG), so failures reproduce exactly. */
export function seededCandles(n: number, seed: number, start = 50): Candle[] {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const steps = Array.from({ length: n }, () => ({
    gap: int(-2, 2),
    body: int(-8, 8),
    up: int(0, 5),
    down: int(0, 5),
    volume: int(0, 20_000),
  }));
  return candlesFromTicks(start, steps);
}
