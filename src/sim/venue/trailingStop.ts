/**
 * Trailing stops: the stop follows the high-water mark (the highest trade for a sell, the
 * lowest for a buy) at a fixed distance, in dollars or percent. The mark moves once per
 * minute, after the minute has been checked against the stop it started with, so a minute
 * that spikes and then falls back does not trigger on its own spike.
 */
import type { SimSide, TrailSpec } from './orderModel';

const PERCENT_SCALE = 100_000_000n; // 100 % in micro-percent

/** The stop implied by mark `hwm` (price units), rounded away from the market to a whole tick. */
export function trailingStopUnits(
  side: SimSide,
  hwm: number,
  trail: TrailSpec,
  microsPerUnit: bigint,
): number {
  if (trail.price !== null) {
    const distance = Number(trail.price / microsPerUnit);
    return side === 'sell' ? Math.max(1, hwm - distance) : hwm + distance;
  }
  const pct = trail.percent!;
  const mark = BigInt(hwm);
  if (side === 'sell') return Math.max(1, Number((mark * (PERCENT_SCALE - pct)) / PERCENT_SCALE));
  const scaled = mark * (PERCENT_SCALE + pct);
  return Number((scaled + PERCENT_SCALE - 1n) / PERCENT_SCALE);
}

/** The mark after seeing prices from `low` to `high`. */
export const nextMark = (side: SimSide, hwm: number, low: number, high: number): number =>
  side === 'sell' ? Math.max(hwm, high) : Math.min(hwm, low);
