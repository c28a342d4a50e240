/** The simulator's order record and its Alpaca wire shape. */
import type { Micros } from '../domain/money';
import { dec, isoUtc, qtyString } from './wireFormat';

export type SimOrderStatus = 'new' | 'accepted' | 'held' | 'filled' | 'canceled' | 'expired' | 'rejected';
export type SimOrderType = 'market' | 'limit' | 'stop';
export type SimSide = 'buy' | 'sell';

export const OPEN_STATUSES: ReadonlySet<SimOrderStatus> = new Set(['new', 'accepted', 'held']);
export const isOpen = (o: SimOrder): boolean => OPEN_STATUSES.has(o.status);

/** When an order may first trade: the boundary of minute `minute` of session `session`. */
export interface LivePoint {
  session: number;
  minute: number;
}

export interface SimOrder {
  /** Submission sequence: the tie-breaker that keeps processing order deterministic. */
  seq: number;
  id: string;
  clientOrderId: string;
  symbol: string;
  assetId: string;
  side: SimSide;
  type: SimOrderType;
  timeInForce: 'day' | 'gtc';
  /** '' when the client sent no order_class, as Alpaca echoes it. */
  orderClass: 'simple' | 'bracket' | '';
  qty: number;
  filledQty: number;
  filledAvgPrice: Micros | null;
  limitPrice: Micros | null;
  stopPrice: Micros | null;
  status: SimOrderStatus;
  createdAt: number;
  updatedAt: number;
  submittedAt: number;
  filledAt: number | null;
  expiredAt: number | null;
  canceledAt: number | null;
  parentId: string | null;
  legIds: string[];
  legRole: 'take_profit' | 'stop_loss' | null;
  /** Null while a bracket leg is held behind its unfilled entry. */
  live: LivePoint | null;
  /** Cash set aside for an open buy, released on fill or cancel. */
  reservedCash: Micros;
}

export function orderJson(o: SimOrder, legs: SimOrder[] | null): Record<string, unknown> {
  // Long-only venue: buys open positions, sells close them.
  const positionIntent = o.side === 'buy' ? 'buy_to_open' : 'sell_to_close';
  return {
    id: o.id,
    client_order_id: o.clientOrderId,
    created_at: isoUtc(o.createdAt),
    updated_at: isoUtc(o.updatedAt),
    submitted_at: isoUtc(o.submittedAt),
    filled_at: o.filledAt === null ? null : isoUtc(o.filledAt),
    expired_at: o.expiredAt === null ? null : isoUtc(o.expiredAt),
    canceled_at: o.canceledAt === null ? null : isoUtc(o.canceledAt),
    failed_at: null,
    replaced_at: null,
    replaced_by: null,
    replaces: null,
    asset_id: o.assetId,
    symbol: o.symbol,
    asset_class: 'us_equity',
    notional: null,
    qty: qtyString(o.qty),
    filled_qty: qtyString(o.filledQty),
    filled_avg_price: o.filledAvgPrice === null ? null : dec(o.filledAvgPrice),
    order_class: o.orderClass,
    order_type: o.type,
    type: o.type,
    side: o.side,
    position_intent: positionIntent,
    time_in_force: o.timeInForce,
    limit_price: o.limitPrice === null ? null : dec(o.limitPrice),
    stop_price: o.stopPrice === null ? null : dec(o.stopPrice),
    status: o.status,
    extended_hours: false,
    legs: legs === null ? null : legs.map((leg) => orderJson(leg, null)),
    trail_percent: null,
    trail_price: null,
    hwm: null,
    subtag: null,
    source: null,
    expires_at: null,
  };
}
