/** GET /v2/account: a cash account, so buying power is cash less what open buys reserve. */
import { dec, isoUtc } from '../wireFormat';
import type { Route } from './router';
import { route } from './router';

export const accountRoutes: Route[] = [
  route('GET', '/v2/account', (req, venue) => {
    const a = venue.account;
    const longValue = venue.longMarketValue(req.now);
    const equity = a.cash + longValue;
    const buyingPower = dec(venue.buyingPower());
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
        daytrading_buying_power: '0',
        effective_buying_power: buyingPower,
        non_marginable_buying_power: buyingPower,
        options_buying_power: buyingPower,
        bod_dtbp: '0',
        cash: dec(a.cash),
        accrued_fees: '0',
        pending_transfer_in: '0',
        portfolio_value: dec(equity),
        pattern_day_trader: false,
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
        daytrade_count: 0,
        balance_asof: venue.session().date,
        options_approved_level: 0,
        options_trading_level: 0,
      },
    };
  }),
];
