/**
 * VWAP reclaim: after at least `minBarsBelow` consecutive closes at or below the session VWAP, a
 * close back above it. Session VWAP is the average price paid today; buyers taking it back after
 * sellers held the stock under it is the intraday "trend is back" signal.
 *
 * VWAP is anchored at the session's first bar (prior-session bars are not today's auction) and
 * computed as the indicator kernel does (typical price × volume, cumulative), inline so no series
 * is allocated. Bars before any volume has traded have no VWAP: they break a streak rather than
 * extend it.
 *
 * Fires for the reclaim bar j in the last `recentBars` bars when every close from j on stays above
 * VWAP. confidence = (0.4 + 0.2 × streak + 0.2 × depth + 0.2 × volume) × decay^age, each in [0, 1]:
 * streak = bars below / (3 × minBarsBelow) (a longer stay under VWAP makes the reclaim mean more),
 * depth = deepest close below VWAP during it / 1 % (a shallow hover is barely "below"),
 * volume = reclaim bar's volume / session average before it − 1.
 */
import type { OhlcvBars } from '../indicators/kernels/bars';
import { clamp01 } from './candleConfidence';
import { PATTERN_PARAMS, type PatternParams } from './params';
import { barsAgo, price, staleness, times } from './reasonText';
import { checkSession } from './session';
import type { PatternHit } from './types';

export const VWAP_RECLAIM = 'vwap_reclaim';

export function vwapReclaim(
  bars: OhlcvBars,
  sessionStart: number,
  params: PatternParams = PATTERN_PARAMS,
): PatternHit | null {
  const n = checkSession(bars, sessionStart);
  const { high: h, low: l, close: c, volume: v } = bars;
  const minBelow = params.vwapReclaim.minBarsBelow;
  const last = n - 1;
  const oldest = last - params.recentBars + 1;

  let priceVolume = 0;
  let volume = 0;
  let streak = 0;
  let depth = 0;
  let lastNotAbove = -1;
  let reclaim = -1;
  let reclaimStreak = 0;
  let reclaimDepth = 0;
  let reclaimVolumeRatio = 0;
  let vwap = NaN;
  for (let k = sessionStart; k < n; k++) {
    const vol = v[k]!;
    const volumeBefore = volume;
    priceVolume += vol * ((h[k]! + l[k]! + c[k]!) / 3);
    volume += vol;
    vwap = priceVolume / volume;
    const close = c[k]!;
    if (Number.isNaN(vwap)) {
      streak = 0;
      depth = 0;
      lastNotAbove = k;
      continue;
    }
    if (close > vwap) {
      if (streak >= minBelow && k >= oldest) {
        reclaim = k;
        reclaimStreak = streak;
        reclaimDepth = depth;
        const avgBefore = volumeBefore / (k - sessionStart);
        reclaimVolumeRatio = avgBefore > 0 ? vol / avgBefore : Infinity;
      }
      streak = 0;
      depth = 0;
    } else {
      streak++;
      lastNotAbove = k;
      const below = (vwap - close) / vwap;
      if (below > depth) depth = below;
    }
  }
  if (reclaim < 0 || lastNotAbove > reclaim) return null;

  const age = last - reclaim;
  const confidence = clamp01(
    (0.4 +
      0.2 * clamp01(reclaimStreak / (3 * minBelow)) +
      0.2 * clamp01(reclaimDepth / 0.01) +
      0.2 * clamp01(reclaimVolumeRatio - 1)) *
      staleness(params.decayPerBar, age),
  );
  return {
    pattern: VWAP_RECLAIM,
    kind: 'setup',
    direction: 'bullish',
    confidence,
    barIndex: reclaim,
    reason:
      `closed ${price(c[reclaim]!)} back above session VWAP after ${reclaimStreak} bars at or below it ` +
      `(down to ${(reclaimDepth * 100).toFixed(2)} % under) on ${times(reclaimVolumeRatio)} the session's ` +
      `average volume${barsAgo(age)}; last close ${price(c[last]!)}, VWAP ${price(vwap)}`,
  };
}
