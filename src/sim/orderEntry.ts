/**
 * Order entry: validation with Alpaca's error codes, buying-power and quantity checks, bracket
 * construction, cancels and position closes. Fills are the matching engine's business.
 */
import { randomUUID } from 'node:crypto';
import type { Micros } from '../domain/money';
import { toMicros } from '../domain/money';
import { ErrorCode, SimHttpError, forbidden, invalid, notFound } from './errors';
import { quoteAt, tradeAt } from './marketView';
import type { SimOrder, SimOrderType, SimSide } from './orderModel';
import { isOpen, orderJson } from './orderModel';
import type { Venue } from './venue';
import { dec, microsPerUnit, unitsToMicros } from './wireFormat';

const CENT: Micros = 10_000n;

function field(body: Record<string, unknown>, name: string): unknown {
  const v = body[name];
  return v === null ? undefined : v;
}

function parseWholeQty(value: unknown): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^\d+(\.0*)?$/.test(text)) {
    if (/^\d*\.\d+$/.test(text))
      throw invalid('fractional orders are not supported by the simulator: qty must be a whole number');
    throw invalid('qty must be a positive whole number');
  }
  const qty = Number(text);
  if (!Number.isSafeInteger(qty) || qty <= 0) throw invalid('qty must be a positive whole number');
  return qty;
}

function parsePrice(value: unknown, name: string): Micros {
  if (typeof value !== 'string' && typeof value !== 'number') throw invalid(`${name} is required`);
  let micros: Micros;
  try {
    micros = toMicros(value);
  } catch {
    throw invalid(`${name} must be a decimal number`);
  }
  if (micros <= 0n) throw invalid(`${name} must be > 0`);
  return micros;
}

/** Prices must sit on the symbol's tick: cents at or above $1, 1/100 cent below. */
function checkTick(price: Micros, upd: number, name: string): void {
  const tick = price >= 1_000_000n ? CENT : microsPerUnit(upd);
  if (price % tick !== 0n || price % microsPerUnit(upd) !== 0n) {
    throw invalid(
      `invalid ${name} ${dec(price)}: sub-penny increment does not fulfill minimum pricing criteria`,
    );
  }
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw invalid(`invalid ${name}: ${JSON.stringify(value)} (expected one of ${allowed.join(', ')})`);
}

interface OrderSpec {
  symbol: string;
  qty: number;
  side: SimSide;
  type: SimOrderType;
  timeInForce: 'day' | 'gtc';
  limitPrice: Micros | null;
  stopPrice: Micros | null;
  clientOrderId: string;
  bracket: { takeProfit: Micros; stopLoss: Micros } | null;
  orderClassEcho: 'simple' | '';
}

function parseOrder(venue: Venue, raw: unknown, now: number): OrderSpec {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw invalid('request body must be a JSON object');
  const body = raw as Record<string, unknown>;

  // Uniqueness first: a retried submit must be told "not unique", whatever else changed since.
  const cid = field(body, 'client_order_id');
  if (cid !== undefined && typeof cid !== 'string') throw invalid('client_order_id must be a string');
  const clientOrderId = cid === undefined || cid === '' ? randomUUID() : cid;
  if (clientOrderId.length > 48) throw invalid('client_order_id must be no more than 48 characters');
  if (venue.book.clientOrderIdUsed(clientOrderId)) throw invalid('client_order_id must be unique');

  const symbolRaw = field(body, 'symbol');
  if (typeof symbolRaw !== 'string' || symbolRaw.trim() === '') throw invalid('symbol is required');
  const symbol = symbolRaw.trim().toUpperCase();
  if (field(body, 'notional') !== undefined)
    throw invalid('notional orders are not supported by the simulator; send qty');
  if (field(body, 'qty') === undefined) throw invalid('qty is required');
  const qty = parseWholeQty(field(body, 'qty'));
  const side = oneOf(field(body, 'side'), ['buy', 'sell'] as const, 'side');
  const typeRaw = field(body, 'type') ?? field(body, 'order_type');
  if (typeRaw === 'stop_limit' || typeRaw === 'trailing_stop') {
    throw invalid(`order type ${typeRaw} is not supported by the simulator`);
  }
  const type = oneOf(typeRaw, ['market', 'limit', 'stop'] as const, 'type');
  const tifRaw = field(body, 'time_in_force');
  if (typeof tifRaw === 'string' && ['opg', 'cls', 'ioc', 'fok'].includes(tifRaw)) {
    throw invalid(`time_in_force ${tifRaw} is not supported by the simulator (use day or gtc)`);
  }
  const timeInForce = oneOf(tifRaw, ['day', 'gtc'] as const, 'time_in_force');
  if (field(body, 'extended_hours') === true)
    throw invalid('extended hours orders are not supported by the simulator');
  const orderClassRaw = field(body, 'order_class') ?? '';
  const orderClass = oneOf(
    orderClassRaw === '' ? 'simple' : orderClassRaw,
    ['simple', 'bracket', 'oco', 'oto'] as const,
    'order_class',
  );
  if (orderClass === 'oco' || orderClass === 'oto')
    throw invalid(`order_class ${orderClass} is not supported by the simulator`);

  const asset = venue.universe.bySymbol.get(symbol);
  if (!asset) throw invalid(`asset "${symbol}" not found`);
  if (!asset.tradable || asset.status !== 'active') throw invalid(`asset "${symbol}" is not tradable`);
  const upd = venue.model.unitsPerDollar(symbol);

  const limitPrice = type === 'limit' ? parsePrice(field(body, 'limit_price'), 'limit_price') : null;
  const stopPrice = type === 'stop' ? parsePrice(field(body, 'stop_price'), 'stop_price') : null;
  if (limitPrice !== null) checkTick(limitPrice, upd, 'limit_price');
  if (stopPrice !== null) checkTick(stopPrice, upd, 'stop_price');

  let bracket: OrderSpec['bracket'] = null;
  if (orderClass === 'bracket') {
    if (type === 'stop') throw invalid('bracket orders must have a market or limit entry');
    const tp = field(body, 'take_profit');
    const sl = field(body, 'stop_loss');
    if (typeof tp !== 'object' || tp === null) throw invalid('bracket orders require take_profit');
    if (typeof sl !== 'object' || sl === null) throw invalid('bracket orders require stop_loss');
    const slBody = sl as Record<string, unknown>;
    if (field(slBody, 'limit_price') !== undefined)
      throw invalid('stop-limit stop_loss legs are not supported by the simulator');
    const takeProfit = parsePrice(
      field(tp as Record<string, unknown>, 'limit_price'),
      'take_profit.limit_price',
    );
    const stopLoss = parsePrice(field(slBody, 'stop_price'), 'stop_loss.stop_price');
    checkTick(takeProfit, upd, 'take_profit.limit_price');
    checkTick(stopLoss, upd, 'stop_loss.stop_price');
    const trade = tradeAt(venue.market(now), symbol);
    const base = limitPrice ?? unitsToMicros(trade.price, trade.unitsPerDollar);
    if (side === 'buy') {
      if (takeProfit <= stopLoss)
        throw invalid('take_profit.limit_price must be greater than stop_loss.stop_price');
      if (takeProfit < base + CENT)
        throw invalid(`take_profit.limit_price must be >= base_price + 0.01 (base_price ${dec(base)})`);
      if (stopLoss > base - CENT)
        throw invalid(`stop_loss.stop_price must be <= base_price - 0.01 (base_price ${dec(base)})`);
    } else {
      if (takeProfit >= stopLoss)
        throw invalid('take_profit.limit_price must be less than stop_loss.stop_price');
      if (takeProfit > base - CENT)
        throw invalid(`take_profit.limit_price must be <= base_price - 0.01 (base_price ${dec(base)})`);
      if (stopLoss < base + CENT)
        throw invalid(`stop_loss.stop_price must be >= base_price + 0.01 (base_price ${dec(base)})`);
    }
    bracket = { takeProfit, stopLoss };
  }

  const orderClassEcho = orderClassRaw === 'simple' ? 'simple' : '';
  return {
    symbol,
    qty,
    side,
    type,
    timeInForce,
    limitPrice,
    stopPrice,
    clientOrderId,
    bracket,
    orderClassEcho,
  };
}

function checkAffordable(venue: Venue, spec: OrderSpec, now: number): Micros {
  if (spec.side === 'buy') {
    const quote = quoteAt(venue.market(now), spec.symbol);
    const price = spec.limitPrice ?? spec.stopPrice ?? unitsToMicros(quote.ask, quote.unitsPerDollar);
    const cost = price * BigInt(spec.qty);
    const buyingPower = venue.buyingPower();
    if (cost > buyingPower) {
      throw forbidden('insufficient buying power', { buying_power: dec(buyingPower), cost_basis: dec(cost) });
    }
    return cost;
  }
  const existing = venue.account.positions.get(spec.symbol)?.qty ?? 0;
  const held = venue.book.qtyHeldForSells(spec.symbol);
  const available = Math.max(0, existing - held);
  if (spec.qty > available) {
    throw forbidden(
      `insufficient qty available for order (requested: ${spec.qty}, available: ${available})`,
      {
        symbol: spec.symbol,
        available: String(available),
        existing_qty: String(existing),
        held_for_orders: String(held),
        related_orders: [],
      },
    );
  }
  return 0n;
}

/** Validates and books an order (with its legs); returns the parent. */
export function submitOrder(venue: Venue, body: unknown, now: number): SimOrder {
  const spec = parseOrder(venue, body, now);
  const reservedCash = checkAffordable(venue, spec, now);
  const asset = venue.universe.bySymbol.get(spec.symbol)!;
  const { live, status } = venue.liveFor(now);
  const base = {
    symbol: spec.symbol,
    assetId: asset.id,
    timeInForce: spec.timeInForce,
    qty: spec.qty,
    filledQty: 0,
    filledAvgPrice: null,
    createdAt: now,
    updatedAt: now,
    submittedAt: now,
    filledAt: null,
    expiredAt: null,
    canceledAt: null,
  };
  const parent: SimOrder = {
    ...base,
    seq: venue.book.allocateSeq(),
    id: randomUUID(),
    clientOrderId: spec.clientOrderId,
    side: spec.side,
    type: spec.type,
    orderClass: spec.bracket ? 'bracket' : spec.orderClassEcho,
    limitPrice: spec.limitPrice,
    stopPrice: spec.stopPrice,
    status,
    parentId: null,
    legIds: [],
    legRole: null,
    live,
    reservedCash,
  };
  venue.book.add(parent);
  if (spec.bracket) {
    const exitSide: SimSide = spec.side === 'buy' ? 'sell' : 'buy';
    const legs: Array<Pick<SimOrder, 'type' | 'limitPrice' | 'stopPrice' | 'legRole'>> = [
      { type: 'limit', limitPrice: spec.bracket.takeProfit, stopPrice: null, legRole: 'take_profit' },
      { type: 'stop', limitPrice: null, stopPrice: spec.bracket.stopLoss, legRole: 'stop_loss' },
    ];
    for (const leg of legs) {
      const order: SimOrder = {
        ...base,
        ...leg,
        seq: venue.book.allocateSeq(),
        id: randomUUID(),
        clientOrderId: randomUUID(),
        side: exitSide,
        orderClass: 'bracket',
        status: 'held',
        parentId: parent.id,
        legIds: [],
        live: null,
        reservedCash: 0n,
      };
      venue.book.add(order);
      parent.legIds.push(order.id);
    }
  }
  return parent;
}

function cancelOne(o: SimOrder, now: number): void {
  o.status = 'canceled';
  o.canceledAt = now;
  o.updatedAt = now;
  o.reservedCash = 0n;
}

/** Cancels an open order and every open order of its bracket. */
export function cancelOrder(venue: Venue, id: string, now: number): void {
  const order = venue.book.get(id);
  if (!order) throw notFound('order not found');
  if (!isOpen(order)) {
    throw new SimHttpError(422, ErrorCode.Unprocessable, `order is not cancelable (status: ${order.status})`);
  }
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

/** Market-sells a position (or part of it) with a day order. */
export function closePosition(
  venue: Venue,
  symbol: string,
  now: number,
  opts: { qty?: string | null; percentage?: string | null } = {},
): SimOrder {
  const position = venue.account.positions.get(symbol);
  if (!position) throw notFound('position does not exist');
  let qty = position.qty;
  if (opts.qty) qty = parseWholeQty(opts.qty);
  else if (opts.percentage) {
    const pct = Number(opts.percentage);
    if (!Number.isFinite(pct) || pct <= 0 || pct > 100) throw invalid('percentage must be in (0, 100]');
    qty = Math.floor((position.qty * pct) / 100);
    if (qty === 0) throw invalid('percentage closes less than one share');
  }
  return submitOrder(
    venue,
    { symbol, qty: String(qty), side: 'sell', type: 'market', time_in_force: 'day' },
    now,
  );
}

export function closeAllPositions(
  venue: Venue,
  now: number,
  cancelOrders: boolean,
): Array<{ symbol: string; status: number; body: unknown }> {
  if (cancelOrders) cancelAllOrders(venue, now);
  const symbols = [...venue.account.positions.keys()].sort();
  return symbols.map((symbol) => {
    try {
      return { symbol, status: 200, body: orderJson(closePosition(venue, symbol, now), null) };
    } catch (e) {
      if (e instanceof SimHttpError) return { symbol, status: e.status, body: e.body() };
      throw e;
    }
  });
}
