/**
 * How to get out of one of Catalyst's holdings without touching anything else: cancel Catalyst's
 * own working orders in the symbol (entries and bracket legs, never its exits), then sell its own
 * shares with one market order whose client_order_id is derived from the book itself
 * (`cat-<date>-c<entry cycle>-<SYMBOL>-exit-a<n>`, n = exits so far + 1). Every actor that
 * decides the same exit from the same book — the monitor's backstop, the emergency stop, the
 * flatten, a retried activity — computes the same id, so the broker's uniqueness check turns a
 * race into one order instead of two sells.
 */
import { clientOrderId, parseClientOrderId } from '../clientOrderId';
import type { BookOrder } from './bookTypes';
import type { Holding } from './catalystBook';
import { isOpenOrder } from './orderStatus';

export const EXIT_LEG = 'exit';

export interface ExitPlan {
  symbol: string;
  /** Catalyst's working orders to cancel before selling (a bracket's open parent cancels its legs too). */
  cancel: BookOrder[];
  /** An exit of Catalyst's still working: wait for it rather than send another. */
  workingExit: BookOrder | null;
  /** Shares to sell now; 0 while something must be cancelled first, an exit works, or nothing is held. */
  sellQty: number;
  /** The id of that sell; null when there is nothing to sell now. */
  clientOrderId: string | null;
}

export const isExitOrder = (o: Pick<BookOrder, 'clientOrderId'>): boolean =>
  parseClientOrderId(o.clientOrderId)?.leg === EXIT_LEG;

export function planExit(h: Holding): ExitPlan {
  const exits = h.orders.filter(isExitOrder);
  const workingExit = exits.find(isOpenOrder) ?? null;
  const open = h.orders.filter((o) => isOpenOrder(o) && !isExitOrder(o));
  const openIds = new Set(open.map((o) => o.id));
  // An open bracket parent takes its legs with it; legs of a filled parent are cancelled one by one.
  const cancel = open.filter(
    (o) => !h.orders.some((p) => openIds.has(p.id) && p.legs.some((l) => l.id === o.id)),
  );
  const canSell = cancel.length === 0 && workingExit === null && h.closableQty > 0;
  if (!canSell || h.entryTradingDate === null || h.entryCycle === null)
    return { symbol: h.symbol, cancel, workingExit, sellQty: 0, clientOrderId: null };
  const sameLot = exits.filter((o) => {
    const p = parseClientOrderId(o.clientOrderId);
    return p?.tradingDate === h.entryTradingDate && p?.cycle === h.entryCycle;
  });
  return {
    symbol: h.symbol,
    cancel,
    workingExit,
    sellQty: h.closableQty,
    clientOrderId: clientOrderId({
      tradingDate: h.entryTradingDate,
      cycle: h.entryCycle,
      symbol: h.symbol,
      leg: EXIT_LEG,
      attempt: sameLot.length + 1,
    }),
  };
}
