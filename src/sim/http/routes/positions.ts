/** The /v2/positions family: long positions marked at the latest trade. */
import { notFound } from '../../venue/errors';
import { orderJson } from '../../venue/orderModel';
import { closeAllPositions, closePosition, positionSymbol } from '../../venue/positionClose';
import type { Venue } from '../../venue/venue';
import { dec, ratioString, unitsToMicros } from '../../wireFormat';
import type { Route } from './router';
import { queryFlag, route } from './router';

function positionJson(venue: Venue, symbol: string, now: number): Record<string, unknown> {
  const p = venue.account.positions.get(symbol)!;
  const asset = venue.universe.bySymbol.get(symbol)!;
  const session = venue.session();
  const price = venue.priceMicros(symbol, now);
  const lastdayPrice = unitsToMicros(
    venue.model.prevCloseUnits(symbol, session.index),
    venue.model.unitsPerDollar(symbol),
  );
  const qty = BigInt(p.qty);
  const marketValue = price * qty;
  const unrealized = marketValue - p.costBasis;
  // Opened today: the intraday P&L is all of it; otherwise it runs from yesterday's close.
  const intradayBase = p.openedSession === session.index ? p.costBasis : lastdayPrice * qty;
  const intraday = marketValue - intradayBase;
  const held = venue.book.qtyHeldForSells(symbol);
  return {
    asset_id: asset.id,
    symbol,
    exchange: asset.exchange,
    asset_class: 'us_equity',
    asset_marginable: asset.marginable,
    qty: String(p.qty),
    qty_available: String(Math.max(0, p.qty - held)),
    avg_entry_price: dec(p.costBasis / qty),
    side: 'long',
    market_value: dec(marketValue),
    cost_basis: dec(p.costBasis),
    unrealized_pl: dec(unrealized),
    unrealized_plpc: ratioString(unrealized, p.costBasis),
    unrealized_intraday_pl: dec(intraday),
    unrealized_intraday_plpc: ratioString(intraday, intradayBase),
    current_price: dec(price),
    lastday_price: dec(lastdayPrice),
    change_today: ratioString(price - lastdayPrice, lastdayPrice),
  };
}

export const positionRoutes: Route[] = [
  route('GET', '/v2/positions', (req, venue) => {
    const symbols = [...venue.account.positions.keys()].sort();
    return { status: 200, body: symbols.map((s) => positionJson(venue, s, req.now)) };
  }),
  route('GET', '/v2/positions/:symbol', (req, venue) => {
    const symbol = positionSymbol(venue, req.params.symbol!);
    if (!symbol) throw notFound('position does not exist');
    return { status: 200, body: positionJson(venue, symbol, req.now) };
  }),
  route('DELETE', '/v2/positions', (req, venue) => ({
    status: 207,
    body: closeAllPositions(venue, req.now, queryFlag(req.query, 'cancel_orders')),
  })),
  route('DELETE', '/v2/positions/:symbol', (req, venue) => {
    const order = closePosition(venue, req.params.symbol!, req.now, {
      qty: req.query.get('qty'),
      percentage: req.query.get('percentage'),
    });
    return { status: 200, body: orderJson(order, null) };
  }),
];
