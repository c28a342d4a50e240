import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMicros, toMicros } from '../../src/domain/money';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { ask, bars, bid, expectLimit, fillActivities, getOrder, iso, place, price } from './ordersKit';
import { api, at, fillNotional, type Json, startManual, tradableSymbols } from './simKit';

const DATE = '2026-03-10';

async function allOrders(sim: RunningSimulator): Promise<Json[]> {
  return (await api(sim, 'GET', '/v2/orders?status=all&limit=500&direction=asc')).body;
}

const signedNotional = (side: string, micros: bigint): bigint => (side === 'sell' ? micros : -micros);

describe('partial fills', () => {
  it('fill about 10 % of eligible orders short, the same way for the same seed however the clock is driven', async () => {
    const a = await startManual({
      seed: 21,
      date: DATE,
      initialCash: '100000000',
      trading: { partialFillRate: 0.1 },
    });
    const b = await startManual({
      seed: 21,
      date: DATE,
      initialCash: '100000000',
      trading: { partialFillRate: 0.1 },
    });
    try {
      const symbols = (await tradableSymbols(a)).slice(0, 300);
      const submitted = at(DATE, '10:00') + 5_000;
      for (const sim of [a, b]) {
        sim.advanceTo(submitted);
        for (const symbol of symbols)
          await place(sim, {
            symbol,
            qty: '10',
            side: 'buy',
            type: 'market',
            time_in_force: 'day',
            client_order_id: `pf-${symbol}`,
          });
      }
      const snapshot = async (sim: RunningSimulator) =>
        (await allOrders(sim)).map((o) => [
          o.client_order_id,
          o.status,
          o.filled_qty,
          o.filled_avg_price,
          o.filled_at,
        ]);

      // One simulator is polled every 7 seconds, the other jumps.
      for (let t = submitted; t <= at(DATE, '10:01'); t += 7_000) a.advanceTo(t);
      a.advanceTo(at(DATE, '10:01'));
      b.advanceTo(at(DATE, '10:01'));
      const first = await snapshot(a);
      expect(await snapshot(b)).toEqual(first);
      const short = first.filter((o) => o[1] === 'partially_filled');
      expect(first.every((o) => o[1] === 'filled' || o[1] === 'partially_filled')).toBe(true);
      expect(short.length).toBeGreaterThanOrEqual(15);
      expect(short.length).toBeLessThanOrEqual(45);
      for (const o of short) expect(Number(o[2])).toBeGreaterThan(0);

      for (let t = at(DATE, '10:01'); t <= at(DATE, '10:03'); t += 11_000) a.advanceTo(t);
      a.advanceTo(at(DATE, '10:03'));
      b.advanceTo(at(DATE, '10:03'));
      const final = await snapshot(a);
      expect(await snapshot(b)).toEqual(final);
      expect(final.every((o) => o[1] === 'filled' && o[2] === '10')).toBe(true);
      // The rest filled a minute later, at that minute's ask.
      for (const o of short) {
        const done = final.find((f) => f[0] === o[0])!;
        expect(done[4]).toBe(iso(at(DATE, '10:02')));
      }

      // filled_avg_price × filled_qty is exactly the cash each order moved.
      const orders = await allOrders(a);
      const spent = orders.reduce((sum, o) => sum + fillNotional(o), 0n);
      const account = (await api(a, 'GET', '/v2/account')).body;
      expect(account.cash).toBe(formatMicros(toMicros('100000000') - spent));
      const fills = await fillActivities(a);
      expect(fills).toHaveLength(orders.length + short.length);
      expect(fills.filter((f) => f.type === 'partial_fill')).toHaveLength(short.length);
      const byOrder = new Map<string, bigint>();
      for (const f of fills)
        byOrder.set(f.order_id, (byOrder.get(f.order_id) ?? 0n) + toMicros(f.price) * BigInt(f.qty));
      for (const o of orders) expect(byOrder.get(o.id), o.client_order_id).toBe(fillNotional(o));
    } finally {
      await a.close();
      await b.close();
    }
  });

  describe('with every eligible first fill short', () => {
    let sim: RunningSimulator;
    let oracle: RunningSimulator;
    beforeAll(async () => {
      sim = await startManual({ seed: 5, date: DATE, trading: { partialFillRate: 1 } });
      oracle = await startManual({ seed: 5, date: DATE });
    });
    afterAll(async () => {
      await sim.close();
      await oracle.close();
    });

    it('fills a marketable limit in two parts at two opens, with an exact weighted average', async () => {
      sim.advanceTo(at(DATE, '09:45') + 30_000);
      const list = await bars(oracle, 'AAPL', at(DATE, '09:46'), at(DATE, '09:47'));
      const limit = Math.max(...list.map((b) => ask(b.h))) + 50;
      const placed = await place(sim, {
        symbol: 'AAPL',
        qty: '20',
        side: 'buy',
        type: 'limit',
        limit_price: price(limit),
        time_in_force: 'day',
      });
      sim.advanceTo(at(DATE, '09:46'));
      const part = await getOrder(sim, placed.id);
      expect(part).toMatchObject({ status: 'partially_filled', filled_at: iso(at(DATE, '09:46')) });
      const q1 = Number(part.filled_qty);
      expect(q1).toBeGreaterThan(0);
      expect(q1).toBeLessThan(20);
      expect(part.filled_avg_price).toBe(price(ask(list[0]!.o)));
      expect((await api(sim, 'GET', '/v2/positions/AAPL')).body.qty).toBe(String(q1));

      sim.advanceTo(at(DATE, '09:47'));
      const done = await getOrder(sim, placed.id);
      expect(done).toMatchObject({ status: 'filled', filled_qty: '20', filled_at: iso(at(DATE, '09:47')) });
      const notional =
        (BigInt(ask(list[0]!.o)) * BigInt(q1) + BigInt(ask(list[1]!.o)) * BigInt(20 - q1)) * 10_000n;
      expect(toMicros(done.filled_avg_price) * 20n).toBe(notional);
    });

    it('keeps bracket legs held until the entry has filled completely', async () => {
      sim.advanceTo(at(DATE, '10:00') + 1_000);
      const placed = await place(sim, {
        symbol: 'MSFT',
        qty: '30',
        side: 'buy',
        type: 'market',
        time_in_force: 'gtc',
        order_class: 'bracket',
        take_profit: { limit_price: '9999.00' },
        stop_loss: { stop_price: '1.00' },
      });
      sim.advanceTo(at(DATE, '10:01'));
      const part = await getOrder(sim, placed.id);
      expect(part.status).toBe('partially_filled');
      expect(part.legs.map((l: Json) => [l.status, l.qty])).toEqual([
        ['held', '30'],
        ['held', '30'],
      ]);
      // Held legs promise no shares yet.
      const position = (await api(sim, 'GET', '/v2/positions/MSFT')).body;
      expect(position.qty_available).toBe(part.filled_qty);

      sim.advanceTo(at(DATE, '10:02'));
      const done = await getOrder(sim, placed.id);
      expect(done.status).toBe('filled');
      expect(done.legs.map((l: Json) => l.status)).toEqual(['new', 'new']);
      expect((await api(sim, 'GET', '/v2/positions/MSFT')).body.qty_available).toBe('0');
      expect((await api(sim, 'DELETE', `/v2/orders/${done.legs[0].id}`)).status).toBe(204);
    });

    it('shrinks the stop of an oco when its take-profit fills partially; cancelling one cancels the other', async () => {
      sim.advanceTo(at(DATE, '10:30') + 1_000);
      await place(sim, { symbol: 'XOM', qty: '40', side: 'buy', type: 'market', time_in_force: 'day' });
      sim.advanceTo(at(DATE, '10:32') + 1_000);
      expect((await api(sim, 'GET', '/v2/positions/XOM')).body.qty).toBe('40');

      const list = await bars(oracle, 'XOM', at(DATE, '10:33'), at(DATE, '12:00'));
      const tp = Math.max(...list.slice(3, 40).map((b) => bid(b.h)));
      const expected = expectLimit('sell', tp, list)!;
      expect(expected).not.toBeNull();
      const placed = await place(sim, {
        symbol: 'XOM',
        qty: '40',
        side: 'sell',
        type: 'limit',
        time_in_force: 'gtc',
        order_class: 'oco',
        take_profit: { limit_price: price(tp) },
        stop_loss: { stop_price: price(Math.round(list[0]!.o / 2)) },
      });
      // Both exits work at once, and hold the 40 shares once.
      expect(placed).toMatchObject({
        order_class: 'oco',
        type: 'limit',
        status: 'new',
        limit_price: price(tp),
      });
      expect(placed.legs.map((l: Json) => [l.type, l.status, l.qty])).toEqual([['stop', 'new', '40']]);
      expect((await api(sim, 'GET', '/v2/positions/XOM')).body.qty_available).toBe('0');

      sim.advanceTo(expected.t);
      const tpOrder = await getOrder(sim, placed.id);
      expect(tpOrder.status).toBe('partially_filled');
      const sold = Number(tpOrder.filled_qty);
      expect(tpOrder.legs[0]).toMatchObject({ status: 'new', qty: String(40 - sold), filled_qty: '0' });
      expect((await api(sim, 'GET', '/v2/positions/XOM')).body).toMatchObject({
        qty: String(40 - sold),
        qty_available: '0',
      });

      expect((await api(sim, 'DELETE', `/v2/orders/${tpOrder.legs[0].id}`)).status).toBe(204);
      const after = await getOrder(sim, placed.id);
      expect(after).toMatchObject({ status: 'canceled', filled_qty: String(sold) });
      expect(after.legs[0].status).toBe('canceled');
      expect((await api(sim, 'GET', '/v2/positions/XOM')).body.qty_available).toBe(String(40 - sold));
    });

    it('moves cash by exactly the sum of the fills over round trips', async () => {
      const start = toMicros((await api(sim, 'GET', '/v2/account')).body.cash);
      const fillsBefore = (await fillActivities(sim)).length;
      sim.advanceTo(at(DATE, '13:00') + 1_000);
      for (const symbol of ['AAPL', 'MSFT', 'XOM', 'JNJ', 'KO'])
        await place(sim, { symbol, qty: '50', side: 'buy', type: 'market', time_in_force: 'day' });
      sim.advanceTo(at(DATE, '13:05'));
      const closed = await api(sim, 'DELETE', '/v2/positions?cancel_orders=true');
      expect(closed.status).toBe(207);
      sim.advanceTo(at(DATE, '13:10'));
      expect((await api(sim, 'GET', '/v2/positions')).body).toEqual([]);

      const fills = (await fillActivities(sim)).slice(fillsBefore);
      expect(fills.some((f) => f.type === 'partial_fill')).toBe(true);
      const fromFills = fills.reduce(
        (sum, f) => sum + signedNotional(f.side, toMicros(f.price) * BigInt(f.qty)),
        0n,
      );
      const account = (await api(sim, 'GET', '/v2/account')).body;
      expect(toMicros(account.cash) - start).toBe(fromFills);
      expect(account.equity).toBe(account.cash);
      const orders = (await allOrders(sim)).filter((o) => Date.parse(o.submitted_at) >= at(DATE, '13:00'));
      const fromOrders = orders.reduce((sum, o) => sum + signedNotional(o.side, fillNotional(o)), 0n);
      expect(fromOrders).toBe(fromFills);
    });
  });
});
