/**
 * Reads a POST /v2/orders body into an order spec, with Alpaca's 422 for anything malformed
 * and a clear 422 for what the simulator does not simulate (auctions, extended hours, shorts,
 * fractional and notional orders). Funds, quantities and day-trading rules are checked later,
 * in orderEntry.ts, because they depend on the account rather than on the request.
 */
import { randomUUID } from 'node:crypto';
import type { Micros } from '../../domain/money';
import { toMicros } from '../../domain/money';
import { invalid } from './errors';
import { tradeAt } from '../market/marketView';
import type { LegRole, SimOrderClass, SimOrderType, SimSide, SimTimeInForce, TrailSpec } from './orderModel';
import type { Venue } from './venue';
import { dec, microsPerUnit, unitsToMicros } from '../wireFormat';

const CENT: Micros = 10_000n;

export interface LegSpec {
  role: LegRole;
  type: 'limit' | 'stop' | 'stop_limit';
  limitPrice: Micros | null;
  stopPrice: Micros | null;
}

export interface OrderSpec {
  symbol: string;
  qty: number;
  side: SimSide;
  type: SimOrderType;
  timeInForce: SimTimeInForce;
  limitPrice: Micros | null;
  stopPrice: Micros | null;
  trail: TrailSpec | null;
  clientOrderId: string;
  /** Whether the client chose the id (it then keys the order's random draws). */
  clientChoseId: boolean;
  orderClass: SimOrderClass;
  /** The exit role of the order itself: an oco's parent is its take-profit. */
  role: LegRole | null;
  legs: LegSpec[];
  /** Bracket and oto legs wait for their entry; oco legs work at once. */
  legsHeld: boolean;
}

export function field(body: Record<string, unknown>, name: string): unknown {
  const v = body[name];
  return v === null ? undefined : v;
}

export function parseWholeQty(value: unknown, name = 'qty'): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^\d+(\.0*)?$/.test(text)) {
    if (/^\d*\.\d+$/.test(text))
      throw invalid(`fractional orders are not supported by the simulator: ${name} must be a whole number`);
    throw invalid(`${name} must be a positive whole number`);
  }
  const qty = Number(text);
  if (!Number.isSafeInteger(qty) || qty <= 0) throw invalid(`${name} must be a positive whole number`);
  return qty;
}

export function parsePrice(value: unknown, name: string): Micros {
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
export function checkTick(price: Micros, upd: number, name: string): void {
  const tick = price >= 1_000_000n ? CENT : microsPerUnit(upd);
  if (price % tick !== 0n || price % microsPerUnit(upd) !== 0n) {
    throw invalid(
      `invalid ${name} ${dec(price)}: sub-penny increment does not fulfill minimum pricing criteria`,
    );
  }
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw invalid(`invalid ${name}: ${JSON.stringify(value)} (expected one of ${allowed.join(', ')})`);
}

export function parseTimeInForce(value: unknown): SimTimeInForce {
  if (value === 'opg' || value === 'cls') {
    throw invalid(
      `time_in_force ${value} is not supported by the simulator: opening and closing auctions are not simulated (use day, gtc, ioc or fok)`,
    );
  }
  return oneOf(value, ['day', 'gtc', 'ioc', 'fok'] as const, 'time_in_force');
}

/** A trail distance: exactly one of trail_price (on the symbol's tick) and trail_percent. */
export function parseTrail(priceRaw: unknown, percentRaw: unknown, upd: number): TrailSpec {
  if ((priceRaw === undefined) === (percentRaw === undefined))
    throw invalid('trailing_stop orders need exactly one of trail_price and trail_percent');
  if (priceRaw !== undefined) {
    const price = parsePrice(priceRaw, 'trail_price');
    checkTick(price, upd, 'trail_price');
    return { price, percent: null };
  }
  const percent = parsePrice(percentRaw, 'trail_percent');
  if (percent >= 100_000_000n) throw invalid('trail_percent must be < 100');
  return { price: null, percent };
}

interface ExitPrices {
  takeProfit: Micros | null;
  stopLoss: Micros | null;
  stopLimit: Micros | null;
}

function parseExits(body: Record<string, unknown>, upd: number): ExitPrices {
  const tp = field(body, 'take_profit');
  const sl = field(body, 'stop_loss');
  if (tp !== undefined && (typeof tp !== 'object' || Array.isArray(tp)))
    throw invalid('take_profit must be an object');
  if (sl !== undefined && (typeof sl !== 'object' || Array.isArray(sl)))
    throw invalid('stop_loss must be an object');
  const out: ExitPrices = { takeProfit: null, stopLoss: null, stopLimit: null };
  if (tp !== undefined) {
    out.takeProfit = parsePrice(
      field(tp as Record<string, unknown>, 'limit_price'),
      'take_profit.limit_price',
    );
    checkTick(out.takeProfit, upd, 'take_profit.limit_price');
  }
  if (sl !== undefined) {
    const slBody = sl as Record<string, unknown>;
    out.stopLoss = parsePrice(field(slBody, 'stop_price'), 'stop_loss.stop_price');
    checkTick(out.stopLoss, upd, 'stop_loss.stop_price');
    if (field(slBody, 'limit_price') !== undefined) {
      out.stopLimit = parsePrice(field(slBody, 'limit_price'), 'stop_loss.limit_price');
      checkTick(out.stopLimit, upd, 'stop_loss.limit_price');
    }
  }
  return out;
}

/** Alpaca's rules for exits of a long position around the entry's base price. */
function checkExitsAroundBase(exits: ExitPrices, base: Micros): void {
  const { takeProfit, stopLoss } = exits;
  if (takeProfit !== null && stopLoss !== null && takeProfit <= stopLoss)
    throw invalid('take_profit.limit_price must be greater than stop_loss.stop_price');
  if (takeProfit !== null && takeProfit < base + CENT)
    throw invalid(`take_profit.limit_price must be >= base_price + 0.01 (base_price ${dec(base)})`);
  if (stopLoss !== null && stopLoss > base - CENT)
    throw invalid(`stop_loss.stop_price must be <= base_price - 0.01 (base_price ${dec(base)})`);
}

function exitLegs(exits: ExitPrices): LegSpec[] {
  const legs: LegSpec[] = [];
  if (exits.takeProfit !== null)
    legs.push({ role: 'take_profit', type: 'limit', limitPrice: exits.takeProfit, stopPrice: null });
  if (exits.stopLoss !== null)
    legs.push({
      role: 'stop_loss',
      type: exits.stopLimit === null ? 'stop' : 'stop_limit',
      limitPrice: exits.stopLimit,
      stopPrice: exits.stopLoss,
    });
  return legs;
}

/** The request's client_order_id (or a fresh one), refused when malformed or already used — even by a cancelled order. */
export function claimClientOrderId(
  venue: Venue,
  body: Record<string, unknown>,
): { clientOrderId: string; clientChoseId: boolean } {
  const cid = field(body, 'client_order_id');
  if (cid !== undefined && typeof cid !== 'string') throw invalid('client_order_id must be a string');
  const clientChoseId = cid !== undefined && cid !== '';
  const clientOrderId = clientChoseId ? cid : randomUUID();
  if (clientOrderId.length > 48) throw invalid('client_order_id must be no more than 48 characters');
  if (venue.book.clientOrderIdUsed(clientOrderId)) throw invalid('client_order_id must be unique');
  return { clientOrderId, clientChoseId };
}

export function parseOrder(venue: Venue, raw: unknown, now: number): OrderSpec {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw invalid('request body must be a JSON object');
  const body = raw as Record<string, unknown>;

  // Uniqueness first: a retried submit must be told "not unique", whatever else changed since.
  const { clientOrderId, clientChoseId } = claimClientOrderId(venue, body);

  const symbolRaw = field(body, 'symbol');
  if (typeof symbolRaw !== 'string' || symbolRaw.trim() === '') throw invalid('symbol is required');
  const symbol = symbolRaw.trim().toUpperCase();
  if (field(body, 'notional') !== undefined)
    throw invalid('notional orders are not supported by the simulator; send qty');
  if (field(body, 'qty') === undefined) throw invalid('qty is required');
  const qty = parseWholeQty(field(body, 'qty'));
  const side = oneOf(field(body, 'side'), ['buy', 'sell'] as const, 'side');
  const type = oneOf(
    field(body, 'type') ?? field(body, 'order_type'),
    ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'] as const,
    'type',
  );
  const timeInForce = parseTimeInForce(field(body, 'time_in_force'));
  if (field(body, 'extended_hours') === true) {
    if (type !== 'limit' || timeInForce !== 'day')
      throw invalid('extended hours orders must be DAY limit orders');
    throw invalid('extended hours orders are not supported by the simulator: it trades regular hours only');
  }
  const orderClassRaw = field(body, 'order_class') ?? '';
  const orderClass = oneOf(
    orderClassRaw === '' ? 'simple' : orderClassRaw,
    ['simple', 'bracket', 'oco', 'oto'] as const,
    'order_class',
  );
  if ((timeInForce === 'ioc' || timeInForce === 'fok') && type !== 'market' && type !== 'limit')
    throw invalid(`time_in_force ${timeInForce} is only supported for market and limit orders`);
  if (orderClass !== 'simple' && timeInForce !== 'day' && timeInForce !== 'gtc')
    throw invalid(`${orderClass} orders must be day or gtc (time_in_force ${timeInForce})`);

  const asset = venue.universe.bySymbol.get(symbol);
  if (!asset) throw invalid(`asset "${symbol}" not found`);
  if (!asset.tradable || asset.status !== 'active') throw invalid(`asset "${symbol}" is not tradable`);
  const upd = venue.model.unitsPerDollar(symbol);

  // An oco takes its limit from take_profit; a top-level limit_price is optional there.
  const limitOptional = orderClass === 'oco' && field(body, 'limit_price') === undefined;
  const limitPrice: Micros | null =
    (type === 'limit' || type === 'stop_limit') && !limitOptional
      ? parsePrice(field(body, 'limit_price'), 'limit_price')
      : null;
  const stopPrice =
    type === 'stop' || type === 'stop_limit' ? parsePrice(field(body, 'stop_price'), 'stop_price') : null;
  if (limitPrice !== null) checkTick(limitPrice, upd, 'limit_price');
  if (stopPrice !== null) checkTick(stopPrice, upd, 'stop_price');
  const trail =
    type === 'trailing_stop'
      ? parseTrail(field(body, 'trail_price'), field(body, 'trail_percent'), upd)
      : null;

  const spec: OrderSpec = {
    symbol,
    qty,
    side,
    type,
    timeInForce,
    limitPrice,
    stopPrice,
    trail,
    clientOrderId,
    clientChoseId,
    orderClass: orderClassRaw === 'simple' ? 'simple' : '',
    role: null,
    legs: [],
    legsHeld: false,
  };
  if (orderClass === 'simple') return spec;

  const exits = parseExits(body, upd);
  if (orderClass === 'oco') {
    if (side !== 'sell')
      throw invalid('oco orders must sell an existing position: short selling is not simulated');
    if (type !== 'limit') throw invalid('oco orders must be limit orders');
    if (exits.takeProfit === null) throw invalid('oco orders require take_profit');
    if (exits.stopLoss === null) throw invalid('oco orders require stop_loss');
    if (exits.takeProfit <= exits.stopLoss)
      throw invalid('take_profit.limit_price must be greater than stop_loss.stop_price');
    if (limitPrice !== null && limitPrice !== exits.takeProfit)
      throw invalid('limit_price of an oco order must equal take_profit.limit_price');
    const [, stopLeg] = exitLegs(exits);
    return {
      ...spec,
      limitPrice: exits.takeProfit,
      orderClass: 'oco',
      role: 'take_profit',
      legs: [stopLeg!],
    };
  }

  // Bracket and oto: an entry that opens a long position, with exits held until it fills.
  if (side !== 'buy')
    throw invalid(`${orderClass} orders must open with a buy: short selling is not simulated`);
  if (type !== 'market' && type !== 'limit')
    throw invalid(`${orderClass} orders must have a market or limit entry`);
  if (orderClass === 'bracket') {
    if (exits.takeProfit === null) throw invalid('bracket orders require take_profit');
    if (exits.stopLoss === null) throw invalid('bracket orders require stop_loss');
  } else if ((exits.takeProfit === null) === (exits.stopLoss === null)) {
    throw invalid('oto orders need exactly one of take_profit and stop_loss');
  }
  const trade = tradeAt(venue.market(now), symbol);
  checkExitsAroundBase(exits, limitPrice ?? unitsToMicros(trade.price, trade.unitsPerDollar));
  return { ...spec, orderClass, legs: exitLegs(exits), legsHeld: true };
}
