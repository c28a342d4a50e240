/**
 * What Catalyst's closing orders cost beyond the exit its risk budget planned for: for each sell
 * that closed shares — a bracket's stop leg that filled, or a market exit (the monitor's backstops,
 * the emergency stop, the close-out) — the dollars by which its fill was below the lot's stop price.
 *
 * The reference is the lot's stop price for market exits too: it is in the broker's own order
 * record (the bracket's stop leg keeps it even when cancelled), it is the exit the risk gate
 * counted on, and the price the guard or the flatten last saw is kept nowhere the broker answers for.
 * A fill above its stop costs nothing here (it is not netted against the others): the figure is
 * what the loss limit could be overrun by, and only fills below their stops overrun it.
 */
import { parseClientOrderId } from '../clientOrderId';
import { formatMicros, toMicros } from '../money';
import type { BookOrder } from './bookTypes';
import { isExitOrder } from './exitPlan';
import { isStopOrder } from './legRole';

export interface ClosingFill {
  symbol: string;
  /** The stop leg's or the exit's broker id and client id (legs carry the broker's own id). */
  orderId: string;
  clientOrderId: string;
  kind: 'stop' | 'exit';
  qty: number;
  /** Average fill price. */
  price: string;
  /** The lot's stop price. */
  reference: string;
  /** (reference − price) × qty, at least 0; decimal dollars. */
  slippage: string;
}

export interface ClosingSlippage {
  /** Sum of the fills' slippage, decimal dollars (cents). */
  total: string;
  fills: ClosingFill[];
  /** Closing fills whose lot has no stop price on record (not counted in the total). */
  unreferenced: number;
}

/** The entry's lot key as exit ids carry it: date, entry cycle, symbol. */
const lotKey = (clientOrderId: string): string | null => {
  const p = parseClientOrderId(clientOrderId);
  return p ? `${p.tradingDate}/${p.cycle}/${p.symbol}` : null;
};

/** `orders`: Catalyst's top-level orders (legs nested), as the book holds them. */
export function closingSlippage(orders: readonly BookOrder[]): ClosingSlippage {
  const stopOfLot = new Map<string, string>();
  for (const o of orders) {
    const key = lotKey(o.clientOrderId);
    const stop = o.legs.find(isStopOrder);
    if (key && o.side === 'buy' && stop?.stopPrice) stopOfLot.set(key, stop.stopPrice);
  }

  const fills: ClosingFill[] = [];
  let unreferenced = 0;
  let total = 0n;
  const add = (o: BookOrder, kind: ClosingFill['kind'], reference: string | null | undefined): void => {
    const qty = Number(o.filledQty);
    if (!(qty > 0) || !o.filledAvgPrice || o.side !== 'sell') return;
    if (!reference) {
      unreferenced += 1;
      return;
    }
    const worse = (toMicros(reference) - toMicros(o.filledAvgPrice)) * toMicros(o.filledQty);
    // micros × micros: back to micros of dollars, rounded half away from zero.
    const micros = worse > 0n ? (worse + 500_000n) / 1_000_000n : 0n;
    total += micros;
    fills.push({
      symbol: o.symbol,
      orderId: o.id,
      clientOrderId: o.clientOrderId,
      kind,
      qty,
      price: o.filledAvgPrice,
      reference,
      slippage: formatMicros(micros, 2),
    });
  };

  for (const o of orders) {
    for (const leg of o.legs) if (isStopOrder(leg)) add(leg, 'stop', leg.stopPrice);
    if (isExitOrder(o)) {
      const key = lotKey(o.clientOrderId);
      add(o, 'exit', key ? stopOfLot.get(key) : null);
    }
  }
  return { total: formatMicros(total, 2), fills, unreferenced };
}
