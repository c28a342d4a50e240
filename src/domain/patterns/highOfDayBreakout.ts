/**
 * High-of-day breakout: a close above the session's high so far, after the high had held for at
 * least `minBaseBars` bars while the stock based under it (pulled back at most `maxPullback` of the
 * session's range). The base is the point: a stock that grinds to a new high every bar gives no
 * level to trade against, one that breaks out of a tight base does, with the base low as the stop.
 *
 * A bar whose high pokes above the session high but closes back under it sets the new high and
 * restarts the base: the level to clear is now the poke's high.
 *
 * Fires for the breakout bar j in the last `recentBars` bars when every close from j on stays above
 * the high it broke. confidence = (0.4 + 0.2 × base + 0.2 × tightness + 0.2 × volume) × decay^age:
 * base = base bars / (3 × minBaseBars), tightness = 1 − pullback / maxPullback, volume = breakout
 * bar's volume / the base's average − 1; each clamped to [0, 1].
 */
import type { OhlcvBars } from '../indicators/kernels/bars';
import { clamp01 } from './candleConfidence';
import { PATTERN_PARAMS, type PatternParams } from './params';
import { barsAgo, price, staleness, times } from './reasonText';
import { checkSession } from './session';
import type { PatternHit } from './types';

export const HIGH_OF_DAY_BREAKOUT = 'high_of_day_breakout';

export function highOfDayBreakout(
  bars: OhlcvBars,
  sessionStart: number,
  params: PatternParams = PATTERN_PARAMS,
): PatternHit | null {
  const n = checkSession(bars, sessionStart);
  if (n - sessionStart < 2) return null;
  const { high: h, low: l, close: c, volume: v } = bars;
  const { minBaseBars, maxPullback } = params.highOfDayBreakout;
  const last = n - 1;
  const oldest = last - params.recentBars + 1;

  let high = h[sessionStart]!;
  let highAt = sessionStart;
  let sessionLow = l[sessionStart]!;
  // The base: bars after the session high's bar (their lowest low and total volume).
  let baseLow = Infinity;
  let baseVolume = 0;
  let breakout = -1;
  let level = NaN;
  let baseBars = 0;
  let pullback = 0;
  let volumeRatio = 0;
  for (let k = sessionStart + 1; k < n; k++) {
    if (k >= oldest && c[k]! > high) {
      const base = k - 1 - highAt;
      const range = high - sessionLow;
      const drop = range > 0 ? (high - baseLow) / range : 0;
      if (base >= minBaseBars && drop <= maxPullback) {
        breakout = k;
        level = high;
        baseBars = base;
        pullback = drop;
        const baseAvg = baseVolume / base;
        volumeRatio = baseAvg > 0 ? v[k]! / baseAvg : Infinity;
      }
    }
    if (h[k]! > high) {
      high = h[k]!;
      highAt = k;
      baseLow = Infinity;
      baseVolume = 0;
    } else {
      if (l[k]! < baseLow) baseLow = l[k]!;
      baseVolume += v[k]!;
    }
    if (l[k]! < sessionLow) sessionLow = l[k]!;
  }
  if (breakout < 0) return null;
  for (let k = breakout + 1; k < n; k++) if (!(c[k]! > level)) return null;

  const age = last - breakout;
  const confidence = clamp01(
    (0.4 +
      0.2 * clamp01(baseBars / (3 * minBaseBars)) +
      0.2 * clamp01(1 - pullback / maxPullback) +
      0.2 * clamp01(volumeRatio - 1)) *
      staleness(params.decayPerBar, age),
  );
  return {
    pattern: HIGH_OF_DAY_BREAKOUT,
    kind: 'setup',
    direction: 'bullish',
    confidence,
    barIndex: breakout,
    reason:
      `closed ${price(c[breakout]!)} above the session high ${price(level)} after a ${baseBars}-bar base ` +
      `that gave back ${(pullback * 100).toFixed(0)} % of the day's range, on ${times(volumeRatio)} the ` +
      `base's average volume${barsAgo(age)}`,
  };
}
