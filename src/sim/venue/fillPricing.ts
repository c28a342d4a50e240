/**
 * Fill prices against the simulated NBBO, in integer price units (one tick each).
 * Buys pay the ask and sells hit the bid. Orders that take liquidity at whatever price the
 * market gives (market orders, triggered stops) also pay a deterministic market impact that
 * grows with their share of the minute's volume; a triggered stop pays one extra tick because
 * it only becomes a market order after the price has gone through it.
 */
import { spreadAround } from '../market/marketView';
import type { SimSide } from './orderModel';

/** Impact: one tick per 10 % of the minute's volume taken, at most 1 % of the price. */
export function impactTicks(qty: number, minuteVolume: number, priceUnits: number): number {
  const ticks = Math.floor((10 * qty) / Math.max(1, minuteVolume));
  return Math.min(ticks, Math.max(1, Math.floor(priceUnits / 100)));
}

/** Where a taker fills when the last trade is `price`: ask for buys, bid for sells. */
export function takerPrice(side: SimSide, price: number): number {
  const { bid, ask } = spreadAround(price);
  return side === 'buy' ? ask : bid;
}

/** A market order (or the rest of a triggered stop) at `price`, with its impact. */
export function marketFill(side: SimSide, price: number, qty: number, minuteVolume: number): number {
  const impact = impactTicks(qty, minuteVolume, price);
  const base = takerPrice(side, price);
  return side === 'buy' ? base + impact : Math.max(1, base - impact);
}

/** A stop triggered at `trigger` (its stop price, or the open that gapped through it). */
export function stopFill(side: SimSide, trigger: number, qty: number, minuteVolume: number): number {
  const m = marketFill(side, trigger, qty, minuteVolume);
  return side === 'buy' ? m + 1 : Math.max(1, m - 1);
}

/** Has trading at `price` triggered a stop at `stop`? Sell stops protect below, buy stops above. */
export const stopTouched = (side: SimSide, stop: number, price: number): boolean =>
  side === 'sell' ? price <= stop : price >= stop;

/** Is a limit order marketable when the last trade is `price`? */
export function limitMarketable(side: SimSide, limit: number, price: number): boolean {
  const quote = takerPrice(side, price);
  return side === 'buy' ? quote <= limit : quote >= limit;
}

/** The most favourable trade price of a minute for a resting limit: its low for buys, high for sells. */
export const bestPriceInMinute = (side: SimSide, low: number, high: number): number =>
  side === 'buy' ? low : high;

/** The least favourable trade price of a minute for a stop: its high for buys, low for sells. */
export const stopPriceInMinute = (side: SimSide, low: number, high: number): number =>
  side === 'buy' ? high : low;

/**
 * A triggered stop-limit: a stop fill that may not cross its limit. Null when even the quote
 * at the trigger is beyond the limit; the order then rests as a limit order.
 */
export function stopLimitFill(
  side: SimSide,
  trigger: number,
  limit: number,
  qty: number,
  minuteVolume: number,
): number | null {
  if (!limitMarketable(side, limit, trigger)) return null;
  const p = stopFill(side, trigger, qty, minuteVolume);
  return side === 'buy' ? Math.min(p, limit) : Math.max(p, limit);
}
