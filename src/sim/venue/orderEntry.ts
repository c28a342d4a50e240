/**
 * Order entry: the account-side checks (buying power, shares available, day-trading
 * protection), booking an order with its legs, and cancels. Parsing is orderRequest.ts's
 * business, fills the matching engine's.
 */
import { seededUuid } from './orderIds';
import type { Micros } from '../../domain/money';
import { ErrorCode, SimHttpError, forbidden, notFound } from './errors';
import { quoteAt } from '../market/marketView';
import type { OrderSpec } from './orderRequest';
import { parseOrder } from './orderRequest';
import type { SimOrder } from './orderModel';
import { isOpen, orderJson } from './orderModel';
import type { Venue } from './venue';
import { dec, unitsToMicros } from '../wireFormat';

const PERCENT_SCALE = 100_000_000n;

/**
 * What a buy sets aside per share: its limit, its stop, or the ask (plus the trail for a
 * trailing stop) — the most it is expected to pay.
 */
export function reservePriceFor(
  venue: Venue,
  spec: Pick<OrderSpec, 'symbol' | 'side' | 'limitPrice' | 'stopPrice' | 'trail'>,
  now: number,
): Micros {
  if (spec.side !== 'buy') return 0n;
  if (spec.limitPrice !== null) return spec.limitPrice;
  if (spec.stopPrice !== null) return spec.stopPrice;
  const quote = quoteAt(venue.market(now), spec.symbol);
  const ask = unitsToMicros(quote.ask, quote.unitsPerDollar);
  if (spec.trail?.price) return ask + spec.trail.price;
  if (spec.trail?.percent) return (ask * (PERCENT_SCALE + spec.trail.percent)) / PERCENT_SCALE;
  return ask;
}

export function requireBuyingPower(venue: Venue, cost: Micros, releasing: Micros = 0n): void {
  const buyingPower = venue.buyingPower() + releasing;
  if (cost > buyingPower)
    throw forbidden('insufficient buying power', { buying_power: dec(buyingPower), cost_basis: dec(cost) });
}

/** No shorting: a sell may only use shares not already promised to other open sells. */
export function requireQtyAvailable(venue: Venue, symbol: string, qty: number, releasing = 0): void {
  const existing = venue.account.positions.get(symbol)?.qty ?? 0;
  const held = venue.book.qtyHeldForSells(symbol) - releasing;
  const available = Math.max(0, existing - held);
  if (qty > available) {
    throw forbidden(`insufficient qty available for order (requested: ${qty}, available: ${available})`, {
      symbol,
      available: String(available),
      existing_qty: String(existing),
      held_for_orders: String(held),
      related_orders: [],
    });
  }
}

function requireNoPatternDayTrade(venue: Venue, symbol: string, session: number): void {
  if (!venue.dayTradingProtection) return;
  if (venue.account.dayTrades.refuses(symbol, session, venue.account.lastEquity)) {
    throw new SimHttpError(
      403,
      ErrorCode.DayTradingProtection,
      'trade denied due to pattern day trading protection',
    );
  }
}

type OrderFields = Pick<
  SimOrder,
  | 'clientOrderId'
  | 'symbol'
  | 'side'
  | 'type'
  | 'timeInForce'
  | 'orderClass'
  | 'qty'
  | 'limitPrice'
  | 'stopPrice'
  | 'trail'
  | 'legRole'
  | 'parentId'
  | 'live'
  | 'status'
  | 'reservePrice'
> & { drawKey: string | null };

/** A fresh, unfilled order record; without a draw key it draws by its submission sequence. */
export function newOrder(venue: Venue, f: OrderFields, now: number): SimOrder {
  const seq = venue.book.allocateSeq();
  const drawKey = f.drawKey ?? `s:${seq}`;
  return {
    ...f,
    drawKey,
    // A trailing stop's stop price follows its mark, which starts when it goes live.
    stopPrice: f.type === 'trailing_stop' ? null : f.stopPrice,
    seq,
    id: seededUuid(venue.seed, 'order', drawKey),
    assetId: venue.universe.bySymbol.get(f.symbol)!.id,
    filledQty: 0,
    filledNotional: 0n,
    filledAvgPrice: null,
    hwm: null,
    triggered: false,
    createdAt: now,
    updatedAt: now,
    submittedAt: now,
    filledAt: null,
    expiredAt: null,
    canceledAt: null,
    replacedAt: null,
    replacedBy: null,
    replaces: null,
    lastFillAt: null,
    legIds: [],
  };
}

/** Validates and books an order (with its legs); returns the parent. */
export function submitOrder(venue: Venue, body: unknown, now: number): SimOrder {
  const spec = parseOrder(venue, body, now);
  const { live, status } = venue.liveFor(now);
  const reservePrice = reservePriceFor(venue, spec, now);
  if (spec.side === 'buy') requireBuyingPower(venue, reservePrice * BigInt(spec.qty));
  else {
    requireQtyAvailable(venue, spec.symbol, spec.qty);
    requireNoPatternDayTrade(venue, spec.symbol, live.session);
  }

  const parent = newOrder(
    venue,
    {
      clientOrderId: spec.clientOrderId,
      drawKey: spec.clientChoseId ? `c:${spec.clientOrderId}` : null,
      symbol: spec.symbol,
      side: spec.side,
      type: spec.type,
      timeInForce: spec.timeInForce,
      orderClass: spec.orderClass,
      qty: spec.qty,
      limitPrice: spec.limitPrice,
      stopPrice: spec.stopPrice,
      trail: spec.trail,
      legRole: spec.role,
      parentId: null,
      live,
      status,
      reservePrice,
    },
    now,
  );
  venue.book.add(parent);
  // Legs exit what the parent opens; an oco's parent is itself an exit, on the legs' side.
  const legSide = spec.role !== null ? spec.side : spec.side === 'buy' ? 'sell' : 'buy';
  for (const leg of spec.legs) {
    const order = newOrder(
      venue,
      {
        clientOrderId: seededUuid(venue.seed, 'client', `${parent.drawKey}/${leg.role}`),
        drawKey: `${parent.drawKey}/${leg.role}`,
        symbol: spec.symbol,
        side: legSide,
        type: leg.type,
        timeInForce: spec.timeInForce,
        orderClass: spec.orderClass,
        qty: spec.qty,
        limitPrice: leg.limitPrice,
        stopPrice: leg.stopPrice,
        trail: null,
        legRole: leg.role,
        parentId: parent.id,
        live: spec.legsHeld ? null : live,
        status: spec.legsHeld ? 'held' : status,
        reservePrice: 0n,
      },
      now,
    );
    venue.book.add(order);
    parent.legIds.push(order.id);
  }
  venue.fillOnArrival(parent, now);
  return parent;
}

function cancelOne(o: SimOrder, now: number): void {
  o.status = 'canceled';
  o.canceledAt = now;
  o.updatedAt = now;
}

/** Alpaca's answer to cancelling or replacing an order that is done. */
export function notCancelable(o: SimOrder): SimHttpError {
  return new SimHttpError(422, ErrorCode.Unprocessable, `order is already in "${o.status}" state`);
}

/** Cancels an open order and every open order of its group (bracket, oco, oto). */
export function cancelOrder(venue: Venue, id: string, now: number): void {
  const order = venue.book.get(id);
  if (!order) throw notFound('order not found');
  if (!isOpen(order)) throw notCancelable(order);
  for (const member of venue.book.group(order)) if (isOpen(member)) cancelOne(member, now);
}

export function cancelAllOrders(
  venue: Venue,
  now: number,
): Array<{ id: string; status: number; body: unknown }> {
  const open = venue.book.open();
  for (const o of open)
    if (isOpen(o)) for (const member of venue.book.group(o)) if (isOpen(member)) cancelOne(member, now);
  return open.map((o) => ({ id: o.id, status: 200, body: orderJson(o, null) }));
}
