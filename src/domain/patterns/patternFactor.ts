/**
 * One number per symbol for ranking candidates down to pattern_top_n: 0..100, 50 when nothing
 * (or nothing directional) was found.
 *
 * factor = 50 + 50 × tanh(Σ bullish confidence − Σ bearish confidence): evidence adds up and
 * opposing evidence cancels, but with diminishing returns, so a pile of weak candlesticks cannot
 * outrank one clean setup by much and no count of hits reaches the bounds.
 */
import type { PatternHit } from './types';

export const PATTERN_FACTOR_NEUTRAL = 50;

export function patternFactor(hits: readonly PatternHit[]): number {
  let net = 0;
  for (const hit of hits) {
    // A malformed confidence counts as no evidence rather than poisoning the sum.
    const conf = hit.confidence > 1 ? 1 : hit.confidence > 0 ? hit.confidence : 0;
    if (hit.direction === 'bullish') net += conf;
    else if (hit.direction === 'bearish') net -= conf;
  }
  return PATTERN_FACTOR_NEUTRAL + 50 * Math.tanh(net);
}
