/**
 * Hammer and shooting star (5 bars, ending at `i`): three bars of trend, a rejection bar, and a
 * confirming bar. Only the confirmed forms: on one-minute bars an unconfirmed rejection wick is
 * mostly noise.
 *
 * Definitions are technicalindicators' hammerpattern / shootingstar, with one deliberate
 * difference. Their trend check compares averagegain() and averageloss() results, which are
 * one-element *arrays*, with `>`: JavaScript turns both into strings, so the comparison is
 * lexicographic ("10.5" > "4.5" is false, "1e-7" > "0.05" is true). We compare the numbers, built
 * the same way (sum of positive close-to-close changes over the first three closes, halved), so
 * the booleans agree exactly whenever the string and numeric comparisons agree; the oracle tests
 * check agreement on those cases and our numeric reading on the others.
 *
 * Kept from theirs on purpose: a "hammer" is any of the four hammer sticks (hammer or inverted
 * hammer, either colour), a shooting star either inverted stick; a stick's long shadow need only
 * be half its body (the textbook asks for twice); the confirming bar must be of the reversal's
 * colour and close beyond the stick's close.
 */
import type { OhlcvBars } from '../indicators/kernels/bars';
import { approxEqual } from './approxEqual';

export const HAMMER_SPAN = 5;

/**
 * Sign of the trend over closes a, a+1, a+2: +1 when the average gain beats the average loss, −1
 * for the reverse, 0 on a tie. Sums and halves as technicalindicators does (averagegain/averageloss
 * with period 2), so the comparison sees the same doubles.
 */
function trendSign(c: Float64Array, a: number): number {
  const c0 = c[a]!;
  const c1 = c[a + 1]!;
  const c2 = c[a + 2]!;
  let gains = 0;
  let losses = 0;
  if (c1 - c0 > 0) gains += c1 - c0;
  if (c2 - c1 > 0) gains += c2 - c1;
  if (c0 - c1 > 0) losses += c0 - c1;
  if (c1 - c2 > 0) losses += c1 - c2;
  const avgGain = gains / 2;
  const avgLoss = losses / 2;
  return avgGain > avgLoss ? 1 : avgLoss > avgGain ? -1 : 0;
}

/** Close at the high, lower shadow at least half the body (bullish or bearish body). */
function isHammerStick(o: number, h: number, l: number, c: number): boolean {
  if (c > o) return approxEqual(c, h) && c - o <= 2 * (o - l);
  if (o > c) return approxEqual(o, h) && o - c <= 2 * (c - l);
  return false;
}

/** Open or close at the low, upper shadow at least half the body. */
function isInvertedHammerStick(o: number, h: number, l: number, c: number): boolean {
  if (c > o) return approxEqual(o, l) && c - o <= 2 * (h - c);
  if (o > c) return approxEqual(c, l) && o - c <= 2 * (h - o);
  return false;
}

export function isHammer(bars: OhlcvBars, i: number): boolean {
  if (i < HAMMER_SPAN - 1 || i >= bars.length) return false;
  const { open: o, high: h, low: l, close: c } = bars;
  const a = i - 4;
  const s = i - 1;
  // Cheapest test first: the confirming bar is bullish and closes above the stick.
  if (!(o[i]! < c[i]! && c[s]! < c[i]!)) return false;
  const os = o[s]!;
  const hs = h[s]!;
  const ls = l[s]!;
  const cs = c[s]!;
  if (!(isHammerStick(os, hs, ls, cs) || isInvertedHammerStick(os, hs, ls, cs))) return false;
  return trendSign(c, a) < 0;
}

export function isShootingStar(bars: OhlcvBars, i: number): boolean {
  if (i < HAMMER_SPAN - 1 || i >= bars.length) return false;
  const { open: o, high: h, low: l, close: c } = bars;
  const a = i - 4;
  const s = i - 1;
  if (!(o[i]! > c[i]! && c[s]! > c[i]!)) return false;
  if (!isInvertedHammerStick(o[s]!, h[s]!, l[s]!, c[s]!)) return false;
  return trendSign(c, a) > 0;
}
