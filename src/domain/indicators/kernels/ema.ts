/**
 * Exponential moving averages (k = 2/(p+1)) and the fast/slow EMA cross state.
 *
 * Warm-up (same as technicalindicators): `out[i]` is NaN for i < period − 1; the EMA is seeded at
 * index period − 1 with the simple mean of the first `period` values, then `(x − e)·k + e`, which
 * is the oracle's exact arithmetic, so the two agree to the last bit or close to it.
 *
 * Cross state, from index max(fast, slow) − 1 where both EMAs exist (NaN before):
 * - `state[i]` = sign(fast − slow): +1 fast above, −1 below, 0 equal.
 * - `cross[i]` = +1 on the bar where fast moved above slow, −1 where it moved below, else 0.
 *   "Moved" compares with the last bar on which the two differed, so touching and returning to the
 *   same side is not a cross, and a cross through a bar of equality is reported once, on the bar
 *   that leaves it. The first bar with both EMAs is never a cross (there is nothing to cross from);
 *   technicalindicators' CrossUp/CrossDown report one there, which we do not copy.
 */
import { checkBars, checkOutputs, checkPeriod, KERNEL_PERIODS, type OhlcvBars } from './bars';

export function emaSeries(values: Float64Array, length: number, out: Float64Array, period: number): void {
  checkPeriod('EMA', period);
  if (values.length < length) throw new RangeError(`length ${length} exceeds the input's ${values.length}`);
  checkOutputs(length, out);
  const seedAt = period - 1;
  out.fill(NaN, 0, Math.min(length, seedAt));
  if (length < period) return;

  let sum = 0;
  for (let i = 0; i < period; i++) sum += values[i]!;
  let e = sum / period;
  out[seedAt] = e;
  const k = 2 / (period + 1);
  for (let i = period; i < length; i++) {
    e = (values[i]! - e) * k + e;
    out[i] = e;
  }
}

export interface EmaCrossOutputs {
  fast: Float64Array;
  slow: Float64Array;
  state: Float64Array;
  cross: Float64Array;
}

export function emaCrossSeries(
  bars: OhlcvBars,
  out: EmaCrossOutputs,
  fastPeriod: number = KERNEL_PERIODS.emaFast,
  slowPeriod: number = KERNEL_PERIODS.emaSlow,
): void {
  const n = checkBars(bars);
  checkOutputs(n, out.fast, out.slow, out.state, out.cross);
  emaSeries(bars.close, n, out.fast, fastPeriod);
  emaSeries(bars.close, n, out.slow, slowPeriod);
  const start = Math.max(fastPeriod, slowPeriod) - 1;
  out.state.fill(NaN, 0, Math.min(n, start));
  out.cross.fill(NaN, 0, Math.min(n, start));
  crossFrom(out, start, n, 0);
}

/**
 * `lastSide` is the last non-zero state before `start` (0 if none); exposed so that a caller who
 * appends bars can continue the state without recomputing history.
 */
export function crossFrom(out: EmaCrossOutputs, start: number, end: number, lastSide: number): number {
  const f = out.fast;
  const s = out.slow;
  for (let i = start; i < end; i++) {
    const side = Math.sign(f[i]! - s[i]!);
    // side·lastSide < 0 exactly when both are non-zero and differ: a cross, in the direction of side.
    out.state[i] = side;
    out.cross[i] = side * lastSide < 0 ? side : 0;
    lastSide = side !== 0 ? side : lastSide;
  }
  return lastSide;
}
