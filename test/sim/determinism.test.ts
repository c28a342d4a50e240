import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { api, at, type Json, startManual } from './simKit';

const DATE = '2026-03-10';
const MIN = 60_000;
const MARKET = { scenario: 'crash@12:00,halt:MSFT@10:15+10m', signalStrength: 0.4 };
const SYMBOLS = 'AAPL,MSFT,XOM,AMD,TSLA,F';

async function raw(sim: RunningSimulator, path: string): Promise<string> {
  const res = await fetch(`${sim.url}${path}`, {
    headers: { 'APCA-API-KEY-ID': sim.keyId, 'APCA-API-SECRET-KEY': sim.secretKey },
  });
  expect(res.status, path).toBe(200);
  return res.text();
}

/** Everything a client could read about the market at the current instant, as sent. */
async function marketText(sim: RunningSimulator): Promise<string[]> {
  return Promise.all(
    [
      `/v2/stocks/bars?symbols=${SYMBOLS}&timeframe=1Min&start=${DATE}&limit=10000`,
      `/v2/stocks/bars?symbols=${SYMBOLS}&timeframe=1Day&start=2026-01-01`,
      `/v2/stocks/snapshots?symbols=${SYMBOLS}`,
      `/v1beta1/news?start=2026-03-01&limit=50&include_content=true`,
      `/v1beta1/screener/stocks/movers?top=50`,
      `/v1beta1/screener/stocks/most-actives?top=50&by=trades`,
    ].map((p) => raw(sim, p)),
  );
}

/** Moves the clock to `ms` in steps of `stepMs`, so two runs sync at different granularities. */
function walkTo(sim: RunningSimulator, ms: number, stepMs: number): void {
  for (let t = sim.nowMs() + stepMs; t < ms; t += stepMs) sim.advanceTo(t);
  sim.advanceTo(ms);
}

describe('determinism: same seed, same market, whatever the speed', () => {
  let slow: RunningSimulator;
  let fast: RunningSimulator;
  let other: RunningSimulator;
  beforeAll(async () => {
    [slow, fast, other] = await Promise.all([
      startManual({ seed: 4242, date: DATE, speed: 60, market: MARKET }),
      startManual({ seed: 4242, date: DATE, speed: 6000, market: MARKET }),
      startManual({ seed: 4243, date: DATE, speed: 60, market: MARKET }),
    ]);
  });
  afterAll(() => Promise.all([slow.close(), fast.close(), other.close()]));

  it('serves byte-identical bars, snapshots, news and screens at the same market instants', async () => {
    const instants = [
      at(DATE, '09:29') + 30_000,
      at(DATE, '10:20') + 12_345,
      at(DATE, '12:31') + 59_000,
      at(DATE, '16:05'),
    ];
    for (const t of instants) {
      walkTo(slow, t, MIN);
      walkTo(fast, t, 17 * MIN + 3_000);
      other.advanceTo(t);
      const [a, b] = await Promise.all([marketText(slow), marketText(fast)]);
      expect(b).toEqual(a);
      const otherBars = await raw(
        other,
        `/v2/stocks/bars?symbols=${SYMBOLS}&timeframe=1Min&start=${DATE}&limit=10000`,
      );
      if (t > at(DATE, '09:30')) expect(otherBars).not.toEqual(a[0]);
    }
    // And the next session follows from the same state.
    slow.advanceToNextSession();
    fast.advanceToNextSession();
    walkTo(slow, at('2026-03-11', '10:00'), 5 * MIN);
    walkTo(fast, at('2026-03-11', '10:00'), 29 * MIN);
    expect(await marketText(fast)).toEqual(await marketText(slow));
  });
});

describe('determinism: fills and P&L', () => {
  const sims: RunningSimulator[] = [];
  afterAll(() => Promise.all(sims.map((s) => s.close())));

  type Step = { at: number; body: Record<string, unknown> } | { at: number; closeAll: true };
  const script: Step[] = [
    {
      at: at(DATE, '09:35') + 5_000,
      body: {
        symbol: 'AAPL',
        qty: '40',
        side: 'buy',
        type: 'market',
        time_in_force: 'day',
        client_order_id: 'd1',
      },
    },
    {
      at: at(DATE, '09:41') + 40_000,
      body: {
        symbol: 'XOM',
        qty: '25',
        side: 'buy',
        type: 'market',
        time_in_force: 'day',
        order_class: 'bracket',
        take_profit: { limit_price: 'TP' },
        stop_loss: { stop_price: 'SL' },
        client_order_id: 'd2',
      },
    },
    {
      at: at(DATE, '10:05') + 1_000,
      body: {
        symbol: 'MSFT',
        qty: '10',
        side: 'buy',
        type: 'market',
        time_in_force: 'day',
        client_order_id: 'd3',
      },
    },
    {
      at: at(DATE, '10:20') + 30_000,
      body: {
        symbol: 'AMD',
        qty: '30',
        side: 'buy',
        type: 'limit',
        limit_price: 'LIMIT',
        time_in_force: 'day',
        client_order_id: 'd4',
      },
    },
    {
      at: at(DATE, '11:58'),
      body: {
        symbol: 'TSLA',
        qty: '5',
        side: 'buy',
        type: 'market',
        time_in_force: 'day',
        client_order_id: 'd5',
      },
    },
    { at: at(DATE, '15:45'), closeAll: true },
  ];

  async function run(sim: RunningSimulator, stepMs: number): Promise<string> {
    for (const step of script) {
      walkTo(sim, step.at, stepMs);
      if ('closeAll' in step) {
        expect((await api(sim, 'DELETE', '/v2/positions?cancel_orders=true')).status).toBe(207);
        continue;
      }
      const body: Json = { ...step.body };
      const last = (await api(sim, 'GET', `/v2/stocks/${body.symbol}/snapshot`)).body.latestTrade.p as number;
      const cents = (x: number) => (Math.round(x * 100) / 100).toFixed(2);
      if (body.limit_price === 'LIMIT') body.limit_price = cents(last * 0.997);
      if (body.take_profit) body.take_profit = { limit_price: cents(last * 1.02) };
      if (body.stop_loss) body.stop_loss = { stop_price: cents(last * 0.985) };
      const res = await api(sim, 'POST', '/v2/orders', body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    walkTo(sim, at(DATE, '16:00'), stepMs);
    const orders = (await api(sim, 'GET', '/v2/orders?status=all&nested=true&direction=asc&limit=500'))
      .body as Json[];
    const fill = (o: Json): unknown[] => [
      o.client_order_id.length > 20 ? 'generated' : o.client_order_id,
      o.symbol,
      o.side,
      o.type,
      o.status,
      o.qty,
      o.filled_qty,
      o.filled_avg_price,
      o.filled_at,
      o.limit_price,
      o.stop_price,
      o.canceled_at,
      o.expired_at,
    ];
    const account = (await api(sim, 'GET', '/v2/account')).body;
    const positions = (await api(sim, 'GET', '/v2/positions')).body;
    return JSON.stringify({
      orders: orders.map((o) => [...fill(o), (o.legs ?? []).map(fill)]),
      pnl: [
        account.cash,
        account.equity,
        account.portfolio_value,
        account.long_market_value,
        account.last_equity,
      ],
      positions,
    });
  }

  it('gives byte-identical fills and P&L at two speeds for the same orders at the same market minutes', async () => {
    const trading = { partialFillRate: 0.5 };
    const slow = await startManual({ seed: 99, date: DATE, speed: 60, market: MARKET, trading });
    const fast = await startManual({ seed: 99, date: DATE, speed: 6000, market: MARKET, trading });
    sims.push(slow, fast);
    const a = await run(slow, MIN);
    const b = await run(fast, 11 * MIN + 7_000);
    expect(b).toBe(a);
    const parsed = JSON.parse(a) as { orders: unknown[][] };
    expect(parsed.orders.filter((o) => o[4] === 'filled').length).toBeGreaterThanOrEqual(4);
    expect(JSON.parse(a).pnl[0]).not.toBe('100000');
  });
});
