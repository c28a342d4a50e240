import { afterAll, describe, expect, it } from 'vitest';
import { formatMicros } from '../../src/domain/money';
import { spreadAround } from '../../src/sim/market/marketView';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { startSimulator } from '../../src/sim/startSimulator';
import { api, at, type Json, startManual } from './simKit';

const DATE = '2026-03-10';
const MIN = 60_000;

type Step = { at: number; order: Record<string, unknown> } | { at: number; cancel: string };

const script = (): Step[] => [
  {
    at: at(DATE, '09:45') + 10_000,
    order: {
      symbol: 'AAPL',
      qty: '10',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
      order_class: 'bracket',
      take_profit: { limit_price: '999.00' },
      stop_loss: { stop_price: '1.00' },
      client_order_id: 's1',
    },
  },
  {
    at: at(DATE, '09:45') + 50_000,
    order: {
      symbol: 'XOM',
      qty: '20',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
      client_order_id: 's2',
    },
  },
  {
    at: at(DATE, '09:52') + 1_000,
    order: {
      symbol: 'MSFT',
      qty: '3',
      side: 'buy',
      type: 'limit',
      limit_price: 'LIMIT',
      time_in_force: 'day',
      client_order_id: 's3',
    },
  },
  {
    at: at(DATE, '10:05') + 30_000,
    order: {
      symbol: 'XOM',
      qty: '20',
      side: 'sell',
      type: 'stop',
      stop_price: 'STOP',
      time_in_force: 'gtc',
      client_order_id: 's4',
    },
  },
  { at: at(DATE, '11:00') + 59_000, cancel: 's1' },
];

async function run(sim: RunningSimulator, stepMs: number): Promise<unknown> {
  for (const step of script()) {
    // The two runs sync at different granularities before reaching the same market instant.
    for (let t = sim.nowMs() + stepMs; t < step.at; t += stepMs) sim.advanceTo(t);
    sim.advanceTo(step.at);
    if ('order' in step) {
      const body = { ...step.order };
      const last = (await api(sim, 'GET', `/v2/stocks/${body.symbol}/snapshot`)).body.latestTrade.p as number;
      if (body.limit_price === 'LIMIT') body.limit_price = (Math.floor(last * 0.999 * 100) / 100).toFixed(2);
      if (body.stop_price === 'STOP') body.stop_price = (Math.floor(last * 0.998 * 100) / 100).toFixed(2);
      const res = await api(sim, 'POST', '/v2/orders', body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    } else {
      const order = (await api(sim, 'GET', `/v2/orders:by_client_order_id?client_order_id=${step.cancel}`))
        .body;
      for (const leg of order.legs ?? [])
        if (leg.status === 'new') await api(sim, 'DELETE', `/v2/orders/${leg.id}`);
    }
  }
  sim.advanceTo(at(DATE, '16:00'));
  const orders = (await api(sim, 'GET', '/v2/orders?status=all&nested=true&direction=asc&limit=500'))
    .body as Json[];
  const summary = (o: Json) => [
    o.symbol,
    o.side,
    o.type,
    o.status,
    o.filled_at,
    o.filled_avg_price,
    o.canceled_at,
    o.expired_at,
    o.limit_price,
    o.stop_price,
  ];
  const account = (await api(sim, 'GET', '/v2/account')).body;
  return {
    orders: orders.map((o) => [o.client_order_id, ...summary(o), (o.legs ?? []).map(summary)]),
    cash: account.cash,
    equity: account.equity,
  };
}

describe('speed independence', () => {
  const sims: RunningSimulator[] = [];
  afterAll(() => Promise.all(sims.map((s) => s.close())));

  it('gives identical fills at different speeds and sync granularities for the same orders at the same market minutes', async () => {
    const slow = await startManual({ seed: 2024, date: DATE, speed: 600 });
    const fast = await startManual({ seed: 2024, date: DATE, speed: 3000 });
    sims.push(slow, fast);
    const [a, b] = [await run(slow, MIN), await run(fast, 7 * MIN + 13_000)];
    expect(b).toEqual(a);
    const orders = (a as { orders: Json[] }).orders;
    expect(orders.filter((o) => o[4] === 'filled').length).toBeGreaterThanOrEqual(2);
  });

  it('on a running clock, a market order fills at the open of the minute after it was submitted', async () => {
    // Ten market minutes before the open (200 ms of wall time) leave room for a loaded machine.
    const sim = await startSimulator({ seed: 77, speed: 3000, date: DATE, preOpenMinutes: 10 });
    sims.push(sim);
    const waitUntil = async (ms: number) => {
      while (sim.nowMs() < ms) await new Promise((r) => setTimeout(r, 5));
    };
    const pre = await api(sim, 'POST', '/v2/orders', {
      symbol: 'AAPL',
      qty: '1',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
    });
    expect(pre.body.status).toBe('accepted');
    await waitUntil(at(DATE, '09:35'));
    const during = await api(sim, 'POST', '/v2/orders', {
      symbol: 'MSFT',
      qty: '1',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
    });
    const submitted = Date.parse(during.body.submitted_at);
    const expectedFill = Math.floor(submitted / MIN) * MIN + MIN;
    await waitUntil(expectedFill + 2 * MIN);
    const first = (await api(sim, 'GET', `/v2/orders/${pre.body.id}`)).body;
    expect(first.status).toBe('filled');
    expect(first.filled_at).toBe(new Date(at(DATE, '09:30')).toISOString());
    const second = (await api(sim, 'GET', `/v2/orders/${during.body.id}`)).body;
    expect(second.status).toBe('filled');
    expect(second.filled_at).toBe(new Date(expectedFill).toISOString());
    const bar = (
      await api(
        sim,
        'GET',
        `/v2/stocks/bars?symbols=MSFT&timeframe=1Min&start=${second.filled_at}&end=${second.filled_at}`,
      )
    ).body.bars.MSFT[0];
    expect(second.filled_avg_price).toBe(
      formatMicros(BigInt(spreadAround(Math.round(bar.o * 100)).ask) * 10_000n),
    );
  });
});
