/**
 * The pattern stage for one symbol: which candlesticks completed on the latest bars and which
 * intraday setups hold at the last bar.
 *
 * Candlesticks: each pattern is tried ending at the last bar, then at each of the `recentBars − 1`
 * bars before it; the most recent completion counts, its confidence discounted by decayPerBar per
 * bar of age. A pattern must lie wholly inside the session: a "gap" across the overnight break or a
 * trend read from yesterday's close is not an intraday signal. Setups report their own trigger bar.
 *
 * At most one hit per pattern; sorted by confidence, highest first. Cost per symbol is a few
 * hundred bar reads for the candlesticks and bull flag plus two passes over the session for VWAP
 * and the session high; nothing is allocated per bar.
 */
import type { OhlcvBars } from '../indicators/kernels/bars';
import { candleConfidence, clamp01 } from './candleConfidence';
import { CANDLESTICKS } from './candlesticks';
import { bullFlag } from './bullFlag';
import { highOfDayBreakout } from './highOfDayBreakout';
import { openingRangeBreakout } from './openingRangeBreakout';
import { PATTERN_PARAMS, type PatternParams } from './params';
import { staleness, times } from './reasonText';
import { checkSession } from './session';
import type { PatternHit } from './types';
import { vwapReclaim } from './vwapReclaim';

const SETUPS = [openingRangeBreakout, bullFlag, vwapReclaim, highOfDayBreakout] as const;

/**
 * @param bars one symbol's one-minute bars, oldest first; prior-session bars may precede the session
 * @param sessionStart index of the session's first bar (bars.length when the session has none yet)
 * @param opts overrides of PATTERN_PARAMS (top-level keys; a nested group is replaced whole)
 */
export function detectPatterns(
  bars: OhlcvBars,
  sessionStart: number,
  opts?: Partial<PatternParams>,
): PatternHit[] {
  const n = checkSession(bars, sessionStart);
  const params: PatternParams = opts === undefined ? PATTERN_PARAMS : { ...PATTERN_PARAMS, ...opts };
  const hits: PatternHit[] = [];
  if (n === sessionStart) return hits;
  const last = n - 1;

  for (const def of CANDLESTICKS) {
    for (let age = 0; age < params.recentBars; age++) {
      const i = last - age;
      if (i - def.span + 1 < sessionStart) break;
      if (!def.detect(bars, i)) continue;
      const strength = candleConfidence(bars, i, def.span, def.reliability, sessionStart, params.contextBars);
      hits.push({
        pattern: def.name,
        kind: 'candlestick',
        direction: def.direction,
        confidence: clamp01(strength.confidence * staleness(params.decayPerBar, age)),
        barIndex: i,
        reason: candleReason(def.label, age, strength.rangeRatio, strength.volumeRatio),
      });
      break;
    }
  }

  for (const setup of SETUPS) {
    const hit = setup(bars, sessionStart, params);
    if (hit !== null) hits.push(hit);
  }
  return hits.sort((a, b) => b.confidence - a.confidence);
}

function candleReason(label: string, age: number, rangeRatio: number, volumeRatio: number): string {
  const when = age === 0 ? 'on the last bar' : `${age} bar${age === 1 ? '' : 's'} ago`;
  // No context bars (the session's first minutes): nothing to size the bars against.
  if (Number.isNaN(rangeRatio) && Number.isNaN(volumeRatio)) return `${label} ${when}`;
  return `${label} ${when}, bars ${times(rangeRatio)} the recent range on ${times(volumeRatio)} the volume`;
}
