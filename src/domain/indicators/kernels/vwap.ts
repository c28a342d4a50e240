/**
 * Cumulative VWAP from the typical price (H + L + C)/3, anchored at bar 0: pass one session's bars
 * from the open. `out[i]` is the VWAP of bars 0..i.
 *
 * No warm-up, but `out[i]` is NaN while no volume has traded in bars 0..i (0/0): VWAP is undefined
 * there, and 0 would read as a price. technicalindicators produces the same NaN (it divides too).
 * Zero-volume bars after that leave the VWAP unchanged. The division yields the NaN by itself, so
 * the loop has no branch.
 */
import { checkBars, checkOutputs, type OhlcvBars } from './bars';

export function vwapSeries(bars: OhlcvBars, out: Float64Array): void {
  const n = checkBars(bars);
  checkOutputs(n, out);
  const h = bars.high;
  const l = bars.low;
  const c = bars.close;
  const v = bars.volume;
  let priceVolume = 0;
  let volume = 0;
  for (let i = 0; i < n; i++) {
    const vol = v[i]!;
    // Same operation order as the oracle (volume × typical, then accumulate) so sums match exactly.
    priceVolume += vol * ((h[i]! + l[i]! + c[i]!) / 3);
    volume += vol;
    out[i] = priceVolume / volume;
  }
}
