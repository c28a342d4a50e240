/**
 * Closing positions: DELETE /v2/positions/{symbol} (all, or part by qty or percentage) and
 * DELETE /v2/positions (everything, optionally cancelling open orders first). Each close is
 * a market sell day order through the normal entry checks, so shares promised to open exit
 * orders refuse it with 403, as on Alpaca.
 */
import { toMicros } from '../../domain/money';
import { SimHttpError, invalid, notFound } from './errors';
import { cancelAllOrders, submitOrder } from './orderEntry';
import type { SimOrder } from './orderModel';
import { orderJson } from './orderModel';
import { parseWholeQty } from './orderRequest';
import type { Venue } from './venue';

/** The symbol of a position named by symbol or by asset id; undefined when flat. */
export function positionSymbol(venue: Venue, symbolOrAssetId: string): string | undefined {
  const upper = symbolOrAssetId.toUpperCase();
  if (venue.account.positions.has(upper)) return upper;
  for (const symbol of venue.account.positions.keys())
    if (venue.universe.bySymbol.get(symbol)?.id === symbolOrAssetId) return symbol;
  return undefined;
}

function closeQty(held: number, opts: { qty?: string | null; percentage?: string | null }): number {
  const { qty, percentage } = opts;
  if (qty && percentage) throw invalid('only one of qty and percentage may be given');
  if (qty) return parseWholeQty(qty);
  if (!percentage) return held;
  let pct: bigint;
  try {
    pct = toMicros(percentage);
  } catch {
    throw invalid('percentage must be a decimal number');
  }
  if (pct <= 0n || pct > 100_000_000n) throw invalid('percentage must be in (0, 100]');
  // Whole shares only: the fraction of a share a percentage implies is left in the position.
  const shares = Number((BigInt(held) * pct) / 100_000_000n);
  if (shares === 0) throw invalid('percentage closes less than one share');
  return shares;
}

/** Market-sells a position (or part of it) with a day order. */
export function closePosition(
  venue: Venue,
  symbolOrAssetId: string,
  now: number,
  opts: { qty?: string | null; percentage?: string | null } = {},
): SimOrder {
  const symbol = positionSymbol(venue, symbolOrAssetId);
  if (!symbol) throw notFound('position does not exist');
  const qty = closeQty(venue.account.positions.get(symbol)!.qty, opts);
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
