/**
 * Opening-range breakout: the first closes above the high of the session's first `rangeBars` bars,
 * on a bar trading more than the opening range's average bar. The opening range is where the
 * overnight news gets priced; leaving it upward on volume means buyers won that auction.
 *
 * Fires for the breakout bar j in the last `recentBars` bars when every close from j to the last
 * bar stays above the range high (a breakout that fell back into the range is a failed one).
 *
 * confidence = (0.5 + 0.25 × volume + 0.25 × distance) × decay^age, where volume =
 * clamp01(breakout volume / range average − 1) (2× the average scores 1) and distance =
 * clamp01((last close − range high) / (¼ range width)): a close a hair above the high is the
 * classic fake-out.
 */
import type { OhlcvBars } from '../indicators/kernels/bars';
import { clamp01 } from './candleConfidence';
import { PATTERN_PARAMS, type PatternParams } from './params';
import { barsAgo, price, staleness, times } from './reasonText';
import { checkSession } from './session';
import type { PatternHit } from './types';

export const OPENING_RANGE_BREAKOUT = 'opening_range_breakout';

export function openingRangeBreakout(
  bars: OhlcvBars,
  sessionStart: number,
  params: PatternParams = PATTERN_PARAMS,
): PatternHit | null {
  const { high: h, low: l, close: c, volume: v } = bars;
  const last = checkSession(bars, sessionStart) - 1;
  const rangeBars = params.openingRangeBreakout.rangeBars;
  const afterRange = sessionStart + rangeBars;
  if (last < afterRange) return null;

  let rangeHigh = -Infinity;
  let rangeLow = Infinity;
  let rangeVolume = 0;
  for (let k = sessionStart; k < afterRange; k++) {
    if (h[k]! > rangeHigh) rangeHigh = h[k]!;
    if (l[k]! < rangeLow) rangeLow = l[k]!;
    rangeVolume += v[k]!;
  }
  const rangeAvgVolume = rangeVolume / rangeBars;

  // Walk back from the last bar while closes hold above the range; the first of them is the breakout.
  const oldest = Math.max(afterRange, last - params.recentBars + 1);
  for (let j = last; j >= oldest; j--) {
    if (!(c[j]! > rangeHigh)) return null;
    if (c[j - 1]! > rangeHigh) continue;
    const volume = v[j]!;
    if (!(volume > rangeAvgVolume)) return null;
    const volumeRatio = rangeAvgVolume > 0 ? volume / rangeAvgVolume : Infinity;
    const width = rangeHigh - rangeLow;
    const distance = width > 0 ? (c[last]! - rangeHigh) / (0.25 * width) : 1;
    const age = last - j;
    const confidence = clamp01(
      (0.5 + 0.25 * clamp01(volumeRatio - 1) + 0.25 * clamp01(distance)) * staleness(params.decayPerBar, age),
    );
    return {
      pattern: OPENING_RANGE_BREAKOUT,
      kind: 'setup',
      direction: 'bullish',
      confidence,
      barIndex: j,
      reason:
        `closed ${price(c[j]!)} above the ${rangeBars}-bar opening-range high ${price(rangeHigh)} ` +
        `on ${times(volumeRatio)} its average volume${barsAgo(age)}`,
    };
  }
  return null;
}
