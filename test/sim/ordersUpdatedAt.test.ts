/**
 * `updated_at` is the market time of an order's last change — acceptance at the open, fill,
 * cancel, replace, expiry, leg activation, a trailing stop's new mark — so a client can tell
 * from it alone whether it has seen an order's latest state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { MIN, getOrder, iso, lastTrade, place, price } from './ordersKit';
import { api, at, type Json, startManual } from './simKit';

const DATE = '2026-03-10';
const T = (hhmm: string, plusMs = 0): number => at(DATE, hhmm) + plusMs;

describe('updated_at on each kind of change', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startManual({ seed: 12, date: DATE });
  });
  afterAll(() => sim.close());

  it('moves on acceptance at the open, fill, cancel, replace and expiry, in market time', async () => {
    // Before the open: accepted, then new at 09:30.
    const early = await place(sim, {
      symbol: 'AAPL',
      qty: '1',
      side: 'buy',
      type: 'limit',
      limit_price: '1.00',
      time_in_force: 'day',
    });
    expect(early.status).toBe('accepted');
    expect(early.updated_at).toBe(early.submitted_at);
    expect(early.updated_at).toBe(iso(sim.nowMs()));
    sim.advanceTo(T('09:30', 1_000));
    let o = await getOrder(sim, early.id);
    expect(o.status).toBe('new');
    expect(o.updated_at).toBe(iso(T('09:30')));

    // Fill.
    sim.advanceTo(T('09:35', 10_000));
    const market = await place(sim, {
      symbol: 'F',
      qty: '5',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
    });
    expect(market.updated_at).toBe(iso(T('09:35', 10_000)));
    sim.advanceTo(T('09:36', 30_000));
    o = await getOrder(sim, market.id);
    expect(o.status).toBe('filled');
    expect(o.filled_at).toBe(iso(T('09:36')));
    expect(o.updated_at).toBe(o.filled_at);

    // Cancel: the market time of the request, not the wall clock's.
    sim.advanceTo(T('09:40', 20_000));
    expect((await api(sim, 'DELETE', `/v2/orders/${early.id}`)).status).toBe(204);
    o = await getOrder(sim, early.id);
    expect(o.status).toBe('canceled');
    expect(o.canceled_at).toBe(iso(T('09:40', 20_000)));
    expect(o.updated_at).toBe(o.canceled_at);

    // Replace: the old order ends, the new one starts, both at the request's time.
    const resting = await place(sim, {
      symbol: 'AAPL',
      qty: '2',
      side: 'buy',
      type: 'limit',
      limit_price: '1.00',
      time_in_force: 'day',
    });
    sim.advanceTo(T('09:42', 5_000));
    const replaced = await api(sim, 'PATCH', `/v2/orders/${resting.id}`, { limit_price: '1.01' });
    expect(replaced.status).toBe(200);
    o = await getOrder(sim, resting.id);
    expect(o.status).toBe('replaced');
    expect(o.replaced_at).toBe(iso(T('09:42', 5_000)));
    expect(o.updated_at).toBe(o.replaced_at);
    expect(replaced.body.created_at).toBe(iso(T('09:42', 5_000)));
    expect(replaced.body.updated_at).toBe(replaced.body.created_at);

    // Expiry at the close.
    sim.advanceTo(T('16:00', 1_000));
    o = await getOrder(sim, replaced.body.id);
    expect(o.status).toBe('expired');
    expect(o.expired_at).toBe(iso(T('16:00')));
    expect(o.updated_at).toBe(o.expired_at);
  });
});

describe('updated_at of bracket legs', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startManual({ seed: 13, date: DATE });
  });
  afterAll(() => sim.close());

  it('moves when a leg is released by its entry, cancelled with its group or resized by a replace', async () => {
    sim.advanceTo(T('09:50', 7_000));
    const last = await lastTrade(sim, 'F');
    const bracket = await place(sim, {
      symbol: 'F',
      qty: '10',
      side: 'buy',
      type: 'market',
      time_in_force: 'gtc',
      order_class: 'bracket',
      take_profit: { limit_price: price(Math.round(last * 1.2)) },
      stop_loss: { stop_price: price(Math.round(last * 0.8)) },
    });
    for (const leg of bracket.legs) {
      expect(leg.status).toBe('held');
      expect(leg.updated_at).toBe(iso(T('09:50', 7_000)));
    }
    sim.advanceTo(T('09:51', 30_000));
    let parent = await getOrder(sim, bracket.id);
    expect(parent.status).toBe('filled');
    expect(parent.updated_at).toBe(iso(T('09:51')));
    for (const leg of parent.legs) {
      expect(leg.status).toBe('new');
      expect(leg.updated_at).toBe(iso(T('09:51')));
    }

    sim.advanceTo(T('09:55', 3_000));
    expect((await api(sim, 'DELETE', `/v2/orders/${bracket.legs[0].id}`)).status).toBe(204);
    parent = await getOrder(sim, bracket.id);
    expect(parent.updated_at).toBe(iso(T('09:51')));
    for (const leg of parent.legs) {
      expect(leg.status).toBe('canceled');
      expect(leg.updated_at).toBe(iso(T('09:55', 3_000)));
    }

    // A resting entry's held legs follow its new quantity when it is replaced.
    const entry = await place(sim, {
      symbol: 'F',
      qty: '4',
      side: 'buy',
      type: 'limit',
      limit_price: '1.00',
      time_in_force: 'gtc',
      order_class: 'bracket',
      take_profit: { limit_price: '3.00' },
      stop_loss: { stop_price: '0.50' },
    });
    sim.advanceTo(T('10:01', 9_000));
    const next = await api(sim, 'PATCH', `/v2/orders/${entry.id}`, { qty: '6' });
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    expect(next.body.legs).toHaveLength(2);
    for (const leg of next.body.legs) {
      expect(leg.qty).toBe('6');
      expect(leg.status).toBe('held');
      expect(leg.updated_at).toBe(iso(T('10:01', 9_000)));
    }
  });
});

describe('updated_at over a trading day', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startManual({ seed: 14, date: DATE, trading: { partialFillRate: 0.3 } });
  });
  afterAll(() => sim.close());

  /** Every order, without updated_at, by id. */
  async function snapshot(): Promise<Map<string, { state: string; updatedAt: number }>> {
    const list: Json[] = (await api(sim, 'GET', '/v2/orders?status=all&limit=500')).body;
    return new Map(
      list.map((o) => {
        const { updated_at: updatedAt, ...rest } = o;
        return [o.id, { state: JSON.stringify(rest), updatedAt: Date.parse(updatedAt) }];
      }),
    );
  }

  it('moves whenever anything else about an order changes, never back and never ahead of the clock', async () => {
    const cents = (x: number): string => price(Math.round(x));
    sim.advanceTo(T('09:31', 10_000));
    await place(sim, { symbol: 'F', qty: '100', side: 'buy', type: 'market', time_in_force: 'day' });
    await place(sim, { symbol: 'AAPL', qty: '50', side: 'buy', type: 'market', time_in_force: 'day' });
    sim.advanceTo(T('09:34', 10_000));
    const f = await lastTrade(sim, 'F');
    const aapl = await lastTrade(sim, 'AAPL');
    const msft = await lastTrade(sim, 'MSFT');
    const orders = [
      {
        symbol: 'F',
        qty: '30',
        side: 'sell',
        type: 'trailing_stop',
        trail_percent: '0.3',
        time_in_force: 'gtc',
      },
      {
        symbol: 'F',
        qty: '20',
        side: 'sell',
        type: 'trailing_stop',
        trail_price: '0.02',
        time_in_force: 'day',
      },
      {
        symbol: 'AAPL',
        qty: '20',
        side: 'sell',
        type: 'stop_limit',
        stop_price: cents(aapl * 0.997),
        limit_price: cents(aapl * 0.993),
        time_in_force: 'day',
      },
      {
        symbol: 'AAPL',
        qty: '10',
        side: 'sell',
        type: 'limit',
        limit_price: cents(aapl * 1.003),
        time_in_force: 'day',
      },
      {
        symbol: 'MSFT',
        qty: '8',
        side: 'buy',
        type: 'market',
        time_in_force: 'gtc',
        order_class: 'bracket',
        take_profit: { limit_price: cents(msft * 1.004) },
        stop_loss: { stop_price: cents(msft * 0.996) },
      },
      {
        symbol: 'MSFT',
        qty: '10',
        side: 'buy',
        type: 'limit',
        limit_price: cents(msft * 0.998),
        time_in_force: 'day',
      },
      {
        symbol: 'MSFT',
        qty: '5',
        side: 'buy',
        type: 'trailing_stop',
        trail_percent: '0.4',
        time_in_force: 'day',
      },
      {
        symbol: 'F',
        qty: '7',
        side: 'buy',
        type: 'stop',
        stop_price: cents(f * 1.004),
        time_in_force: 'day',
      },
    ];
    for (const body of orders) await place(sim, body);

    let before = await snapshot();
    let beforeNow = sim.nowMs();
    let changes = 0;
    for (let t = T('09:35', 30_000); t <= T('16:00', 30_000); t += MIN) {
      sim.advanceTo(t);
      const now = await snapshot();
      for (const [id, cur] of now) {
        expect(cur.updatedAt, id).toBeLessThanOrEqual(t);
        const prev = before.get(id);
        if (!prev) continue;
        if (cur.state !== prev.state) {
          changes += 1;
          expect(cur.updatedAt, `${id} changed before ${iso(t)}`).toBeGreaterThan(beforeNow);
        } else {
          // Some changes show in no other field (a stop-limit's trigger), so no "exactly".
          expect(cur.updatedAt, id).toBeGreaterThanOrEqual(prev.updatedAt);
        }
      }
      before = now;
      beforeNow = t;
    }
    // Marks moving, stops triggering, fills, legs released, expiries: plenty to check.
    expect(changes).toBeGreaterThan(20);
    const trailing = [...before.values()].filter((o) => JSON.parse(o.state).type === 'trailing_stop');
    expect(trailing).toHaveLength(2 + 1);
  });
});
