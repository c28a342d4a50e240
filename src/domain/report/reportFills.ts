/**
 * The fills of one book (an account on a trading date) from its recorded orders. The broker
 * reports each order's aggregate: filled quantity and average price, so one order is one fill.
 * Books are kept apart because each simulator run is a fresh account: the same symbol bought in
 * two runs of a date are two positions, never one.
 */
import type { Fill } from '../positions/roundTrips';
import type { ReportOrderRow } from './reportRows';

/** The key of one book: account and trading date. */
export const bookKey = (row: { accountId: string; tradingDate: string }): string =>
  `${row.accountId}|${row.tradingDate}`;

/** Whole shares filled, or null when nothing (or a fraction, which Catalyst never orders) filled. */
function filledShares(row: ReportOrderRow): number | null {
  const qty = Number(row.filledQty);
  return Number.isSafeInteger(qty) && qty > 0 && row.filledAvgPrice ? qty : null;
}

export function fillOfOrder(row: ReportOrderRow): Fill | null {
  const qty = filledShares(row);
  if (qty === null) return null;
  return {
    orderId: row.brokerOrderId,
    clientOrderId: row.clientOrderId,
    symbol: row.symbol,
    side: row.side,
    qty,
    price: row.filledAvgPrice!,
    // A partial fill has no filled_at at the broker: its submission still orders it before its exits.
    filledAt: row.filledAt ?? row.submittedAt ?? '',
  };
}

/** Fills grouped by book, in time order (buys before sells at the same instant, as the matcher does). */
export function fillsByBook(orders: readonly ReportOrderRow[]): Map<string, Fill[]> {
  const books = new Map<string, Fill[]>();
  for (const row of orders) {
    const fill = fillOfOrder(row);
    if (!fill) continue;
    const key = bookKey(row);
    books.set(key, [...(books.get(key) ?? []), fill]);
  }
  for (const fills of books.values()) fills.sort(fillOrder);
  return books;
}

export function fillOrder(a: Fill, b: Fill): number {
  if (a.filledAt !== b.filledAt) return a.filledAt < b.filledAt ? -1 : 1;
  if (a.side !== b.side) return a.side === 'buy' ? -1 : 1;
  return 0;
}
