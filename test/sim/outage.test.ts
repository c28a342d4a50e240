/**
 * The outage scenario: the broker answers every request with 503 and does nothing for it, while
 * the market, and the orders resting in it, go on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_HEADER } from '../../src/sim/http/httpServer';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { startSimulator } from '../../src/sim/startSimulator';
import { ask, bars, expectLimit, iso, price } from './ordersKit';
import { api, at, type Json, startManual } from './simKit';

const DATE = '2026-03-10';
const SYMBOL = 'MSFT';

/** Requests of every kind: trading, account, market data, news, the clock, and some that fail. */
const PROBES: Array<{ method: string; path: string; body?: unknown; auth?: { keyId: string } }> = [
  { method: 'GET', path: '/v2/clock' },
  { method: 'GET', path: '/v2/account' },
  { method: 'GET', path: '/v2/orders?status=all' },
  { method: 'GET', path: '/v2/positions' },
  { method: 'GET', path: `/v2/stocks/${SYMBOL}/snapshot` },
  { method: 'GET', path: `/v2/stocks/bars?symbols=${SYMBOL}&timeframe=1Min&start=${DATE}` },
  { method: 'GET', path: '/v1beta1/news?limit=5' },
  { method: 'GET', path: '/v1beta1/screener/stocks/movers?top=5' },
  { method: 'GET', path: '/v2/no-such-route' },
  { method: 'GET', path: '/v2/account', auth: { keyId: 'WRONG' } },
];

async function expectOutage(sim: RunningSimulator, method: string, path: string, body?: unknown, auth = {}) {
  const res = await api(sim, method, path, body, auth);
  expect(res.status, `${method} ${path}`).toBe(503);
  expect(res.body).toEqual({ code: 50300000, message: 'service unavailable (simulated outage)' });
  expect(res.headers.get(FAULT_HEADER)).toBe('outage');
  // The request never reached the API behind the gateway, its request limit included.
  expect(res.headers.get('X-Ratelimit-Limit')).toBeNull();
}

describe('scenario: outage', () => {
  let sim: RunningSimulator;
  let oracle: RunningSimulator;
  beforeAll(async () => {
    [sim, oracle] = await Promise.all([
      startManual({ seed: 21, date: DATE, market: { scenario: 'outage@11:00+20m' } }),
      startManual({ seed: 21, date: DATE }),
    ]);
  });
  afterAll(() => Promise.all([sim.close(), oracle.close()]));

  it('answers every request with 503 for the outage, changes nothing for it, and keeps the market going', async () => {
    // Before: the broker works. A limit buy rests, priced to fill at the lowest ask the outage
    // will see (read from a simulator of the same seed without the outage).
    sim.advanceTo(at(DATE, '10:59') + 30_000);
    const ahead = await bars(oracle, SYMBOL, at(DATE, '11:00'), at(DATE, '11:18'));
    expect(ahead).toHaveLength(19);
    const limit = Math.min(...ahead.map((b) => ask(b.l)));
    const expected = expectLimit('buy', limit, ahead)!;
    expect(expected.t).toBeGreaterThanOrEqual(at(DATE, '11:00'));
    expect(expected.t).toBeLessThan(at(DATE, '11:20'));
    for (const p of PROBES.slice(0, 8)) expect((await api(sim, p.method, p.path)).status, p.path).toBe(200);
    const resting = await api(sim, 'POST', '/v2/orders', {
      symbol: SYMBOL,
      qty: '10',
      side: 'buy',
      type: 'limit',
      limit_price: price(limit),
      time_in_force: 'day',
      client_order_id: 'resting-before-outage',
    });
    expect(resting.status).toBe(200);
    expect(resting.body.status).toBe('new');
    const cashBefore = (await api(sim, 'GET', '/v2/account')).body.cash;

    // During: everything is 503, from the first millisecond to the last.
    for (const t of [at(DATE, '11:00'), at(DATE, '11:07') + 12_345, at(DATE, '11:20') - 1]) {
      sim.advanceTo(t);
      for (const p of PROBES) await expectOutage(sim, p.method, p.path, p.body, p.auth);
      await expectOutage(sim, 'POST', '/v2/orders', {
        symbol: SYMBOL,
        qty: '1',
        side: 'buy',
        type: 'market',
        time_in_force: 'day',
        client_order_id: `placed-in-outage-${t}`,
      });
      await expectOutage(sim, 'DELETE', `/v2/orders/${resting.body.id}`);
      await expectOutage(sim, 'DELETE', '/v2/orders');
      await expectOutage(sim, 'DELETE', '/v2/positions');
      await expectOutage(sim, 'PATCH', `/v2/orders/${resting.body.id}`, { qty: '2' });
    }

    // After: service is back, nothing asked for during the outage happened, and the resting
    // order filled on market time while nobody could ask.
    sim.advanceTo(at(DATE, '11:20'));
    for (const p of PROBES.slice(0, 8)) expect((await api(sim, p.method, p.path)).status, p.path).toBe(200);
    const orders: Json[] = (await api(sim, 'GET', '/v2/orders?status=all&limit=500')).body;
    expect(orders.map((o) => o.client_order_id)).toEqual(['resting-before-outage']);
    const lookup = await api(
      sim,
      'GET',
      '/v2/orders:by_client_order_id?client_order_id=placed-in-outage-' + at(DATE, '11:00'),
    );
    expect(lookup.status).toBe(404);
    const filled = orders[0];
    expect(filled.status).toBe('filled');
    expect(filled.qty).toBe('10');
    expect(filled.filled_at).toBe(iso(expected.t));
    expect(filled.filled_avg_price).toBe(price(expected.price));
    expect(filled.updated_at).toBe(filled.filled_at);
    const account = (await api(sim, 'GET', '/v2/account')).body;
    expect(Number(cashBefore) - Number(account.cash)).toBeCloseTo((expected.price / 100) * 10, 6);
    const positions: Json[] = (await api(sim, 'GET', '/v2/positions')).body;
    expect(positions.map((p) => [p.symbol, p.qty])).toEqual([[SYMBOL, '10']]);
  });

  it('leaves the market the same as without the outage', async () => {
    sim.advanceTo(at(DATE, '12:00'));
    oracle.advanceTo(at(DATE, '12:00'));
    const q = `/v2/stocks/bars?symbols=AAPL,${SYMBOL}&timeframe=1Min&start=${iso(at(DATE, '10:50'))}&end=${iso(at(DATE, '11:40'))}`;
    const [withOutage, without] = await Promise.all([api(sim, 'GET', q), api(oracle, 'GET', q)]);
    expect(withOutage.body.bars[SYMBOL]).toHaveLength(51);
    expect(withOutage.body).toEqual(without.body);
  });
});

describe('scenario: outage on a running clock', () => {
  it('follows the market clock: service stops and resumes on market time, and resting orders fill meanwhile', async () => {
    // At speed 60 the 09:31–09:32 outage is the second wall-clock second of the run.
    const sim = await startSimulator({
      seed: 22,
      speed: 60,
      date: DATE,
      preOpenMinutes: 0,
      market: { scenario: 'outage@09:31+1m' },
    });
    try {
      const order = await api(sim, 'POST', '/v2/orders', {
        symbol: SYMBOL,
        qty: '3',
        side: 'buy',
        type: 'market',
        time_in_force: 'day',
      });
      expect(order.status).toBe(200);
      const seen: Array<{ status: number; before: number; after: number }> = [];
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const before = sim.nowMs();
        const res = await api(sim, 'GET', '/v2/clock');
        seen.push({ status: res.status, before, after: sim.nowMs() });
        if (res.status === 200 && before >= at(DATE, '09:32')) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      const statuses = seen.map((s) => s.status);
      expect(statuses).toContain(503);
      expect(statuses.at(-1)).toBe(200);
      // 503 exactly while the market clock was inside the outage (give or take the request's own time).
      for (const s of seen) {
        if (s.after < at(DATE, '09:31') || s.before >= at(DATE, '09:32')) expect(s.status).toBe(200);
        if (s.before >= at(DATE, '09:31') && s.after < at(DATE, '09:32')) expect(s.status).toBe(503);
      }
      // 200, then 503, then 200 again: one outage, no flapping.
      expect(
        statuses
          .join('')
          .replace(/(200)+/g, 'A')
          .replace(/(503)+/g, 'B'),
      ).toBe('ABA');
      const filled = (await api(sim, 'GET', `/v2/orders/${order.body.id}`)).body;
      expect(filled.status).toBe('filled');
      // Submitted in 09:30, it fills at 09:31: the first boundary of the outage.
      expect(filled.filled_at).toBe(iso(at(DATE, '09:31')));
    } finally {
      await sim.close();
    }
  });
});
