/**
 * Engulfing patterns (2 bars, ending at `i`): the second body swallows the first, opposite-coloured
 * body, i.e. one side took back everything the other side did in the previous bar.
 *
 * Exactly technicalindicators' bullishengulfingpattern / bearishengulfingpattern, so the oracle
 * tests compare booleans. Their rule is on bodies only (shadows ignored) and strict, so equal opens
 * or closes do not engulf.
 */
import type { OhlcvBars } from '../indicators/kernels/bars';

export const ENGULFING_SPAN = 2;

/** Bearish bar, then a bar opening below its close and closing above its open. */
export function isBullishEngulfing(bars: OhlcvBars, i: number): boolean {
  if (i < 1 || i >= bars.length) return false;
  const o = bars.open;
  const c = bars.close;
  const o0 = o[i - 1]!;
  const c0 = c[i - 1]!;
  const o1 = o[i]!;
  return c0 < o0 && o0 > o1 && c0 > o1 && o0 < c[i]!;
}

/** Bullish bar, then a bar opening above its close and closing below its open. */
export function isBearishEngulfing(bars: OhlcvBars, i: number): boolean {
  if (i < 1 || i >= bars.length) return false;
  const o = bars.open;
  const c = bars.close;
  const o0 = o[i - 1]!;
  const c0 = c[i - 1]!;
  const o1 = o[i]!;
  return c0 > o0 && o0 < o1 && c0 < o1 && o0 > c[i]!;
}
