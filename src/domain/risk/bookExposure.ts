/**
 * What the open book already commits against today's limits, read from Catalyst's book as the
 * broker reports it: the worst further loss if every stop fills at its price, Catalyst's pending
 * entries (exposure before they fill), and what open buy orders in the account can still spend.
 */
import { formatMicros, percentOf, toMicros, type Micros } from '../money';
import { unfilledNotional, type CatalystBook } from '../positions/catalystBook';
import type { BookOrder } from '../positions/bookTypes';
import { isOpenOrder } from '../positions/orderStatus';
import { isStopOrder } from '../positions/legRole';

export interface PendingEntryExposure {
  symbol: string;
  /** Unfilled qty × limit. */
  notional: string;
  /** Unfilled qty × (limit − its stop leg's price): the loss if it fills at its limit and stops out. */
  riskAtStop: string;
}

export interface BookExposure {
  /** Σ over holdings (price now − stop) × shares, plus Σ pending entries' risk at stop; never negative. */
  openStopRisk: string;
  pendingEntries: PendingEntryExposure[];
  /** Unfilled notional of every open buy order in the account, Catalyst's and others' (limit orders). */
  pendingBuyNotional: string;
}

const SHARE = 1_000_000n;

/**
 * `fallbackStopPct` prices a holding whose stop is unknown (its leg is gone): as if its stop sat
 * that far below the price now, the configured default stop.
 */
export function bookExposure(book: CatalystBook, fallbackStopPct: number): BookExposure {
  let stopRisk: Micros = 0n;
  for (const h of book.holdings) {
    if (h.closableQty <= 0) continue;
    const price = h.currentPrice ?? h.avgEntryPrice;
    if (!price) continue;
    const now = toMicros(price);
    const stop = h.stopPrice ? toMicros(h.stopPrice) : now - percentOf(now, fallbackStopPct);
    if (now > stop) stopRisk += (now - stop) * BigInt(h.closableQty);
  }
  const pendingEntries: PendingEntryExposure[] = [];
  let pendingBuys: Micros = 0n;
  for (const o of book.orders) {
    if (o.side !== 'buy' || !isOpenOrder(o)) continue;
    const notional = unfilledNotional(o);
    if (notional === null) continue;
    pendingBuys += toMicros(notional);
    const stop = stopLegPrice(o);
    const unfilled = toMicros(o.qty) - toMicros(o.filledQty);
    const limit = toMicros(o.limitPrice!);
    // A stop-less entry (none of Catalyst's have one) is counted at its whole notional.
    const risk = stop === null ? toMicros(notional) : limit > stop ? ((limit - stop) * unfilled) / SHARE : 0n;
    stopRisk += risk;
    pendingEntries.push({ symbol: o.symbol, notional, riskAtStop: formatMicros(risk, 6) });
  }
  for (const f of book.foreignOrders) {
    if (f.side === 'buy' && f.unfilledNotional) pendingBuys += toMicros(f.unfilledNotional);
  }
  return {
    openStopRisk: formatMicros(stopRisk, 6),
    pendingEntries,
    pendingBuyNotional: formatMicros(pendingBuys, 6),
  };
}

function stopLegPrice(entry: BookOrder): Micros | null {
  const leg = entry.legs.find((l) => isStopOrder(l) && l.stopPrice);
  return leg ? toMicros(leg.stopPrice!) : null;
}
