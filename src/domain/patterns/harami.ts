/**
 * Harami (2 bars, ending at `i`): a small bar inside the previous bar's body and range, the
 * previous move stalling.
 *
 * Exactly technicalindicators' bullishharami / bearishharami. Their rule checks the second open
 * and close against the first body, the second low against the first open and the highs against
 * each other; it does not require the second bar to be of the opposite colour, only that its close
 * moved back from the first close. We keep that so the booleans agree.
 */
import type { OhlcvBars } from '../indicators/kernels/bars';

export const HARAMI_SPAN = 2;

/** Bearish bar, then a bar opening inside its body, closing above its close, within its high. */
export function isBullishHarami(bars: OhlcvBars, i: number): boolean {
  if (i < 1 || i >= bars.length) return false;
  const o0 = bars.open[i - 1]!;
  const c0 = bars.close[i - 1]!;
  const o1 = bars.open[i]!;
  return o0 > o1 && c0 < o1 && c0 < bars.close[i]! && o0 > bars.low[i]! && bars.high[i - 1]! > bars.high[i]!;
}

/** Bullish bar, then a bar opening inside its body, closing below its close, within its high. */
export function isBearishHarami(bars: OhlcvBars, i: number): boolean {
  if (i < 1 || i >= bars.length) return false;
  const o0 = bars.open[i - 1]!;
  const c0 = bars.close[i - 1]!;
  const o1 = bars.open[i]!;
  return o0 < o1 && c0 > o1 && c0 > bars.close[i]! && o0 < bars.low[i]! && bars.high[i - 1]! > bars.high[i]!;
}
