/**
 * Doji (1 bar at `i`): open ≈ close, indecision. Neutral: it says a move paused, not which way.
 *
 * Exactly technicalindicators' doji, including its quirk that a doji with exactly one shadow
 * (dragonfly: high ≈ open but low not ≈ close; gravestone: the reverse) is *not* a doji; only the
 * four-price bar (both ≈) and the bar with both shadows (neither ≈) are. "≈" is its 0.1 %-of-the-
 * first-argument tolerance with 4-significant-digit rounding (approxEqual).
 */
import type { OhlcvBars } from '../indicators/kernels/bars';
import { approxEqual } from './approxEqual';

export const DOJI_SPAN = 1;

export function isDoji(bars: OhlcvBars, i: number): boolean {
  if (i < 0 || i >= bars.length) return false;
  const o = bars.open[i]!;
  const c = bars.close[i]!;
  if (!approxEqual(o, c)) return false;
  return approxEqual(o, bars.high[i]!) === approxEqual(c, bars.low[i]!);
}
