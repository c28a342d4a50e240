/**
 * Bollinger bands (20, 2σ) over closes: middle = SMA, bands = middle ± k·σ with σ the population
 * standard deviation (divide by N, not N − 1), as technicalindicators computes it.
 *
 * Warm-up (same as technicalindicators): NaN for i < period − 1; first value at index period − 1.
 *
 * Numerics: the textbook rolling form E[x²] − E[x]² cancels catastrophically on one-minute bars
 * (prices ~10²…10³, σ often ~10⁻², so the two terms agree to 8–10 digits). We keep the sum of
 * squared deviations M2 and slide it with Welford's update, which works on deviations only, so
 * it stays O(1) per bar without the cancellation. M2 is clamped at 0 because rounding can push a
 * truly flat window a hair negative, and sqrt would turn that into NaN.
 * The mean is a running sum like the oracle's, so the middle band tracks it to rounding.
 */
import { checkBars, checkOutputs, checkPeriod, KERNEL_PERIODS, type OhlcvBars } from './bars';

export interface BollingerOutputs {
  middle: Float64Array;
  upper: Float64Array;
  lower: Float64Array;
}

export function bollingerSeries(
  bars: OhlcvBars,
  out: BollingerOutputs,
  period: number = KERNEL_PERIODS.bollinger,
  stdDevs: number = KERNEL_PERIODS.bollingerStdDev,
): void {
  const n = checkBars(bars);
  checkPeriod('Bollinger', period);
  checkOutputs(n, out.middle, out.upper, out.lower);
  const firstAt = period - 1;
  const warm = Math.min(n, firstAt);
  out.middle.fill(NaN, 0, warm);
  out.upper.fill(NaN, 0, warm);
  out.lower.fill(NaN, 0, warm);
  if (n < period) return;
  const c = bars.close;

  let sum = 0;
  for (let i = 0; i < period; i++) sum += c[i]!;
  let mean = sum / period;
  // Two-pass for the first window: exact start, and a flat window gives exactly 0.
  let m2 = 0;
  for (let i = 0; i < period; i++) {
    const d = c[i]! - mean;
    m2 += d * d;
  }
  let width = Math.sqrt(m2 / period) * stdDevs;
  out.middle[firstAt] = mean;
  out.upper[firstAt] = mean + width;
  out.lower[firstAt] = mean - width;

  for (let i = period; i < n; i++) {
    const xOut = c[i - period]!;
    const xIn = c[i]!;
    sum = sum - xOut + xIn;
    const next = sum / period;
    m2 = Math.max(0, m2 + (xIn - xOut) * (xIn - next + xOut - mean));
    mean = next;
    width = Math.sqrt(m2 / period) * stdDevs;
    out.middle[i] = mean;
    out.upper[i] = mean + width;
    out.lower[i] = mean - width;
  }
}
