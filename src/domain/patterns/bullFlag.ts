/**
 * Bull flag: a strong run up (the pole), then a short, shallow, quieter drift under the pole's
 * high (the flag), then a close above the flag. The quiet pullback says the run's buyers are
 * holding rather than selling into it; the close above the flag says the next leg started.
 *
 * For a breakout bar j, each flag length L in [flagMinBars, flagMaxBars] gives a flag of bars
 * [j − L, j − 1] and a pole ending at bar j − L − 1, whose high must be the pole's highest and no
 * flag bar may trade above it. The pole starts at its lowest low within poleMaxBars (at least
 * poleMinBars long), all inside the session. Requirements: pole rise ≥ minPoleGain of its low;
 * flag low gives back ≤ maxRetracement of the pole; mean flag volume ≤ maxFlagVolumeRatio × mean
 * pole volume; close[j] above the flag's high. Of the lengths that qualify the most confident wins.
 *
 * Fires for the breakout bar j in the last `recentBars` bars when every close from j on stays above
 * the flag's high. confidence = (0.4 + 0.2 × pole + 0.2 × shallowness + 0.2 × quietness) ×
 * decay^age: pole = gain / minPoleGain − 1, shallowness = 1 − retracement / maxRetracement,
 * quietness = 1 − volume ratio / maxFlagVolumeRatio; each clamped to [0, 1].
 *
 * Cost: recentBars × flagMaxBars × poleMaxBars reads at most (3 × 12 × 15), whatever the session length.
 */
import type { OhlcvBars } from '../indicators/kernels/bars';
import { clamp01 } from './candleConfidence';
import { PATTERN_PARAMS, type PatternParams } from './params';
import { barsAgo, price, staleness } from './reasonText';
import { checkSession } from './session';
import type { PatternHit } from './types';

export const BULL_FLAG = 'bull_flag';

interface Flag {
  confidence: number;
  flagHigh: number;
  flagBars: number;
  poleBars: number;
  gain: number;
  retracement: number;
  volumeRatio: number;
}

export function bullFlag(
  bars: OhlcvBars,
  sessionStart: number,
  params: PatternParams = PATTERN_PARAMS,
): PatternHit | null {
  const n = checkSession(bars, sessionStart);
  const p = params.bullFlag;
  const last = n - 1;
  const c = bars.close;
  const oldest = Math.max(sessionStart + p.poleMinBars + p.flagMinBars, last - params.recentBars + 1);
  // Latest breakout first; an older one counts only if every close since has held above its flag.
  for (let j = last; j >= oldest; j--) {
    const flag = flagBreakingOutAt(bars, sessionStart, j, p);
    if (flag === null) continue;
    let holds = true;
    for (let k = j + 1; k <= last; k++) {
      if (!(c[k]! > flag.flagHigh)) {
        holds = false;
        break;
      }
    }
    if (!holds) continue;
    const age = last - j;
    return {
      pattern: BULL_FLAG,
      kind: 'setup',
      direction: 'bullish',
      confidence: clamp01(flag.confidence * staleness(params.decayPerBar, age)),
      barIndex: j,
      reason:
        `closed ${price(c[j]!)} above a ${flag.flagBars}-bar flag (high ${price(flag.flagHigh)}) after a ` +
        `${flag.poleBars}-bar pole of +${(flag.gain * 100).toFixed(1)} %; the flag gave back ` +
        `${(flag.retracement * 100).toFixed(0)} % of it on ${(flag.volumeRatio * 100).toFixed(0)} % of its ` +
        `volume${barsAgo(age)}`,
    };
  }
  return null;
}

function flagBreakingOutAt(
  bars: OhlcvBars,
  sessionStart: number,
  j: number,
  p: PatternParams['bullFlag'],
): Flag | null {
  const { high: h, low: l, close: c, volume: v } = bars;
  const close = c[j]!;
  let best: Flag | null = null;
  let flagHigh = -Infinity;
  let flagLow = Infinity;
  let flagVolume = 0;
  for (let len = 1; len <= p.flagMaxBars; len++) {
    const k = j - len;
    const top = k - 1; // the pole's last bar, its high
    if (top - p.poleMinBars + 1 < sessionStart) break;
    if (h[k]! > flagHigh) flagHigh = h[k]!;
    if (l[k]! < flagLow) flagLow = l[k]!;
    flagVolume += v[k]!;
    // A longer flag only raises its high: no breakout over this one, none over longer ones.
    if (!(close > flagHigh)) break;
    const poleHigh = h[top]!;
    if (flagHigh > poleHigh) continue;
    if (len < p.flagMinBars) continue;

    // The pole: back from its top while no bar is higher, to the lowest low within poleMaxBars.
    let poleStart = top;
    let poleLow = l[top]!;
    const earliest = Math.max(sessionStart, top - p.poleMaxBars + 1);
    for (let m = top - 1; m >= earliest; m--) {
      if (h[m]! > poleHigh) break;
      if (l[m]! < poleLow) {
        poleLow = l[m]!;
        poleStart = m;
      }
    }
    const poleBars = top - poleStart + 1;
    if (poleBars < p.poleMinBars) continue;
    const rise = poleHigh - poleLow;
    const gain = rise / poleLow;
    if (!(gain >= p.minPoleGain)) continue;
    const retracement = (poleHigh - flagLow) / rise;
    if (!(retracement <= p.maxRetracement)) continue;
    let poleVolume = 0;
    for (let m = poleStart; m <= top; m++) poleVolume += v[m]!;
    const volumeRatio = flagVolume / len / (poleVolume / poleBars);
    if (!(volumeRatio <= p.maxFlagVolumeRatio)) continue;

    const confidence =
      0.4 +
      0.2 * clamp01(gain / p.minPoleGain - 1) +
      0.2 * clamp01(1 - retracement / p.maxRetracement) +
      0.2 * clamp01(1 - volumeRatio / p.maxFlagVolumeRatio);
    if (best === null || confidence > best.confidence)
      best = { confidence, flagHigh, flagBars: len, poleBars, gain, retracement, volumeRatio };
  }
  return best;
}
