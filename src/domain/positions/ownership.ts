/**
 * What is Catalyst's: an order whose client_order_id Catalyst made (`cat-YYYYMMDD-…`) for the
 * trading date in question, and the legs of such an order (the broker names legs itself). Every
 * other order of the account — placed by hand, by another system, or by Catalyst on another
 * date — is someone else's, and no rule in this folder ever acts on it.
 */
import { parseClientOrderId } from '../clientOrderId';
import type { BookOrder } from './bookTypes';

export type Owner = 'ours' | 'other_date' | 'foreign';

/**
 * Who owns a top-level order. With `tradingDate` null, any Catalyst order is ours (the operator's
 * halt with no day running acts on Catalyst's whole book).
 */
export function ownerOf(order: Pick<BookOrder, 'clientOrderId'>, tradingDate: string | null): Owner {
  const parts = parseClientOrderId(order.clientOrderId);
  if (!parts) return 'foreign';
  return tradingDate === null || parts.tradingDate === tradingDate ? 'ours' : 'other_date';
}

/** Top-level orders split by owner; legs travel with their parent. */
export function splitByOwner(
  orders: readonly BookOrder[],
  tradingDate: string | null,
): Record<Owner, BookOrder[]> {
  const out: Record<Owner, BookOrder[]> = { ours: [], other_date: [], foreign: [] };
  for (const o of orders) out[ownerOf(o, tradingDate)].push(o);
  return out;
}

/** Every order of a nested list, legs after their parent. */
export function flattenOrders(orders: readonly BookOrder[]): BookOrder[] {
  return orders.flatMap((o) => [o, ...o.legs]);
}
