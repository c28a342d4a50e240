/**
 * Volume-weighted average price over the bars given, with the typical price (H+L+C)/3 standing in
 * for each bar's trades. It is anchored at the first bar: pass the session's bars from the open.
 * Null when no volume traded (VWAP is undefined, and 0 would read as a price).
 */
export interface VwapBar {
  h: number;
  l: number;
  c: number;
  v: number;
}

export function vwap(bars: readonly VwapBar[]): number | null {
  let pv = 0;
  let volume = 0;
  for (const b of bars) {
    pv += ((b.h + b.l + b.c) / 3) * b.v;
    volume += b.v;
  }
  return volume > 0 ? pv / volume : null;
}
