/**
 * Figures of today's session from minute bars that may start with the previous session's: the
 * session VWAP (anchored at today's open) and the scan's inputs (price, open, range, volume,
 * previous close) as of the last bar, so the momentum and volume factors of a decision come from
 * the same as-of bars as its indicators, not from a snapshot taken later.
 */
import type { ScanInput } from '../scan';
import type { OhlcvBars } from './kernels';

/** VWAP of bars [from, length) from the typical price; NaN while no volume has traded. */
export function sessionVwap(bars: OhlcvBars, from: number): number {
  let pv = 0;
  let volume = 0;
  for (let i = from; i < bars.length; i++) {
    const v = bars.volume[i]!;
    pv += v * ((bars.high[i]! + bars.low[i]! + bars.close[i]!) / 3);
    volume += v;
  }
  return pv / volume;
}

/**
 * The scan input as of the last bar; null without a bar today or without a previous close (the
 * gap and momentum would have nothing to compare with).
 */
export function sessionScanInput(
  symbol: string,
  bars: OhlcvBars,
  sessionStart: number,
  baseline: { prevSessionVolume: number; avgVolume?: number },
): ScanInput | null {
  const n = bars.length;
  if (sessionStart >= n || sessionStart < 1) return null;
  let high = -Infinity;
  let low = Infinity;
  let volume = 0;
  for (let i = sessionStart; i < n; i++) {
    high = Math.max(high, bars.high[i]!);
    low = Math.min(low, bars.low[i]!);
    volume += bars.volume[i]!;
  }
  return {
    symbol,
    price: bars.close[n - 1]!,
    open: bars.open[sessionStart]!,
    high,
    low,
    volume,
    prevClose: bars.close[sessionStart - 1]!,
    prevVolume: baseline.prevSessionVolume,
    avgVolume: baseline.avgVolume,
  };
}
