/** The simulator's order record and its Alpaca wire shape. */
import type { Micros } from '../../domain/money';
import { dec, isoUtc, qtyString } from '../wireFormat';

export type SimOrderStatus =
  | 'new'
  | 'accepted'
  | 'held'
  | 'partially_filled'
  | 'filled'
  | 'canceled'
  | 'expired'
  | 'replaced'
  | 'rejected';
export type SimOrderType = 'market' | 'limit' | 'stop' | 'stop_limit' | 'trailing_stop';
export type SimSide = 'buy' | 'sell';
export type SimTimeInForce = 'day' | 'gtc' | 'ioc' | 'fok';
/** '' when the client sent no order_class, as Alpaca echoes it. */
export type SimOrderClass = 'simple' | 'bracket' | 'oco' | 'oto' | '';
export type LegRole = 'take_profit' | 'stop_loss';

export const OPEN_STATUSES: ReadonlySet<SimOrderStatus> = new Set([
  'new',
  'accepted',
  'held',
  'partially_filled',
]);
export const isOpen = (o: SimOrder): boolean => OPEN_STATUSES.has(o.status);

/** When an order may first trade: the boundary of minute `minute` of session `session`. */
export interface LivePoint {
  session: number;
  minute: number;
}

export interface TrailSpec {
  /** Exactly one of the two is set. */
  price: Micros | null;
  /** Percent in micro-units: 1.5 % is 1_500_000n. */
  percent: Micros | null;
}

export interface SimOrder {
  /** Submission sequence: the tie-breaker that keeps processing order deterministic. */
  seq: number;
  id: string;
  clientOrderId: string;
  /**
   * Keys this order's random draws (partial fills). Built from what the client sent (its
   * client_order_id) or from the submission sequence, never from a random id, so a replay of
   * the same orders draws the same numbers.
   */
  drawKey: string;
  symbol: string;
  assetId: string;
  side: SimSide;
  type: SimOrderType;
  timeInForce: SimTimeInForce;
  orderClass: SimOrderClass;
  qty: number;
  filledQty: number;
  /** Σ price × qty of this order's fills: the exact source of filled_avg_price. */
  filledNotional: Micros;
  filledAvgPrice: Micros | null;
  limitPrice: Micros | null;
  /** For a trailing stop: the stop its high-water mark implies (null until it is live). */
  stopPrice: Micros | null;
  trail: TrailSpec | null;
  /** Trailing stops: highest (sells) or lowest (buys) price seen since the order went live. */
  hwm: Micros | null;
  /** A stop, stop-limit or trailing stop whose trigger price has traded. */
  triggered: boolean;
  status: SimOrderStatus;
  createdAt: number;
  updatedAt: number;
  submittedAt: number;
  /** Time of the latest fill (partial fills included), as Catalyst orders fills by it. */
  filledAt: number | null;
  expiredAt: number | null;
  canceledAt: number | null;
  replacedAt: number | null;
  replacedBy: string | null;
  replaces: string | null;
  /** Boundary of the latest fill: the remainder of a partial fill waits for a later minute. */
  lastFillAt: number | null;
  parentId: string | null;
  legIds: string[];
  /** Exit role inside a bracket, oco or oto group; null for entries and simple orders. */
  legRole: LegRole | null;
  /** Null while a leg is held behind its unfilled entry. */
  live: LivePoint | null;
  /** Per-share price a buy sets aside from buying power for its unfilled quantity. */
  reservePrice: Micros;
}

export const remainingQty = (o: SimOrder): number => o.qty - o.filledQty;

export function orderJson(o: SimOrder, legs: SimOrder[] | null): Record<string, unknown> {
  // Long-only venue: buys open positions, sells close them.
  const positionIntent = o.side === 'buy' ? 'buy_to_open' : 'sell_to_close';
  const iso = (ms: number | null): string | null => (ms === null ? null : isoUtc(ms));
  const money = (m: Micros | null): string | null => (m === null ? null : dec(m));
  return {
    id: o.id,
    client_order_id: o.clientOrderId,
    created_at: isoUtc(o.createdAt),
    updated_at: isoUtc(o.updatedAt),
    submitted_at: isoUtc(o.submittedAt),
    filled_at: iso(o.filledAt),
    expired_at: iso(o.expiredAt),
    canceled_at: iso(o.canceledAt),
    failed_at: null,
    replaced_at: iso(o.replacedAt),
    replaced_by: o.replacedBy,
    replaces: o.replaces,
    asset_id: o.assetId,
    symbol: o.symbol,
    asset_class: 'us_equity',
    notional: null,
    qty: qtyString(o.qty),
    filled_qty: qtyString(o.filledQty),
    filled_avg_price: money(o.filledAvgPrice),
    order_class: o.orderClass,
    order_type: o.type,
    type: o.type,
    side: o.side,
    position_intent: positionIntent,
    time_in_force: o.timeInForce,
    limit_price: money(o.limitPrice),
    stop_price: money(o.stopPrice),
    status: o.status,
    extended_hours: false,
    legs: legs === null ? null : legs.map((leg) => orderJson(leg, null)),
    trail_percent: money(o.trail?.percent ?? null),
    trail_price: money(o.trail?.price ?? null),
    hwm: money(o.hwm),
    subtag: null,
    source: null,
    expires_at: null,
  };
}
