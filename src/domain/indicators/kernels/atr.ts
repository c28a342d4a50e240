/**
 * ATR with Wilder's smoothing, written into a caller-provided Float64Array.
 *
 * Warm-up (same as technicalindicators): `out[i]` is NaN for i < period; the first value is at
 * index `period`. The first bar's high − low is not a true range (there is no previous close), so,
 * like the oracle, true ranges start at bar 1 and the seed is the mean of bars 1..period.
 *
 * The recurrence is the oracle's `(tr − atr)·(1/p) + atr` (its WEMA), not `(atr·(p−1) + tr)/p`: the
 * two are equal in exact arithmetic but round differently, and matching keeps the comparison tight.
 */
import { checkBars, checkOutputs, checkPeriod, KERNEL_PERIODS, type OhlcvBars } from './bars';

export function atrSeries(bars: OhlcvBars, out: Float64Array, period: number = KERNEL_PERIODS.atr): void {
  const n = checkBars(bars);
  checkPeriod('ATR', period);
  checkOutputs(n, out);
  out.fill(NaN, 0, Math.min(n, period));
  if (n <= period) return;
  const h = bars.high;
  const l = bars.low;
  const c = bars.close;

  // Math.max over the three candidates instead of if/else on which one wins: the winner changes
  // bar to bar, so branches mispredict (measured 7.9 → 4.8 ms over the universe).
  let sum = 0;
  let prevClose = c[0]!;
  for (let i = 1; i <= period; i++) {
    const hi = h[i]!;
    const lo = l[i]!;
    sum += Math.max(hi - lo, Math.abs(hi - prevClose), Math.abs(lo - prevClose));
    prevClose = c[i]!;
  }
  let atr = sum / period;
  out[period] = atr;
  const k = 1 / period;
  for (let i = period + 1; i < n; i++) {
    const hi = h[i]!;
    const lo = l[i]!;
    const tr = Math.max(hi - lo, Math.abs(hi - prevClose), Math.abs(lo - prevClose));
    atr = (tr - atr) * k + atr;
    out[i] = atr;
    prevClose = c[i]!;
  }
}
