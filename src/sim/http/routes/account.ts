/**
 * GET /v2/account and the account's FILL activities. The account trades without margin
 * (multiplier 1), so every buying power is cash less what open buys reserve, and equity is
 * cash plus the long positions at the latest trade, all exact in micro-units.
 */
import type { Fill } from '../../venue/account';
import { invalid } from '../../venue/errors';
import type { Venue } from '../../venue/venue';
import { dec, isoUtc } from '../../wireFormat';
import type { Route } from './router';
import { route } from './router';

function fillActivityJson(venue: Venue, f: Fill, index: number): Record<string, unknown> {
  const order = venue.book.get(f.orderId);
  return {
    // Alpaca's activity ids sort by time: <transaction time>::<unique part>.
    id: `${isoUtc(f.at).replace(/\D/g, '').slice(0, 17)}::${String(index).padStart(8, '0')}`,
    activity_type: 'FILL',
    transaction_time: isoUtc(f.at),
    type: f.leavesQty > 0 ? 'partial_fill' : 'fill',
    price: dec(f.price),
    qty: String(f.qty),
    side: f.side,
    symbol: f.symbol,
    leaves_qty: String(f.leavesQty),
    order_id: f.orderId,
    cum_qty: String(f.cumQty),
    order_status: order?.status ?? 'filled',
  };
}

function fillActivities(venue: Venue, query: URLSearchParams): Array<Record<string, unknown>> {
  const instant = (name: string): number | null => {
    const text = query.get(name);
    if (!text) return null;
    const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
    if (Number.isNaN(ms)) throw invalid(`invalid ${name}: ${JSON.stringify(text)}`);
    return ms;
  };
  const after = instant('after');
  const until = instant('until');
  const direction = query.get('direction') ?? 'desc';
  if (direction !== 'asc' && direction !== 'desc') throw invalid(`invalid direction: ${direction}`);
  const pageSize = Number(query.get('page_size') ?? '100');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
    throw invalid('page_size must be a whole number in 1..100');
  const rows = venue.account.fills
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => (after === null || f.at > after) && (until === null || f.at < until));
  if (direction === 'desc') rows.reverse();
  const json = rows.map(({ f, i }) => fillActivityJson(venue, f, i));
  // page_token is the id of the last activity of the previous page.
  const token = query.get('page_token');
  const start = token ? json.findIndex((a) => a.id === token) + 1 : 0;
  return json.slice(start, start + pageSize);
}

export const accountRoutes: Route[] = [
  route('GET', '/v2/account', (req, venue) => {
    const a = venue.account;
    const session = venue.session().index;
    const longValue = venue.longMarketValue(req.now);
    const equity = a.cash + longValue;
    const buyingPower = dec(venue.buyingPower());
    const patternDayTrader = a.dayTrades.patternDayTrader;
    // Day-trading buying power only exists for pattern day traders; without margin it is cash.
    const dayTradingBuyingPower = patternDayTrader ? buyingPower : '0';
    return {
      status: 200,
      body: {
        id: a.id,
        account_number: a.accountNumber,
        status: 'ACTIVE',
        crypto_status: 'INACTIVE',
        currency: 'USD',
        buying_power: buyingPower,
        regt_buying_power: buyingPower,
        daytrading_buying_power: dayTradingBuyingPower,
        effective_buying_power: buyingPower,
        non_marginable_buying_power: buyingPower,
        options_buying_power: buyingPower,
        bod_dtbp: dayTradingBuyingPower,
        cash: dec(a.cash),
        accrued_fees: '0',
        pending_transfer_in: '0',
        portfolio_value: dec(equity),
        pattern_day_trader: patternDayTrader,
        trading_blocked: false,
        transfers_blocked: false,
        account_blocked: false,
        created_at: isoUtc(a.createdAt),
        trade_suspended_by_user: false,
        multiplier: '1',
        shorting_enabled: false,
        equity: dec(equity),
        last_equity: dec(a.lastEquity),
        long_market_value: dec(longValue),
        short_market_value: '0',
        position_market_value: dec(longValue),
        initial_margin: dec(longValue),
        maintenance_margin: '0',
        last_maintenance_margin: '0',
        sma: '0',
        daytrade_count: a.dayTrades.count(session),
        balance_asof: venue.session().date,
        options_approved_level: 0,
        options_trading_level: 0,
      },
    };
  }),

  route('GET', '/v2/account/activities/:type', (req, venue) => {
    const type = req.params.type!.toUpperCase();
    return { status: 200, body: type === 'FILL' ? fillActivities(venue, req.query) : [] };
  }),

  route('GET', '/v2/account/activities', (req, venue) => {
    const types = (req.query.get('activity_types') ?? 'FILL').toUpperCase().split(',');
    return { status: 200, body: types.includes('FILL') ? fillActivities(venue, req.query) : [] };
  }),
];
