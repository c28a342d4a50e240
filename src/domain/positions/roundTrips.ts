/**
 * Matches a day's fills into round trips, FIFO per symbol (long only: buys open, sells close),
 * with realized P&L exact in micro-units. The monitor uses it to open/close position rows and
 * the day summary to report realized P&L, independent of how the broker aggregates positions.
 */
import { formatMicros, toMicros, type Micros } from '../money';

export interface Fill {
  orderId: string;
  clientOrderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  qty: number; // whole shares filled
  price: string; // average fill price
  filledAt: string; // RFC 3339
}

export interface RoundTrip {
  symbol: string;
  /** Client order id of the buy that opened it: the position's identity. */
  entryClientOrderId: string;
  entryOrderId: string;
  openedAt: string;
  qty: number;
  entryPrice: string;
  openQty: number;
  closedQty: number;
  /** Volume-weighted exit price of the closed part (6 decimals), null while nothing is closed. */
  exitPrice: string | null;
  closedAt: string | null;
  exitOrderIds: string[];
  realizedPnl: string;
}

interface Lot {
  trip: RoundTrip;
  remaining: number;
  entry: Micros;
  exitNotional: Micros;
  pnl: Micros;
}

/** Sells that found no open lot: impossible for Catalyst's own fills unless the record is damaged. */
export interface ExcessSell {
  orderId: string;
  symbol: string;
  qty: number;
}

/** FIFO matching; throws on a sell of more shares than were bought. */
export function matchRoundTrips(fills: readonly Fill[]): RoundTrip[] {
  const { trips, excessSells } = matchRoundTripsReport(fills);
  const first = excessSells[0];
  if (first)
    throw new Error(
      `sell fill ${first.orderId} of ${first.symbol} closes ${first.qty} more shares than were bought`,
    );
  return trips;
}

/** FIFO matching that never throws on excess sells: it reports them, so a monitor tick survives a damaged record. */
export function matchRoundTripsReport(fills: readonly Fill[]): {
  trips: RoundTrip[];
  excessSells: ExcessSell[];
} {
  const excessSells: ExcessSell[] = [];
  const ordered = [...fills].sort((a, b) =>
    a.filledAt < b.filledAt
      ? -1
      : a.filledAt > b.filledAt
        ? 1
        : a.side === b.side
          ? 0
          : a.side === 'buy'
            ? -1
            : 1,
  );
  const openLots = new Map<string, Lot[]>();
  const all: Lot[] = [];
  for (const f of ordered) {
    if (!Number.isSafeInteger(f.qty) || f.qty <= 0)
      throw new Error(`fill ${f.orderId} has invalid quantity ${f.qty}`);
    const price = toMicros(f.price);
    if (f.side === 'buy') {
      const trip: RoundTrip = {
        symbol: f.symbol,
        entryClientOrderId: f.clientOrderId,
        entryOrderId: f.orderId,
        openedAt: f.filledAt,
        qty: f.qty,
        entryPrice: formatMicros(price, 6),
        openQty: f.qty,
        closedQty: 0,
        exitPrice: null,
        closedAt: null,
        exitOrderIds: [],
        realizedPnl: '0.000000',
      };
      const lot: Lot = { trip, remaining: f.qty, entry: price, exitNotional: 0n, pnl: 0n };
      all.push(lot);
      openLots.set(f.symbol, [...(openLots.get(f.symbol) ?? []), lot]);
      continue;
    }
    let toClose = f.qty;
    const lots = openLots.get(f.symbol) ?? [];
    while (toClose > 0 && lots.length > 0) {
      const lot = lots[0]!;
      const q = Math.min(toClose, lot.remaining);
      lot.remaining -= q;
      toClose -= q;
      lot.exitNotional += price * BigInt(q);
      lot.pnl += (price - lot.entry) * BigInt(q);
      const t = lot.trip;
      t.closedQty += q;
      t.openQty = lot.remaining;
      if (!t.exitOrderIds.includes(f.orderId)) t.exitOrderIds.push(f.orderId);
      t.exitPrice = formatMicros(lot.exitNotional / BigInt(t.closedQty), 6);
      t.realizedPnl = formatMicros(lot.pnl, 6);
      if (lot.remaining === 0) {
        t.closedAt = f.filledAt;
        lots.shift();
      }
    }
    if (toClose > 0) excessSells.push({ orderId: f.orderId, symbol: f.symbol, qty: toClose });
  }
  return { trips: all.map((l) => l.trip), excessSells };
}

/** Sum of realized P&L over round trips, as a cents string. */
export function totalRealizedPnl(trips: readonly RoundTrip[]): string {
  let total = 0n;
  for (const t of trips) total += toMicros(t.realizedPnl);
  return formatMicros(total, 2);
}
