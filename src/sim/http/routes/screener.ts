/**
 * The screener: GET /v1beta1/screener/stocks/most-actives (by volume or trade count) and
 * GET /v1beta1/screener/{market_type}/movers (gainers and losers by percent change from the
 * previous close), computed from the simulated tape at the clock's now.
 */
import type { DayActivity } from '../../market/screener';
import { screenAt } from '../../market/screener';
import { isoData, unitsToNumber } from '../../wireFormat';
import { enumParam, expectOnly, intParam, invalidParam } from './queryParams';
import type { Route } from './router';
import { route } from './router';

const bySymbol = (a: DayActivity, b: DayActivity): number =>
  a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;
const round = (x: number, places: number): number => Math.round(x * 10 ** places) / 10 ** places;

function moverJson(r: DayActivity): Record<string, unknown> {
  const change = r.price - r.prevClose;
  return {
    symbol: r.symbol,
    percent_change: round((change / r.prevClose) * 100, 2),
    change: unitsToNumber(change, r.unitsPerDollar),
    price: unitsToNumber(r.price, r.unitsPerDollar),
  };
}

export const screenerRoutes: Route[] = [
  route('GET', '/v1beta1/screener/stocks/most-actives', (req, venue) => {
    expectOnly(req.query, ['by', 'top']);
    const by = enumParam(req.query, 'by', ['volume', 'trades'] as const, 'volume');
    const top = intParam(req.query, 'top', 10, 1, 100);
    const screen = screenAt(venue.market(req.now));
    const key = by === 'volume' ? (r: DayActivity) => r.volume : (r: DayActivity) => r.trades;
    const ranked = screen.rows
      .filter((r) => r.volume > 0)
      .sort((a, b) => key(b) - key(a) || bySymbol(a, b))
      .slice(0, top);
    return {
      status: 200,
      body: {
        most_actives: ranked.map((r) => ({ symbol: r.symbol, volume: r.volume, trade_count: r.trades })),
        last_updated: isoData(screen.asOf),
      },
    };
  }),

  route('GET', '/v1beta1/screener/:market_type/movers', (req, venue) => {
    expectOnly(req.query, ['top']);
    const marketType = req.params.market_type!;
    if (marketType !== 'stocks' && marketType !== 'crypto')
      throw invalidParam(`invalid market_type: ${JSON.stringify(marketType)} (expected stocks or crypto)`);
    const top = intParam(req.query, 'top', 10, 1, 50);
    const screen = screenAt(venue.market(req.now));
    // The simulator trades no crypto: an empty board, as on a quiet crypto tape.
    const rows = marketType === 'stocks' ? screen.rows.filter((r) => r.prevClose > 0) : [];
    const pct = (r: DayActivity): number => (r.price - r.prevClose) / r.prevClose;
    const gainers = rows
      .filter((r) => r.price > r.prevClose)
      .sort((a, b) => pct(b) - pct(a) || bySymbol(a, b))
      .slice(0, top);
    const losers = rows
      .filter((r) => r.price < r.prevClose)
      .sort((a, b) => pct(a) - pct(b) || bySymbol(a, b))
      .slice(0, top);
    return {
      status: 200,
      body: {
        gainers: gainers.map(moverJson),
        losers: losers.map(moverJson),
        market_type: marketType,
        last_updated: isoData(screen.asOf),
      },
    };
  }),
];
