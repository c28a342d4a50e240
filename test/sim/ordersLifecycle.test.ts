import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMicros, toMicros } from '../../src/domain/money';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { MIN, ask, bars, getOrder, iso, lastTrade, place, price } from './ordersKit';
import { api, at, fillNotional, type Json, startManual } from './simKit';

const DATE = '2026-03-10';
const NEXT = '2026-03-11';

describe('order lifecycle: expiry, replace, positions, account', () => {
  let sim: RunningSimulator;
  let oracle: RunningSimulator;
  beforeAll(async () => {
    sim = await startManual({ seed: 23, date: DATE });
    oracle = await startManual({ seed: 23, date: DATE });
  });
  afterAll(async () => {
    await sim.close();
    await oracle.close();
  });

  const nextBoundary = (): number => Math.floor(sim.nowMs() / MIN) * MIN + MIN;
  const account = async (): Promise<Json> => (await api(sim, 'GET', '/v2/account')).body;

  it('replaces an open order: the old one ends replaced, the new one links back and trades', async () => {
    sim.advanceTo(at(DATE, '10:00') + 3_000);
    const p = await lastTrade(sim, 'AAPL');
    const original = await place(sim, {
      symbol: 'AAPL',
      qty: '10',
      side: 'buy',
      type: 'limit',
      limit_price: price(Math.round(p * 0.5)),
      time_in_force: 'day',
      client_order_id: 'replace-me',
    });
    const bp0 = toMicros((await account()).buying_power);

    const list = await bars(oracle, 'AAPL', at(DATE, '10:01'), at(DATE, '10:02'));
    const limit = ask(list[0]!.o) + 20;
    const res = await api(sim, 'PATCH', `/v2/orders/${original.id}`, {
      qty: '7',
      limit_price: price(limit),
      client_order_id: 'replaced-1',
    });
    expect(res.status).toBe(200);
    const next = res.body;
    expect(next).toMatchObject({
      client_order_id: 'replaced-1',
      replaces: original.id,
      qty: '7',
      limit_price: price(limit),
      status: 'new',
      type: 'limit',
      time_in_force: 'day',
    });
    expect(next.id).not.toBe(original.id);
    const old = await getOrder(sim, original.id);
    expect(old).toMatchObject({ status: 'replaced', replaced_by: next.id, replaced_at: iso(sim.nowMs()) });
    // The reservation moved from the old order to the new one.
    const bp1 = toMicros((await account()).buying_power);
    expect(bp1 - bp0).toBe(toMicros(price(Math.round(p * 0.5))) * 10n - toMicros(price(limit)) * 7n);

    expect((await api(sim, 'DELETE', `/v2/orders/${original.id}`)).status).toBe(422);
    const again = await api(sim, 'PATCH', `/v2/orders/${original.id}`, { qty: '3' });
    expect([again.status, again.body.code]).toEqual([422, 42210000]);
    const nothing = await api(sim, 'PATCH', `/v2/orders/${next.id}`, {});
    expect([nothing.status, nothing.body.code]).toEqual([422, 40010001]);
    const wrongField = await api(sim, 'PATCH', `/v2/orders/${next.id}`, { stop_price: '1.00' });
    expect(wrongField.body.message).toMatch(/stop_price can only be replaced on stop and stop_limit/);
    const tooBig = await api(sim, 'PATCH', `/v2/orders/${next.id}`, { qty: '100000' });
    expect([tooBig.status, tooBig.body.code]).toEqual([403, 40310000]);
    const dupCid = await api(sim, 'PATCH', `/v2/orders/${next.id}`, {
      qty: '6',
      client_order_id: 'replace-me',
    });
    expect(dupCid.body).toEqual({ code: 40010001, message: 'client_order_id must be unique' });
    expect(
      (await api(sim, 'PATCH', '/v2/orders/00000000-0000-4000-a000-000000000000', { qty: '1' })).status,
    ).toBe(404);

    sim.advanceTo(at(DATE, '10:01'));
    expect(await getOrder(sim, next.id)).toMatchObject({
      status: 'filled',
      filled_qty: '7',
      filled_avg_price: price(ask(list[0]!.o)),
    });
    const cannot = await api(sim, 'PATCH', `/v2/orders/${next.id}`, { qty: '3' });
    expect(cannot.body).toEqual({ code: 42210000, message: 'order is already in "filled" state' });
  });

  it('replaces a bracket leg in place: the group keeps working with the new leg', async () => {
    const p = await lastTrade(sim, 'AAPL');
    const placed = await place(sim, {
      symbol: 'AAPL',
      qty: '2',
      side: 'buy',
      type: 'market',
      time_in_force: 'gtc',
      order_class: 'bracket',
      take_profit: { limit_price: price(Math.round(p * 1.5)) },
      stop_loss: { stop_price: price(Math.round(p * 0.5)) },
    });
    const [, stopLeg] = placed.legs;
    const qtyOnLeg = await api(sim, 'PATCH', `/v2/orders/${stopLeg.id}`, { qty: '1' });
    expect(qtyOnLeg.body.message).toMatch(/qty of an exit order/);
    const moved = await api(sim, 'PATCH', `/v2/orders/${stopLeg.id}`, {
      stop_price: price(Math.round(p * 0.6)),
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ status: 'held', order_class: 'bracket', replaces: stopLeg.id });
    sim.advanceTo(nextBoundary());
    const parent = await getOrder(sim, placed.id);
    expect(parent.status).toBe('filled');
    expect(parent.legs.map((l: Json) => [l.id, l.status, l.stop_price])).toEqual([
      [placed.legs[0].id, 'new', null],
      [moved.body.id, 'new', price(Math.round(p * 0.6))],
    ]);
    // Still one-cancels-other through the new leg.
    expect((await api(sim, 'DELETE', `/v2/orders/${moved.body.id}`)).status).toBe(204);
    expect((await getOrder(sim, placed.legs[0].id)).status).toBe('canceled');
  });

  it('refuses sells beyond the shares not already promised to open sells (no shorting)', async () => {
    const held = Number((await api(sim, 'GET', '/v2/positions/AAPL')).body.qty);
    await place(sim, {
      symbol: 'AAPL',
      qty: '6',
      side: 'sell',
      type: 'limit',
      limit_price: '9999.00',
      time_in_force: 'gtc',
    });
    const res = await api(sim, 'POST', '/v2/orders', {
      symbol: 'AAPL',
      qty: String(held),
      side: 'sell',
      type: 'market',
      time_in_force: 'day',
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      code: 40310000,
      message: `insufficient qty available for order (requested: ${held}, available: ${held - 6})`,
      held_for_orders: '6',
    });
    const flat = await api(sim, 'POST', '/v2/orders', {
      symbol: 'TSLA',
      qty: '1',
      side: 'sell',
      type: 'market',
      time_in_force: 'day',
    });
    expect(flat.body.message).toBe('insufficient qty available for order (requested: 1, available: 0)');
  });

  it('refuses buys beyond cash less what open buys reserve', async () => {
    const before = await account();
    const p = await lastTrade(sim, 'MSFT');
    const qty = Math.floor(Number(before.buying_power) / (p / 100) / 2);
    const limitPrice = price(p - 10);
    await place(sim, {
      symbol: 'MSFT',
      qty: String(qty),
      side: 'buy',
      type: 'limit',
      limit_price: limitPrice,
      time_in_force: 'day',
    });
    const after = await account();
    expect(toMicros(before.buying_power) - toMicros(after.buying_power)).toBe(
      toMicros(limitPrice) * BigInt(qty),
    );
    expect(after.regt_buying_power).toBe(after.buying_power);
    const res = await api(sim, 'POST', '/v2/orders', {
      symbol: 'MSFT',
      qty: String(qty + 5),
      side: 'buy',
      type: 'limit',
      limit_price: limitPrice,
      time_in_force: 'day',
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      code: 40310000,
      message: 'insufficient buying power',
      buying_power: after.buying_power,
    });
    // Cash alone would have covered it: the reservation is what refused it.
    expect(toMicros(limitPrice) * BigInt(qty + 5)).toBeLessThan(toMicros(after.cash));
  });

  it('expires day orders at the close and carries gtc orders to the next session', async () => {
    const p = await lastTrade(sim, 'KO');
    const far = price(Math.round(p * 0.7));
    const day = await place(sim, {
      symbol: 'KO',
      qty: '3',
      side: 'buy',
      type: 'limit',
      limit_price: far,
      time_in_force: 'day',
    });
    const gtc = await place(sim, {
      symbol: 'KO',
      qty: '3',
      side: 'buy',
      type: 'limit',
      limit_price: far,
      time_in_force: 'gtc',
    });
    sim.advanceTo(at(DATE, '16:00') - 1);
    expect((await getOrder(sim, day.id)).status).toBe('new');
    sim.advanceTo(at(DATE, '16:00'));
    expect(await getOrder(sim, day.id)).toMatchObject({
      status: 'expired',
      expired_at: iso(at(DATE, '16:00')),
    });
    expect((await getOrder(sim, gtc.id)).status).toBe('new');
    // The bracket's gtc exits and the position carry over too.
    sim.advanceToNextSession();
    expect(sim.sessionDate()).toBe(NEXT);
    expect((await getOrder(sim, gtc.id)).status).toBe('new');
    const openIds = (await api(sim, 'GET', '/v2/orders?status=open')).body.map((o: Json) => o.id);
    expect(openIds).toContain(gtc.id);
    expect(openIds).not.toContain(day.id);
    expect((await api(sim, 'DELETE', `/v2/orders/${day.id}`)).body).toEqual({
      code: 42210000,
      message: 'order is already in "expired" state',
    });
    await api(sim, 'DELETE', `/v2/orders/${gtc.id}`);
  });

  it('closes positions in part by qty or percentage, refuses when flat, and closes all with 207', async () => {
    sim.advanceTo(at(NEXT, '10:00') + 1_000);
    for (const symbol of ['XOM', 'JNJ'])
      await place(sim, { symbol, qty: '40', side: 'buy', type: 'market', time_in_force: 'day' });
    sim.advanceTo(at(NEXT, '10:01'));
    const asset = (await api(sim, 'GET', '/v2/assets/XOM')).body;
    expect((await api(sim, 'GET', `/v2/positions/${asset.id}`)).body).toMatchObject({
      symbol: 'XOM',
      qty: '40',
    });

    const byQty = await api(sim, 'DELETE', '/v2/positions/XOM?qty=15');
    expect(byQty.body).toMatchObject({ symbol: 'XOM', qty: '15', side: 'sell', type: 'market' });
    const byPct = await api(sim, 'DELETE', '/v2/positions/jnj?percentage=37.5');
    expect(byPct.body).toMatchObject({ symbol: 'JNJ', qty: '15' });
    const both = await api(sim, 'DELETE', '/v2/positions/XOM?qty=1&percentage=10');
    expect([both.status, both.body.code]).toEqual([422, 40010001]);
    // The pending close holds its shares: another full close is refused.
    const over = await api(sim, 'DELETE', '/v2/positions/XOM');
    expect(over.body.message).toBe('insufficient qty available for order (requested: 40, available: 25)');
    sim.advanceTo(at(NEXT, '10:02'));
    expect((await api(sim, 'GET', '/v2/positions/XOM')).body.qty).toBe('25');
    expect((await api(sim, 'GET', '/v2/positions/JNJ')).body.qty).toBe('25');

    const held: Json[] = (await api(sim, 'GET', '/v2/positions')).body;
    expect(held.map((q) => q.symbol)).toEqual(expect.arrayContaining(['XOM', 'JNJ']));
    const all = await api(sim, 'DELETE', '/v2/positions?cancel_orders=true');
    expect(all.status).toBe(207);
    expect(all.body.map((r: Json) => [r.symbol, r.status, r.body.qty])).toEqual(
      held.map((q) => [q.symbol, 200, q.qty]),
    );
    sim.advanceTo(at(NEXT, '10:03'));
    expect((await api(sim, 'GET', '/v2/positions')).body).toEqual([]);
    const missing = await api(sim, 'GET', '/v2/positions/XOM');
    expect([missing.status, missing.body.code]).toEqual([404, 40410000]);
    expect((await api(sim, 'DELETE', '/v2/positions/XOM')).status).toBe(404);
  });

  it('keeps the account consistent to the micro: equity, market value, buying power, cash from fills', async () => {
    const start = await account();
    expect(start.equity).toBe(start.cash);
    await place(sim, { symbol: 'AAPL', qty: '9', side: 'buy', type: 'market', time_in_force: 'day' });
    await place(sim, { symbol: 'PG', qty: '11', side: 'buy', type: 'market', time_in_force: 'day' });
    const p = await lastTrade(sim, 'KO');
    await place(sim, {
      symbol: 'KO',
      qty: '5',
      side: 'buy',
      type: 'limit',
      limit_price: price(Math.round(p * 0.8)),
      time_in_force: 'day',
    });
    sim.advanceTo(at(NEXT, '10:30') + 17_000);

    const a = await account();
    const positions: Json[] = (await api(sim, 'GET', '/v2/positions')).body;
    const longValue = positions.reduce((sum, q) => sum + toMicros(q.market_value), 0n);
    expect(a.long_market_value).toBe(formatMicros(longValue));
    expect(toMicros(a.equity)).toBe(toMicros(a.cash) + longValue);
    expect(a.portfolio_value).toBe(a.equity);
    const reserved = toMicros(price(Math.round(p * 0.8))) * 5n;
    expect(toMicros(a.buying_power)).toBe(toMicros(a.cash) - reserved);
    expect(a).toMatchObject({
      regt_buying_power: a.buying_power,
      daytrading_buying_power: '0',
      // XOM and JNJ were bought and sold (twice each) this session: buy, sell, sell counts once.
      daytrade_count: 2,
      pattern_day_trader: false,
      multiplier: '1',
    });
    const orders: Json[] = (
      await api(sim, 'GET', `/v2/orders?status=all&after=${iso(at(NEXT, '10:03') - 1)}`)
    ).body;
    const spent = orders.filter((o) => o.side === 'buy').reduce((sum, o) => sum + fillNotional(o), 0n);
    expect(toMicros(start.cash) - toMicros(a.cash)).toBe(spent);
  });
});

describe('pattern day trading protection', () => {
  async function dayTrade(sim: RunningSimulator, n: number): Promise<Json> {
    await place(sim, {
      symbol: 'F',
      qty: '2',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
      client_order_id: `dt-b-${n}`,
    });
    sim.advanceTo(Math.floor(sim.nowMs() / MIN) * MIN + MIN + 1_000);
    const res = await api(sim, 'POST', '/v2/orders', {
      symbol: 'F',
      qty: '2',
      side: 'sell',
      type: 'market',
      time_in_force: 'day',
      client_order_id: `dt-s-${n}`,
    });
    sim.advanceTo(Math.floor(sim.nowMs() / MIN) * MIN + MIN + 1_000);
    return res;
  }

  it('refuses the fourth day trade in five sessions under $25,000, and only then', async () => {
    const small = await startManual({
      seed: 3,
      date: DATE,
      initialCash: '20000',
      trading: { dayTradingProtection: true },
    });
    const rich = await startManual({ seed: 3, date: DATE, trading: { dayTradingProtection: true } });
    const off = await startManual({ seed: 3, date: DATE, initialCash: '20000' });
    try {
      for (const sim of [small, rich, off]) {
        sim.advanceTo(at(DATE, '10:00') + 1_000);
        for (let n = 1; n <= 3; n++) expect((await dayTrade(sim, n)).status).toBe(200);
        expect((await api(sim, 'GET', '/v2/account')).body).toMatchObject({
          daytrade_count: 3,
          pattern_day_trader: false,
        });
      }

      const refused = await dayTrade(small, 4);
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({
        code: 40310100,
        message: 'trade denied due to pattern day trading protection',
      });
      const closeRefused = await api(small, 'DELETE', '/v2/positions/F');
      expect([closeRefused.status, closeRefused.body.code]).toEqual([403, 40310100]);
      expect((await api(small, 'GET', '/v2/account')).body.daytrade_count).toBe(3);
      // Tomorrow the sale is no day trade; after five sessions the count is gone.
      small.advanceToNextSession();
      expect((await api(small, 'DELETE', '/v2/positions/F')).status).toBe(200);
      for (let i = 0; i < 4; i++) small.advanceToNextSession();
      expect((await api(small, 'GET', '/v2/account')).body.daytrade_count).toBe(0);

      for (const sim of [rich, off]) {
        expect((await dayTrade(sim, 4)).status).toBe(200);
        expect((await api(sim, 'GET', '/v2/account')).body).toMatchObject({
          daytrade_count: 4,
          pattern_day_trader: true,
        });
      }
    } finally {
      await Promise.all([small.close(), rich.close(), off.close()]);
    }
  });
});
