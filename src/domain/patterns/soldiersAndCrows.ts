/**
 * Three white soldiers / three black crows (3 bars, ending at `i`): three same-coloured bars, each
 * extending the move and opening back inside the previous one, i.e. a sustained push rather than
 * one spike.
 *
 * Exactly technicalindicators' threewhitesoldiers / threeblackcrows. Their soldiers' "opens within
 * the previous body" is only "opens below the previous close" (no lower bound at the previous
 * open), with rising highs rather than rising closes; their crows open strictly inside the previous
 * body, with falling lows. Kept as is so the booleans agree.
 */
import type { OhlcvBars } from '../indicators/kernels/bars';

export const SOLDIERS_SPAN = 3;

export function isThreeWhiteSoldiers(bars: OhlcvBars, i: number): boolean {
  if (i < 2 || i >= bars.length) return false;
  const { open: o, high: h, close: c } = bars;
  const o0 = o[i - 2]!;
  const o1 = o[i - 1]!;
  const o2 = o[i]!;
  const c0 = c[i - 2]!;
  const c1 = c[i - 1]!;
  const h0 = h[i - 2]!;
  const h1 = h[i - 1]!;
  return (
    h1 > h0 && h[i]! > h1 && o0 < c0 && o1 < c1 && o2 < c[i]! && c0 > o1 && o1 < h0 && h1 > o2 && o2 < c1
  );
}

export function isThreeBlackCrows(bars: OhlcvBars, i: number): boolean {
  if (i < 2 || i >= bars.length) return false;
  const { open: o, low: l, close: c } = bars;
  const o0 = o[i - 2]!;
  const o1 = o[i - 1]!;
  const o2 = o[i]!;
  const c0 = c[i - 2]!;
  const c1 = c[i - 1]!;
  const l1 = l[i - 1]!;
  return (
    l[i - 2]! > l1 &&
    l1 > l[i]! &&
    o0 > c0 &&
    o1 > c1 &&
    o2 > c[i]! &&
    o0 > o1 &&
    o1 > c0 &&
    o1 > o2 &&
    o2 > c1
  );
}
