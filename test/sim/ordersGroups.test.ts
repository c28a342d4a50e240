import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import {
  MIN,
  bars,
  bid,
  expectLimit,
  expectSellStop,
  getOrder,
  iso,
  lastTrade,
  place,
  price,
} from './ordersKit';
import { api, at, type Json, startManual } from './simKit';

const DATE = '2026-03-10';
const SEED = 17;

describe('order groups: bracket, oco, oto', () => {
  let sim: RunningSimulator;
  let oracle: RunningSimulator;
  beforeAll(async () => {
    sim = await startManual({ seed: SEED, date: DATE });
    oracle = await startManual({ seed: SEED, date: DATE });
  });
  afterAll(async () => {
    await sim.close();
    await oracle.close();
  });

  const nextBoundary = (): number => Math.floor(sim.nowMs() / MIN) * MIN + MIN;

  it('holds an oto exit until its entry fills, then works it alone', async () => {
    sim.advanceTo(at(DATE, '09:50') + 2_000);
    const p = await lastTrade(sim, 'AAPL');
    const placed = await place(sim, {
      symbol: 'AAPL',
      qty: '6',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
      order_class: 'oto',
      stop_loss: { stop_price: price(Math.round(p * 0.9)) },
    });
    expect(placed).toMatchObject({ order_class: 'oto', status: 'new' });
    expect(placed.legs.map((l: Json) => [l.type, l.side, l.status, l.qty])).toEqual([
      ['stop', 'sell', 'held', '6'],
    ]);
    sim.advanceTo(at(DATE, '09:51'));
    const filled = await getOrder(sim, placed.id);
    expect(filled.status).toBe('filled');
    expect(filled.legs[0].status).toBe('new');
    expect((await api(sim, 'GET', '/v2/positions/AAPL')).body.qty_available).toBe('0');
    // A cancelled exit frees the shares; the filled entry stays filled.
    expect((await api(sim, 'DELETE', `/v2/orders/${filled.legs[0].id}`)).status).toBe(204);
    expect((await getOrder(sim, placed.id)).status).toBe('filled');
    expect((await api(sim, 'GET', '/v2/positions/AAPL')).body.qty_available).toBe('6');

    for (const [body, message] of [
      [
        { take_profit: { limit_price: price(p * 2) }, stop_loss: { stop_price: price(p / 2) } },
        /exactly one/,
      ],
      [{}, /exactly one/],
      [{ stop_loss: { stop_price: price(p * 2) } }, /stop_loss.stop_price must be <= base_price/],
    ] as const) {
      const res = await api(sim, 'POST', '/v2/orders', {
        symbol: 'AAPL',
        qty: '1',
        side: 'buy',
        type: 'market',
        time_in_force: 'day',
        order_class: 'oto',
        ...body,
      });
      expect([res.status, res.body.code]).toEqual([422, 40010001]);
      expect(res.body.message).toMatch(message);
    }
  });

  it('closes the position when the take-profit of an oto is reached', async () => {
    sim.advanceTo(at(DATE, '10:00') + 2_000);
    const list = await bars(oracle, 'MSFT', at(DATE, '10:01'), at(DATE, '11:30'));
    const entry = list[0]!.o;
    const tp = Math.max(...list.slice(2, 60).map((b) => bid(b.h)));
    const expected = expectLimit('sell', tp, list)!;
    expect(tp).toBeGreaterThan(entry + 1);
    const placed = await place(sim, {
      symbol: 'MSFT',
      qty: '4',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
      order_class: 'oto',
      take_profit: { limit_price: price(tp) },
    });
    expect(placed.legs.map((l: Json) => [l.type, l.status])).toEqual([['limit', 'held']]);
    sim.advanceTo(expected.t);
    const done = await getOrder(sim, placed.id);
    expect(done.legs[0]).toMatchObject({
      status: 'filled',
      filled_at: iso(expected.t),
      filled_avg_price: price(expected.price),
    });
    expect((await api(sim, 'GET', '/v2/positions/MSFT')).status).toBe(404);
  });

  it('works both oco exits at once: the stop fills, the take-profit is cancelled', async () => {
    await place(sim, { symbol: 'XOM', qty: '12', side: 'buy', type: 'market', time_in_force: 'day' });
    sim.advanceTo(nextBoundary());
    const live = nextBoundary();
    const list = await bars(oracle, 'XOM', live, live + 90 * MIN);
    const stop = Math.min(...list.slice(2, 40).map((b) => b.l));
    const expected = expectSellStop(stop, list)!;
    const placed = await place(sim, {
      symbol: 'XOM',
      qty: '12',
      side: 'sell',
      type: 'limit',
      time_in_force: 'day',
      order_class: 'oco',
      take_profit: { limit_price: price(list[0]!.o * 2) },
      stop_loss: { stop_price: price(stop) },
    });
    expect(placed.legs[0]).toMatchObject({
      type: 'stop',
      side: 'sell',
      status: 'new',
      stop_price: price(stop),
    });
    sim.advanceTo(expected.t);
    const done = await getOrder(sim, placed.id);
    expect(done.legs[0]).toMatchObject({
      status: 'filled',
      filled_at: iso(expected.t),
      filled_avg_price: price(expected.price),
    });
    expect(done).toMatchObject({ status: 'canceled', canceled_at: iso(expected.t), filled_qty: '0' });
    expect((await api(sim, 'GET', '/v2/positions/XOM')).status).toBe(404);
  });

  it('validates oco orders: sell only, within the shares held, take-profit above stop', async () => {
    await place(sim, { symbol: 'KO', qty: '5', side: 'buy', type: 'market', time_in_force: 'day' });
    sim.advanceTo(nextBoundary());
    const oco = {
      symbol: 'KO',
      qty: '5',
      side: 'sell',
      type: 'limit',
      time_in_force: 'gtc',
      order_class: 'oco',
      take_profit: { limit_price: '500.00' },
      stop_loss: { stop_price: '1.00' },
    };
    const cases: Array<[Record<string, unknown>, number, number, RegExp]> = [
      [{ ...oco, side: 'buy' }, 422, 40010001, /short selling is not simulated/],
      [{ ...oco, type: 'market' }, 422, 40010001, /must be limit orders/],
      [{ ...oco, take_profit: { limit_price: '0.50' } }, 422, 40010001, /greater than stop_loss/],
      [{ ...oco, limit_price: '400.00' }, 422, 40010001, /must equal take_profit/],
      [
        { ...oco, qty: '6' },
        403,
        40310000,
        /insufficient qty available for order \(requested: 6, available: 5\)/,
      ],
    ];
    for (const [body, status, code, message] of cases) {
      const res = await api(sim, 'POST', '/v2/orders', body);
      expect([res.status, res.body.code], JSON.stringify(body)).toEqual([status, code]);
      expect(res.body.message).toMatch(message);
    }
    const ok = await place(sim, oco);
    // The two exits hold the five shares once: nothing is left for another sell.
    const another = await api(sim, 'POST', '/v2/orders', {
      ...oco,
      order_class: 'simple',
      qty: '1',
      limit_price: '500.00',
    });
    expect(another.status).toBe(403);
    expect(another.body.message).toBe('insufficient qty available for order (requested: 1, available: 0)');
    expect((await api(sim, 'DELETE', `/v2/orders/${ok.id}`)).status).toBe(204);
    expect((await getOrder(sim, ok.id)).legs[0].status).toBe('canceled');
  });

  it('cancels the whole bracket from any of its orders; a filled order is not cancelable', async () => {
    const p = await lastTrade(sim, 'JNJ');
    const bracket = {
      symbol: 'JNJ',
      qty: '3',
      side: 'buy',
      time_in_force: 'gtc',
      order_class: 'bracket',
      take_profit: { limit_price: price(Math.round(p * 1.2)) },
      stop_loss: { stop_price: price(Math.round(p * 0.8)), limit_price: price(Math.round(p * 0.79)) },
    };
    // Entry still working: cancelling a held leg takes the entry with it.
    const resting = await place(sim, { ...bracket, type: 'limit', limit_price: price(Math.round(p * 0.9)) });
    expect(resting.legs.map((l: Json) => [l.type, l.status])).toEqual([
      ['limit', 'held'],
      ['stop_limit', 'held'],
    ]);
    expect((await api(sim, 'DELETE', `/v2/orders/${resting.legs[1].id}`)).status).toBe(204);
    const gone = await getOrder(sim, resting.id);
    expect([gone.status, ...gone.legs.map((l: Json) => l.status)]).toEqual([
      'canceled',
      'canceled',
      'canceled',
    ]);

    // Entry filled: cancelling the take-profit cancels the stop; the entry stays filled.
    const placed = await place(sim, { ...bracket, type: 'market' });
    sim.advanceTo(nextBoundary());
    const filled = await getOrder(sim, placed.id);
    expect(filled.status).toBe('filled');
    const notCancelable = await api(sim, 'DELETE', `/v2/orders/${placed.id}`);
    expect(notCancelable.status).toBe(422);
    expect(notCancelable.body).toEqual({ code: 42210000, message: 'order is already in "filled" state' });
    expect((await api(sim, 'DELETE', `/v2/orders/${filled.legs[0].id}`)).status).toBe(204);
    const after = await getOrder(sim, placed.id);
    expect([after.status, ...after.legs.map((l: Json) => l.status)]).toEqual([
      'filled',
      'canceled',
      'canceled',
    ]);
    expect((await api(sim, 'DELETE', `/v2/orders/${filled.legs[1].id}`)).status).toBe(422);
    expect((await api(sim, 'DELETE', '/v2/orders/00000000-0000-4000-a000-000000000000')).status).toBe(404);

    const sell = await api(sim, 'POST', '/v2/orders', { ...bracket, type: 'market', side: 'sell' });
    expect([sell.status, sell.body.message]).toEqual([
      422,
      'bracket orders must open with a buy: short selling is not simulated',
    ]);
    await api(sim, 'DELETE', '/v2/positions/JNJ');
  });
});
