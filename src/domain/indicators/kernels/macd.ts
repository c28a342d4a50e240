/**
 * MACD(12, 26, 9) with EMA oscillators and an EMA signal: technicalindicators with
 * `SimpleMAOscillator: false, SimpleMASignal: false`. (Its default uses SMAs, which is not MACD.)
 *
 * Warm-up (same as technicalindicators, after aligning its output to bar indices):
 * - `macd[i]` is NaN for i < slow − 1 (index 25): the line needs the slow EMA, seeded at slow − 1.
 * - `signal[i]` and `histogram[i]` are NaN for i < slow + signal − 2 (index 33): the signal EMA is
 *   seeded with the mean of the first `signal` MACD values.
 * The oracle's array starts at bar slow − 1 and carries `signal`/`histogram` as undefined there.
 *
 * Both EMAs are stepped in one loop with no intermediate arrays: the oscillators are needed only as
 * their difference, so writing them out would double the memory traffic for nothing.
 */
import { checkBars, checkOutputs, checkPeriod, KERNEL_PERIODS, type OhlcvBars } from './bars';

export interface MacdOutputs {
  macd: Float64Array;
  signal: Float64Array;
  histogram: Float64Array;
}

export function macdSeries(
  bars: OhlcvBars,
  out: MacdOutputs,
  fastPeriod: number = KERNEL_PERIODS.macdFast,
  slowPeriod: number = KERNEL_PERIODS.macdSlow,
  signalPeriod: number = KERNEL_PERIODS.macdSignal,
): void {
  const n = checkBars(bars);
  checkPeriod('MACD fast', fastPeriod);
  checkPeriod('MACD slow', slowPeriod);
  checkPeriod('MACD signal', signalPeriod);
  if (fastPeriod >= slowPeriod)
    throw new RangeError(`MACD fast ${fastPeriod} must be below slow ${slowPeriod}`);
  checkOutputs(n, out.macd, out.signal, out.histogram);
  const lineAt = slowPeriod - 1;
  const signalAt = lineAt + signalPeriod - 1;
  out.macd.fill(NaN, 0, Math.min(n, lineAt));
  out.signal.fill(NaN, 0, Math.min(n, signalAt));
  out.histogram.fill(NaN, 0, Math.min(n, signalAt));
  if (n < slowPeriod) return;

  const c = bars.close;
  const kf = 2 / (fastPeriod + 1);
  const ks = 2 / (slowPeriod + 1);
  const kg = 2 / (signalPeriod + 1);

  // Seed both EMAs exactly as a standalone EMA would (SMA of their first `period` closes), so the
  // line equals ema12 − ema26 computed separately, bit for bit.
  let sumFast = 0;
  for (let i = 0; i < fastPeriod; i++) sumFast += c[i]!;
  let fast = sumFast / fastPeriod;
  for (let i = fastPeriod; i < slowPeriod; i++) fast = (c[i]! - fast) * kf + fast;
  let sumSlow = 0;
  for (let i = 0; i < slowPeriod; i++) sumSlow += c[i]!;
  let slow = sumSlow / slowPeriod;

  let line = fast - slow;
  out.macd[lineAt] = line;
  let sumLine = line;
  const seedEnd = Math.min(n, signalAt + 1);
  for (let i = slowPeriod; i < seedEnd; i++) {
    const x = c[i]!;
    fast = (x - fast) * kf + fast;
    slow = (x - slow) * ks + slow;
    line = fast - slow;
    out.macd[i] = line;
    sumLine += line;
  }
  if (n <= signalAt) return;

  let signal = sumLine / signalPeriod;
  out.signal[signalAt] = signal;
  out.histogram[signalAt] = line - signal;
  for (let i = signalAt + 1; i < n; i++) {
    const x = c[i]!;
    fast = (x - fast) * kf + fast;
    slow = (x - slow) * ks + slow;
    line = fast - slow;
    signal = (line - signal) * kg + signal;
    out.macd[i] = line;
    out.signal[i] = signal;
    out.histogram[i] = line - signal;
  }
}
