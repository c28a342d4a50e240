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
 *
 * Quiet windows: each slide adds a rounding error of about ε·price·|x_in − x_out| to M2, and the
 * updates never remove it, so once a window goes flat after movement M2 keeps a residue (seen:
 * 8e-18 at a price of 1 after a 0.02 % move) and sqrt turns it into a band width of ~1e-9 × the
 * price where the width is 0. So when the window's σ falls below 1e-5 of the price, M2 is
 * recomputed from the window by two passes; above that, the residue a whole session of 5 % moves
 * can leave moves the bands by < 5e-11 of the price. Normal one-minute data (σ ~ 1e-3 of the
 * price) never takes that branch; a flat or halted stock does, at O(period) per bar.
 */
import { checkBars, checkOutputs, checkPeriod, KERNEL_PERIODS, type OhlcvBars } from './bars';

/** σ / price below which the sliding M2 is replaced by an exact one (see the header). */
const QUIET_SIGMA = 1e-5;

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

  /** M2 below this × mean² means σ < 1e-5 × mean: recompute it exactly (see the header). */
  const quiet = period * QUIET_SIGMA * QUIET_SIGMA;
  for (let i = period; i < n; i++) {
    const xOut = c[i - period]!;
    const xIn = c[i]!;
    sum = sum - xOut + xIn;
    const next = sum / period;
    m2 = Math.max(0, m2 + (xIn - xOut) * (xIn - next + xOut - mean));
    mean = next;
    if (m2 < quiet * mean * mean) {
      m2 = 0;
      for (let j = i - period + 1; j <= i; j++) {
        const d = c[j]! - mean;
        m2 += d * d;
      }
    }
    width = Math.sqrt(m2 / period) * stdDevs;
    out.middle[i] = mean;
    out.upper[i] = mean + width;
    out.lower[i] = mean - width;
  }
}
