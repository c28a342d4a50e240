import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMicros, toMicros } from '../../src/domain/money';
import { spreadAround } from '../../src/sim/market/marketView';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { api, at, fillNotional, type Json, startManual, tradableSymbols } from './simKit';

const DATE = '2026-03-10';
const MIN = 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();
const cents = (x: number): string => (Math.round(x * 100) / 100).toFixed(2);

async function minuteBar(sim: RunningSimulator, symbol: string, startMs: number): Promise<Json> {
  const q = `/v2/stocks/bars?symbols=${symbol}&timeframe=1Min&start=${iso(startMs)}&end=${iso(startMs)}`;
  const bar = (await api(sim, 'GET', q)).body.bars[symbol]?.[0];
  if (!bar) throw new Error(`no bar for ${symbol} at ${iso(startMs)}`);
  return bar;
}

async function lastPrice(sim: RunningSimulator, symbol: string): Promise<number> {
  return (await api(sim, 'GET', `/v2/stocks/${symbol}/snapshot`)).body.latestTrade.p;
}

function bracket(
  symbol: string,
  qty: number,
  tp: string,
  sl: string,
  cid: string,
  extra: Record<string, unknown> = {},
) {
  return {
    symbol,
    qty: String(qty),
    side: 'buy',
    type: 'market',
    time_in_force: 'day',
    order_class: 'bracket',
    take_profit: { limit_price: tp },
    stop_loss: { stop_price: sl },
    client_order_id: cid,
    ...extra,
  };
}

describe('simulator matching engine', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startManual({ seed: 5, date: DATE });
  });
  afterAll(() => sim.close());

  it('fills a bracket market buy at the next minute open (at the ask) and releases its legs', async () => {
    sim.advanceTo(at(DATE, '10:00') + 20_000);
    const p = await lastPrice(sim, 'AAPL');
    const placed = await api(
      sim,
      'POST',
      '/v2/orders',
      bracket('AAPL', 10, cents(p * 1.05), cents(p * 0.95), 'fill-1'),
    );
    expect(placed.status).toBe(200);
    expect(placed.body).toMatchObject({
      client_order_id: 'fill-1',
      order_class: 'bracket',
      status: 'new',
      qty: '10',
      filled_qty: '0',
    });
    expect(placed.body.legs.map((l: Json) => [l.type, l.side, l.status])).toEqual([
      ['limit', 'sell', 'held'],
      ['stop', 'sell', 'held'],
    ]);

    sim.advanceTo(at(DATE, '10:00') + 59_999);
    expect((await api(sim, 'GET', `/v2/orders/${placed.body.id}`)).body.status).toBe('new');

    sim.advanceTo(at(DATE, '10:02'));
    const order = (await api(sim, 'GET', `/v2/orders/${placed.body.id}`)).body;
    expect(order.status).toBe('filled');
    expect(order.filled_at).toBe(iso(at(DATE, '10:01')));
    const bar = await minuteBar(sim, 'AAPL', at(DATE, '10:01'));
    const ask = spreadAround(Math.round(bar.o * 100)).ask;
    expect(order.filled_avg_price).toBe(formatMicros(BigInt(ask) * 10_000n));
    expect(order.legs.map((l: Json) => l.status)).toEqual(['new', 'new']);

    const pos = (await api(sim, 'GET', '/v2/positions/AAPL')).body;
    expect(pos).toMatchObject({
      symbol: 'AAPL',
      qty: '10',
      side: 'long',
      avg_entry_price: order.filled_avg_price,
      qty_available: '0',
    });
  });

  it('cancels the sibling when one exit leg fills, and cash moves by exactly the fills', async () => {
    const cashBefore = toMicros((await api(sim, 'GET', '/v2/account')).body.cash);
    sim.advanceTo(at(DATE, '10:30') + 5_000);
    const p = await lastPrice(sim, 'MSFT');
    const placed = await api(
      sim,
      'POST',
      '/v2/orders',
      bracket('MSFT', 7, cents(p * 1.003), cents(p * 0.997), 'exit-1'),
    );
    expect(placed.status).toBe(200);
    let order: Json;
    let t = at(DATE, '10:31');
    for (; t <= at(DATE, '16:00'); t += MIN) {
      sim.advanceTo(t);
      order = (await api(sim, 'GET', `/v2/orders/${placed.body.id}`)).body;
      if (order.legs.some((l: Json) => l.status === 'filled')) break;
    }
    const [tp, sl] = order.legs;
    const filled = tp.status === 'filled' ? tp : sl;
    const sibling = filled === tp ? sl : tp;
    expect(filled.status).toBe('filled');
    expect(sibling.status).toBe('canceled');
    expect(sibling.canceled_at).toBe(filled.filled_at);

    // The exit price follows the fill rules for the minute that triggered it.
    const fillMs = Date.parse(filled.filled_at);
    const touched = await minuteBar(sim, 'MSFT', fillMs - MIN);
    const price = Number(filled.filled_avg_price);
    if (filled === tp) {
      expect(price).toBeGreaterThanOrEqual(Number(tp.limit_price));
      expect(touched.h >= Number(tp.limit_price) || price > Number(tp.limit_price)).toBe(true);
    } else {
      expect(price).toBeLessThan(Number(sl.stop_price));
      expect(touched.l <= Number(sl.stop_price) || price < Number(sl.stop_price) - 0.005).toBe(true);
    }

    const account = (await api(sim, 'GET', '/v2/account')).body;
    const expected = cashBefore - fillNotional(order) + fillNotional(filled);
    expect(account.cash).toBe(formatMicros(expected));
    expect((await api(sim, 'GET', '/v2/positions/MSFT')).status).toBe(404);
  });

  it('lets the stop win when one minute touches both legs', async () => {
    const oracle = await startManual({ seed: 5, date: DATE });
    try {
      sim.advanceTo(at(DATE, '11:00') + 10_000);
      oracle.advanceTo(at(DATE, '12:00'));
      const candidates = (await tradableSymbols(sim))
        .filter((s) => !['AAPL', 'MSFT'].includes(s))
        .slice(0, 400);
      const snaps = (await api(sim, 'GET', `/v2/stocks/snapshots?symbols=${candidates.join(',')}`)).body;
      const future = (
        await api(
          oracle,
          'GET',
          `/v2/stocks/bars?symbols=${candidates.join(',')}&timeframe=1Min&start=${iso(at(DATE, '11:01'))}&end=${iso(at(DATE, '11:40'))}&limit=10000`,
        )
      ).body.bars;
      let pick: { symbol: string; tp: number; sl: number; minute: number } | null = null;
      for (const symbol of candidates) {
        const bars: Json[] = future[symbol] ?? [];
        const base = snaps[symbol]?.latestTrade.p;
        if (!base || base < 5 || bars.length < 5) continue;
        let maxH = Math.max(base, bars[0].h);
        let minL = Math.min(base, bars[0].l);
        for (let k = 1; k < bars.length && !pick; k++) {
          const tp = Math.round((maxH + 0.01) * 100) / 100;
          const sl = Math.round((minL - 0.01) * 100) / 100;
          if (bars[k].h >= tp && bars[k].l <= sl) pick = { symbol, tp, sl, minute: Date.parse(bars[k].t) };
          maxH = Math.max(maxH, bars[k].h);
          minL = Math.min(minL, bars[k].l);
        }
        if (pick) break;
      }
      expect(pick, 'a minute whose range spans both legs').not.toBeNull();
      const { symbol, tp, sl, minute } = pick!;
      const placed = await api(
        sim,
        'POST',
        '/v2/orders',
        bracket(symbol, 5, tp.toFixed(2), sl.toFixed(2), 'both-legs'),
      );
      expect(placed.status).toBe(200);
      sim.advanceTo(minute + MIN);
      const order = (await api(sim, 'GET', `/v2/orders/${placed.body.id}`)).body;
      const [tpLeg, slLeg] = order.legs;
      expect(order.status).toBe('filled');
      expect(slLeg.status).toBe('filled');
      expect(tpLeg.status).toBe('canceled');
      expect(slLeg.filled_at).toBe(iso(minute + MIN));
      // A triggered stop sells at the bid at its stop price, one tick worse.
      const slUnits = Math.round(sl * 100);
      expect(slLeg.filled_avg_price).toBe(((spreadAround(slUnits).bid - 1) / 100).toFixed(2));
      await api(sim, 'DELETE', `/v2/positions/${symbol}`);
    } finally {
      await oracle.close();
    }
  });

  it('rejects a reused client_order_id with 422, even after a cancel', async () => {
    sim.advanceTo(at(DATE, '12:00'));
    const body = {
      symbol: 'F',
      qty: '3',
      side: 'buy',
      type: 'limit',
      limit_price: '1.00',
      time_in_force: 'gtc',
      client_order_id: 'dup-1',
    };
    const first = await api(sim, 'POST', '/v2/orders', body);
    expect(first.status).toBe(200);
    const again = await api(sim, 'POST', '/v2/orders', body);
    expect(again.status).toBe(422);
    expect(again.body).toEqual({ code: 40010001, message: 'client_order_id must be unique' });
    expect((await api(sim, 'DELETE', `/v2/orders/${first.body.id}`)).status).toBe(204);
    const afterCancel = await api(sim, 'POST', '/v2/orders', body);
    expect(afterCancel.status).toBe(422);
    expect(afterCancel.body.code).toBe(40010001);
    const byCid = await api(sim, 'GET', '/v2/orders:by_client_order_id?client_order_id=dup-1');
    expect(byCid.body).toMatchObject({ id: first.body.id, status: 'canceled' });
    expect((await api(sim, 'GET', '/v2/orders:by_client_order_id?client_order_id=nope')).status).toBe(404);
    const notCancelable = await api(sim, 'DELETE', `/v2/orders/${first.body.id}`);
    expect(notCancelable.status).toBe(422);
  });

  it('validates orders with Alpaca codes', async () => {
    const p = await lastPrice(sim, 'XOM');
    const cases: Array<[Record<string, unknown>, number, number]> = [
      [bracket('XOM', 1, cents(p * 0.9), cents(p * 0.95), 'v1'), 422, 40010001],
      [bracket('XOM', 1, cents(p * 1.1), cents(p + 0.005), 'v2'), 422, 40010001],
      [bracket('NOPE123', 1, '2.00', '1.00', 'v3'), 422, 40010001],
      [{ ...bracket('XOM', 1, cents(p * 1.1), cents(p * 0.9), 'v4'), time_in_force: 'ioc' }, 422, 40010001],
      [{ symbol: 'XOM', qty: '1.5', side: 'buy', type: 'market', time_in_force: 'day' }, 422, 40010001],
      [
        { symbol: 'XOM', qty: '1', side: 'buy', type: 'limit', limit_price: '10.001', time_in_force: 'day' },
        422,
        40010001,
      ],
      [{ symbol: 'XOM', qty: '100000', side: 'buy', type: 'market', time_in_force: 'day' }, 403, 40310000],
      [{ symbol: 'XOM', qty: '5', side: 'sell', type: 'market', time_in_force: 'day' }, 403, 40310000],
      [
        {
          symbol: 'XOM',
          qty: 'x'.repeat(3),
          side: 'buy',
          type: 'market',
          time_in_force: 'day',
          client_order_id: 'z'.repeat(49),
        },
        422,
        40010001,
      ],
    ];
    for (const [body, status, code] of cases) {
      const res = await api(sim, 'POST', '/v2/orders', body);
      expect([res.status, res.body.code], JSON.stringify(body)).toEqual([status, code]);
      expect(typeof res.body.message).toBe('string');
    }
    const poor = await api(sim, 'POST', '/v2/orders', {
      symbol: 'XOM',
      qty: '100000',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
    });
    expect(poor.body.message).toBe('insufficient buying power');
    expect(toMicros(poor.body.buying_power)).toBeGreaterThan(0n);
  });

  it('reserves buying power for open buys and lists orders Alpaca-style', async () => {
    const bp0 = toMicros((await api(sim, 'GET', '/v2/account')).body.buying_power);
    const placed = await api(sim, 'POST', '/v2/orders', {
      symbol: 'F',
      qty: '100',
      side: 'buy',
      type: 'limit',
      limit_price: '1.50',
      time_in_force: 'day',
      client_order_id: 'reserve-1',
    });
    expect(placed.status).toBe(200);
    const bp1 = toMicros((await api(sim, 'GET', '/v2/account')).body.buying_power);
    expect(bp0 - bp1).toBe(toMicros('150'));
    const open = (await api(sim, 'GET', '/v2/orders?status=open&symbols=F')).body;
    expect(open.map((o: Json) => o.client_order_id)).toContain('reserve-1');
    const nested = (await api(sim, 'GET', '/v2/orders?status=all&nested=true&limit=500')).body;
    expect(nested.every((o: Json) => o.order_class !== 'bracket' || Array.isArray(o.legs))).toBe(true);
    const flat = (await api(sim, 'GET', '/v2/orders?status=all&limit=500&direction=asc')).body;
    expect(flat.length).toBeGreaterThan(nested.length);
    expect(flat.every((o: Json) => o.legs === null)).toBe(true);
    expect(Date.parse(flat[0].submitted_at)).toBeLessThanOrEqual(Date.parse(flat.at(-1).submitted_at));
    expect((await api(sim, 'GET', '/v2/orders?status=all&limit=2')).body).toHaveLength(2);
  });

  it('expires day orders at the close, carries GTC orders and positions into the next session', async () => {
    sim.advanceTo(at(DATE, '15:00'));
    const p = await lastPrice(sim, 'XOM');
    await api(sim, 'POST', '/v2/orders', {
      symbol: 'XOM',
      qty: '4',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
      client_order_id: 'hold-1',
    });
    const gtc = await api(sim, 'POST', '/v2/orders', {
      symbol: 'XOM',
      qty: '1',
      side: 'buy',
      type: 'limit',
      limit_price: cents(p * 0.5),
      time_in_force: 'gtc',
      client_order_id: 'gtc-1',
    });
    sim.advanceTo(at(DATE, '16:00'));
    expect(
      (await api(sim, 'GET', '/v2/orders:by_client_order_id?client_order_id=reserve-1')).body,
    ).toMatchObject({
      status: 'expired',
      expired_at: iso(at(DATE, '16:00')),
    });
    const equityAtClose = (await api(sim, 'GET', '/v2/account')).body.equity;

    sim.advanceToNextSession();
    expect(sim.sessionDate()).toBe('2026-03-11');
    expect(sim.nowMs()).toBe(at('2026-03-11', '09:29'));
    const account = (await api(sim, 'GET', '/v2/account')).body;
    expect(account.last_equity).toBe(equityAtClose);
    expect((await api(sim, 'GET', '/v2/positions/XOM')).body.qty).toBe('4');
    expect((await api(sim, 'GET', `/v2/orders/${gtc.body.id}`)).body.status).toBe('new');
    const snap = (await api(sim, 'GET', '/v2/stocks/XOM/snapshot')).body;
    expect(snap.dailyBar).toBeNull();
    expect(snap.prevDailyBar.t).toBe('2026-03-10T04:00:00Z');
    const yesterday = (
      await api(sim, 'GET', '/v2/stocks/bars?symbols=XOM&timeframe=1Day&start=2026-03-10&end=2026-03-10')
    ).body.bars.XOM[0];
    expect(snap.prevDailyBar).toEqual(yesterday);
    expect(snap.latestTrade.p).toBe(yesterday.c);
  });

  it('closes every position with DELETE /v2/positions?cancel_orders=true', async () => {
    sim.advanceTo(at('2026-03-11', '10:00'));
    await api(sim, 'POST', '/v2/orders', bracket('AMD', 2, '9999.00', '1.00', 'close-all-1'));
    sim.advanceTo(at('2026-03-11', '10:01') + 1_000);
    expect((await api(sim, 'GET', '/v2/positions')).body.length).toBeGreaterThanOrEqual(2);
    const res = await api(sim, 'DELETE', '/v2/positions?cancel_orders=true');
    expect(res.status).toBe(207);
    expect(
      res.body.every((r: Json) => r.status === 200 && r.body.side === 'sell' && r.body.type === 'market'),
    ).toBe(true);
    expect(
      (await api(sim, 'GET', '/v2/orders?status=open')).body.filter((o: Json) => o.side === 'buy'),
    ).toEqual([]);
    sim.advanceTo(at('2026-03-11', '10:02'));
    expect((await api(sim, 'GET', '/v2/positions')).body).toEqual([]);
    const account = (await api(sim, 'GET', '/v2/account')).body;
    expect(account.cash).toBe(account.equity);
    expect(account.buying_power).toBe(account.cash);
  });
});
