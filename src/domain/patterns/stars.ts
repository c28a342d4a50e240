/**
 * Morning and evening stars (3 bars, ending at `i`): a strong bar, a bar gapping away from it
 * (indecision at the extreme), then a bar gapping back and closing past the first bar's body
 * midpoint.
 *
 * Exactly technicalindicators' morningstar / eveningstar. Their gaps are on whole ranges (the
 * middle bar entirely below the first bar's low, the third open above the middle bar's high), which
 * on one-minute bars makes these rare; the oracle tests therefore also use crafted stars.
 */
import type { OhlcvBars } from '../indicators/kernels/bars';

export const STAR_SPAN = 3;

export function isMorningStar(bars: OhlcvBars, i: number): boolean {
  if (i < 2 || i >= bars.length) return false;
  const { open: o, high: h, low: l, close: c } = bars;
  const o0 = o[i - 2]!;
  const c0 = c[i - 2]!;
  const l0 = l[i - 2]!;
  const h1 = h[i - 1]!;
  const l1 = l[i - 1]!;
  const o2 = o[i]!;
  const c2 = c[i]!;
  return (
    c0 < o0 &&
    l0 > l1 &&
    l0 > h1 &&
    o2 > h1 &&
    c[i - 1]! < o2 &&
    o2 < c2 &&
    // Same expression as the oracle, so the midpoint rounds identically.
    c2 > (o0 + c0) / 2
  );
}

export function isEveningStar(bars: OhlcvBars, i: number): boolean {
  if (i < 2 || i >= bars.length) return false;
  const { open: o, high: h, low: l, close: c } = bars;
  const o0 = o[i - 2]!;
  const c0 = c[i - 2]!;
  const h0 = h[i - 2]!;
  const h1 = h[i - 1]!;
  const l1 = l[i - 1]!;
  const o2 = o[i]!;
  const c2 = c[i]!;
  return c0 > o0 && h0 < l1 && h0 < h1 && o2 < l1 && c[i - 1]! > o2 && o2 > c2 && c2 < (o0 + c0) / 2;
}
