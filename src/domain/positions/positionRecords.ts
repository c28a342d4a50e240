/**
 * Fills → position records: one per entry order, following its partial fills (quantity and
 * average price grow as the entry fills) and its exits (exit price, realized P&L, which leg
 * closed it). What the positions table stores, computed from the broker's own record.
 */
import { parseClientOrderId } from '../clientOrderId';
import type { LegRole } from './bookTypes';
import type { CatalystBook } from './catalystBook';
import { flattenOrders } from './ownership';
import { legRoleOf } from './legRole';

export interface PositionRecordUpdate {
  entryClientOrderId: string;
  symbol: string;
  /** Cycle number from the entry's client order id. */
  cycle: number | null;
  qty: string;
  entryPrice: string;
  stopPrice: string | null;
  takeProfitPrice: string | null;
  openedAt: string;
  status: 'open' | 'closed';
  openQty: number;
  exitPrice: string | null;
  realizedPnl: string;
  closedAt: string | null;
  exitReason: LegRole | null;
}

export function positionRecords(book: Pick<CatalystBook, 'orders' | 'trips'>): PositionRecordUpdate[] {
  const byId = new Map(book.orders.map((o) => [o.id, o]));
  const roleOf = new Map<string, LegRole>();
  for (const parent of book.orders) {
    roleOf.set(parent.id, legRoleOf(parent));
    for (const leg of parent.legs) roleOf.set(leg.id, legRoleOf(leg, parent));
  }
  const legs = flattenOrders(book.orders);
  return book.trips.map((t) => {
    const entry = byId.get(t.entryOrderId);
    const stop = entry?.legs.find((l) => roleOf.get(l.id) === 'stop_loss');
    const target = entry?.legs.find((l) => roleOf.get(l.id) === 'take_profit');
    const lastExit = t.exitOrderIds.at(-1);
    return {
      entryClientOrderId: t.entryClientOrderId,
      symbol: t.symbol,
      cycle: parseClientOrderId(t.entryClientOrderId)?.cycle ?? null,
      qty: String(t.qty),
      entryPrice: t.entryPrice,
      stopPrice: stop?.stopPrice ?? null,
      takeProfitPrice: target?.limitPrice ?? null,
      openedAt: t.openedAt,
      status: t.openQty === 0 ? 'closed' : 'open',
      openQty: t.openQty,
      exitPrice: t.exitPrice,
      realizedPnl: t.realizedPnl,
      closedAt: t.closedAt,
      exitReason: lastExit && legs.some((o) => o.id === lastExit) ? (roleOf.get(lastExit) ?? 'exit') : null,
    };
  });
}
