/**
 * PATCH /v2/orders/{id}: replaces an open order by a new one with some fields changed. The old
 * order ends `replaced` (replaced_at, replaced_by); the new one links back (replaces), takes
 * the old one's place in its group, and trades from the next minute like any new order.
 * Funds are checked as if the old order were already gone, since its reservation goes with it.
 */
import { ErrorCode, SimHttpError, invalid, notFound } from './errors';
import {
  newOrder,
  notCancelable,
  requireBuyingPower,
  requireQtyAvailable,
  reservePriceFor,
} from './orderEntry';
import type { SimOrder } from './orderModel';
import { isOpen, remainingQty } from './orderModel';
import {
  checkTick,
  claimClientOrderId,
  field,
  parsePrice,
  parseTimeInForce,
  parseTrail,
  parseWholeQty,
} from './orderRequest';
import { trailingStopUnits } from './trailingStop';
import type { Venue } from './venue';
import { microsPerUnit, unitsToMicros } from '../wireFormat';

const REPLACEABLE = ['qty', 'time_in_force', 'limit_price', 'stop_price', 'trail'] as const;

function unprocessable(message: string): SimHttpError {
  return new SimHttpError(422, ErrorCode.Unprocessable, message);
}

export function replaceOrder(venue: Venue, id: string, raw: unknown, now: number): SimOrder {
  const old = venue.book.get(id);
  if (!old) throw notFound('order not found');
  if (!isOpen(old)) throw notCancelable(old);
  if (old.status === 'partially_filled')
    throw unprocessable(
      'a partially filled order cannot be replaced by the simulator: cancel it and place a new order',
    );
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw invalid('request body must be a JSON object');
  const body = raw as Record<string, unknown>;
  if (REPLACEABLE.every((name) => field(body, name) === undefined))
    throw invalid(`nothing to replace: send one or more of ${REPLACEABLE.join(', ')}`);

  const { clientOrderId, clientChoseId } = claimClientOrderId(venue, body);

  const upd = venue.model.unitsPerDollar(old.symbol);
  let qty = old.qty;
  if (field(body, 'qty') !== undefined) {
    if (old.legRole !== null)
      throw invalid('the qty of an exit order follows its group and cannot be replaced');
    qty = parseWholeQty(field(body, 'qty'));
  }
  let timeInForce = old.timeInForce;
  if (field(body, 'time_in_force') !== undefined) {
    timeInForce = parseTimeInForce(field(body, 'time_in_force'));
    const immediate = timeInForce === 'ioc' || timeInForce === 'fok';
    if (immediate && old.type !== 'market' && old.type !== 'limit')
      throw invalid(`time_in_force ${timeInForce} is only supported for market and limit orders`);
    if (immediate && old.orderClass !== '' && old.orderClass !== 'simple')
      throw invalid(`${old.orderClass} orders must be day or gtc (time_in_force ${timeInForce})`);
  }
  let limitPrice = old.limitPrice;
  if (field(body, 'limit_price') !== undefined) {
    if (old.type !== 'limit' && old.type !== 'stop_limit')
      throw invalid('limit_price can only be replaced on limit and stop_limit orders');
    limitPrice = parsePrice(field(body, 'limit_price'), 'limit_price');
    checkTick(limitPrice, upd, 'limit_price');
  }
  let stopPrice = old.stopPrice;
  if (field(body, 'stop_price') !== undefined) {
    if (old.type !== 'stop' && old.type !== 'stop_limit')
      throw invalid('stop_price can only be replaced on stop and stop_limit orders');
    stopPrice = parsePrice(field(body, 'stop_price'), 'stop_price');
    checkTick(stopPrice, upd, 'stop_price');
  }
  let trail = old.trail;
  if (field(body, 'trail') !== undefined) {
    if (old.type !== 'trailing_stop') throw invalid('trail can only be replaced on trailing_stop orders');
    trail =
      old.trail?.price !== null && old.trail?.price !== undefined
        ? parseTrail(field(body, 'trail'), undefined, upd)
        : parseTrail(undefined, field(body, 'trail'), upd);
  }

  const held = old.status === 'held';
  const spec = { symbol: old.symbol, side: old.side, limitPrice, stopPrice, trail };
  const reservePrice = reservePriceFor(
    venue,
    old.type === 'trailing_stop' ? { ...spec, stopPrice: null } : spec,
    now,
  );
  if (!held) {
    if (old.side === 'buy')
      requireBuyingPower(venue, reservePrice * BigInt(qty), old.reservePrice * BigInt(remainingQty(old)));
    else requireQtyAvailable(venue, old.symbol, qty, remainingQty(old));
  }

  const { live, status } = venue.liveFor(now);
  const next = newOrder(
    venue,
    {
      clientOrderId,
      drawKey: clientChoseId ? `c:${clientOrderId}` : null,
      symbol: old.symbol,
      side: old.side,
      type: old.type,
      timeInForce,
      orderClass: old.orderClass,
      qty,
      limitPrice,
      stopPrice,
      trail,
      legRole: old.legRole,
      parentId: old.parentId,
      live: held ? null : live,
      status: held ? 'held' : status,
      reservePrice,
    },
    now,
  );
  // The trail keeps its mark: a replace changes the distance, not the history it has seen.
  if (old.type === 'trailing_stop' && old.hwm !== null) {
    next.hwm = old.hwm;
    const mpu = microsPerUnit(upd);
    const stop = trailingStopUnits(old.side, Number(old.hwm / mpu), trail!, mpu);
    next.stopPrice = unitsToMicros(stop, upd);
  }
  if (old.type === 'stop_limit' && stopPrice === old.stopPrice) next.triggered = old.triggered;
  next.replaces = old.id;
  venue.book.add(next);
  venue.book.swapIntoGroup(old, next);
  for (const leg of venue.book.legs(next)) {
    if (leg.status !== 'held' || leg.qty === qty) continue;
    leg.qty = qty;
    leg.updatedAt = now;
  }

  old.status = 'replaced';
  old.replacedAt = now;
  old.replacedBy = next.id;
  old.updatedAt = now;
  return next;
}
