import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import {
  MIN,
  ask,
  bars,
  expectLimit,
  expectSellStop,
  expectSellStopLimit,
  expectSellTrailing,
  getOrder,
  iso,
  place,
  price,
} from './ordersKit';
import { api, at, type Json, startManual, tradableSymbols } from './simKit';

const DATE = '2026-03-10';
const SEED = 11;

describe('matching: each order type fills where the NBBO and the minute bars say', () => {
  let sim: RunningSimulator;
  let oracle: RunningSimulator;
  beforeAll(async () => {
    sim = await startManual({ seed: SEED, date: DATE, initialCash: '1000000' });
    oracle = await startManual({ seed: SEED, date: DATE });
  });
  afterAll(async () => {
    await sim.close();
    await oracle.close();
  });

  /** Buys `qty` at market now; the fill comes at the next minute's open. */
  async function own(symbol: string, qty: number, cid: string): Promise<void> {
    await place(sim, {
      symbol,
      qty: String(qty),
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
      client_order_id: cid,
    });
  }

  it('fills a limit buy at the ask when the open is marketable, else at its limit when the range reaches it', async () => {
    sim.advanceTo(at(DATE, '10:00') + 10_000);
    const live = at(DATE, '10:01');
    const list = await bars(oracle, 'AAPL', live, at(DATE, '11:00'));
    const limit = Math.min(...list.slice(5, 40).map((b) => ask(b.l)));
    const expected = expectLimit('buy', limit, list)!;
    expect(expected).not.toBeNull();

    const placed = await place(sim, {
      symbol: 'AAPL',
      qty: '5',
      side: 'buy',
      type: 'limit',
      limit_price: price(limit),
      time_in_force: 'day',
    });
    sim.advanceTo(expected.t - 1);
    expect((await getOrder(sim, placed.id)).status).toBe('new');
    sim.advanceTo(expected.t);
    expect(await getOrder(sim, placed.id)).toMatchObject({
      status: 'filled',
      filled_qty: '5',
      filled_at: iso(expected.t),
      filled_avg_price: price(expected.price),
    });
    expect(expected.price).toBeLessThanOrEqual(limit);
  });

  it('triggers a sell stop when the trade reaches it and fills at the bid, one tick worse', async () => {
    await own('MSFT', 5, 'stop-own');
    sim.advanceTo(sim.nowMs() + MIN);
    const now = sim.nowMs();
    const live = Math.floor(now / MIN) * MIN + MIN;
    const list = await bars(oracle, 'MSFT', live, live + 60 * MIN);
    const stop = Math.min(...list.slice(3, 30).map((b) => b.l));
    const expected = expectSellStop(stop, list)!;
    expect(expected).not.toBeNull();

    const placed = await place(sim, {
      symbol: 'MSFT',
      qty: '5',
      side: 'sell',
      type: 'stop',
      stop_price: price(stop),
      time_in_force: 'gtc',
    });
    sim.advanceTo(expected.t - 1);
    expect((await getOrder(sim, placed.id)).status).toBe('new');
    sim.advanceTo(expected.t);
    const filled = await getOrder(sim, placed.id);
    expect(filled).toMatchObject({
      status: 'filled',
      filled_at: iso(expected.t),
      filled_avg_price: price(expected.price),
    });
    expect(expected.price).toBeLessThan(stop);
  });

  it('turns a triggered stop-limit into a limit: it never fills beyond its limit', async () => {
    await own('JNJ', 5, 'stop-limit-own');
    sim.advanceTo(sim.nowMs() + MIN);
    const live = Math.floor(sim.nowMs() / MIN) * MIN + MIN;
    const list = await bars(oracle, 'JNJ', live, live + 90 * MIN);
    const stop = Math.min(...list.slice(2, 20).map((b) => b.l)) + 1;
    // Limit at the stop: when the bid sits under the trade, the trigger alone does not fill.
    const expected = expectSellStopLimit(stop, stop, list)!;
    expect(expected).not.toBeNull();

    const placed = await place(sim, {
      symbol: 'JNJ',
      qty: '5',
      side: 'sell',
      type: 'stop_limit',
      stop_price: price(stop),
      limit_price: price(stop),
      time_in_force: 'gtc',
    });
    expect(placed).toMatchObject({ type: 'stop_limit', stop_price: price(stop), limit_price: price(stop) });
    sim.advanceTo(expected.t - 1);
    expect((await getOrder(sim, placed.id)).status).toBe('new');
    sim.advanceTo(expected.t);
    expect(await getOrder(sim, placed.id)).toMatchObject({
      status: 'filled',
      filled_at: iso(expected.t),
      filled_avg_price: price(expected.price),
    });
    expect(expected.price).toBeGreaterThanOrEqual(stop);
  });

  it('trails a sell stop under the high-water mark by trail_price, minute by minute', async () => {
    await own('XOM', 5, 'trail-own');
    sim.advanceTo(sim.nowMs() + MIN);
    const live = Math.floor(sim.nowMs() / MIN) * MIN + MIN;
    const list = await bars(oracle, 'XOM', live, live + 120 * MIN);
    // The widest trail that still triggers, after the mark has moved up.
    let pick: { trail: number; expected: NonNullable<ReturnType<typeof expectSellTrailing>> } | null = null;
    for (let trail = 2; trail < 400; trail++) {
      const expected = expectSellTrailing((hwm) => hwm - trail, list);
      if (expected && expected.hwm > expected.firstHwm && expected.t >= live + 5 * MIN)
        pick = { trail, expected };
    }
    expect(pick, 'a trail that triggers after the mark moved').not.toBeNull();
    const { trail, expected } = pick!;

    const placed = await place(sim, {
      symbol: 'XOM',
      qty: '5',
      side: 'sell',
      type: 'trailing_stop',
      trail_price: price(trail),
      time_in_force: 'day',
    });
    // The mark starts at the first open the order sees.
    expect(placed).toMatchObject({
      type: 'trailing_stop',
      trail_price: price(trail),
      trail_percent: null,
      hwm: null,
    });
    sim.advanceTo(live);
    expect(await getOrder(sim, placed.id)).toMatchObject({
      hwm: price(expected.firstHwm),
      stop_price: price(expected.firstHwm - trail),
    });
    sim.advanceTo(expected.t - 1);
    expect((await getOrder(sim, placed.id)).status).toBe('new');
    sim.advanceTo(expected.t);
    expect(await getOrder(sim, placed.id)).toMatchObject({
      status: 'filled',
      filled_at: iso(expected.t),
      filled_avg_price: price(expected.price),
      hwm: price(expected.hwm),
      stop_price: price(expected.stop),
    });
  });

  it('trails by trail_percent, the stop rounded down to the tick', async () => {
    await own('PG', 4, 'trail-pct-own');
    sim.advanceTo(sim.nowMs() + MIN);
    const live = Math.floor(sim.nowMs() / MIN) * MIN + MIN;
    const list = await bars(oracle, 'PG', live, live + 120 * MIN);
    let pick: { bp: number; expected: NonNullable<ReturnType<typeof expectSellTrailing>> } | null = null;
    // Percent in basis points: 0.05 % .. 3 %.
    for (let bp = 5; bp <= 300; bp++) {
      const expected = expectSellTrailing((hwm) => Math.floor((hwm * (10_000 - bp)) / 10_000), list);
      if (expected && expected.hwm > expected.firstHwm && expected.t >= live + 5 * MIN)
        pick = { bp, expected };
    }
    expect(pick).not.toBeNull();
    const { bp, expected } = pick!;
    const percent = (bp / 100).toFixed(2);
    const placed = await place(sim, {
      symbol: 'PG',
      qty: '4',
      side: 'sell',
      type: 'trailing_stop',
      trail_percent: percent,
      time_in_force: 'gtc',
    });
    sim.advanceTo(expected.t);
    expect(await getOrder(sim, placed.id)).toMatchObject({
      status: 'filled',
      trail_percent: percent,
      trail_price: null,
      filled_at: iso(expected.t),
      filled_avg_price: price(expected.price),
      stop_price: price(expected.stop),
    });
  });

  it('charges a market order that takes a large share of the minute volume a few ticks of impact', async () => {
    const now = sim.nowMs();
    const live = Math.floor(now / MIN) * MIN + MIN;
    const symbols = (await tradableSymbols(sim)).slice(0, 600);
    oracle.advanceTo(Math.max(oracle.nowMs(), live + MIN));
    const q = `/v2/stocks/bars?symbols=${symbols.join(',')}&timeframe=1Min&start=${iso(live)}&end=${iso(live)}&limit=10000`;
    const minute: Record<string, Json[]> = (await api(oracle, 'GET', q)).body.bars;
    const pick = Object.entries(minute)
      .map(([symbol, [b]]) => ({ symbol, o: Math.round(b.o * 100), v: b.v as number }))
      .find((c) => c.o >= 1000 && c.o <= 5000 && c.v >= 200 && c.v <= 3000);
    expect(pick, 'a thinly traded symbol between $10 and $50').toBeDefined();
    const { symbol, o, v } = pick!;
    const qty = v; // all of the minute's volume: ten ticks, capped at 1 % of the price
    const impact = Math.min(10, Math.max(1, Math.floor(o / 100)));
    const placed = await place(sim, {
      symbol,
      qty: String(qty),
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
    });
    sim.advanceTo(live);
    const filled = await getOrder(sim, placed.id);
    expect(filled).toMatchObject({ status: 'filled', filled_avg_price: price(ask(o) + impact) });
    expect(impact).toBeGreaterThan(0);
    await api(sim, 'DELETE', `/v2/positions/${symbol}`);
  });

  it('rejects what it does not simulate with a clear 422', async () => {
    const base = { symbol: 'AAPL', qty: '2', side: 'buy', type: 'limit', limit_price: '1.00' };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...base, time_in_force: 'opg' }, /opg is not supported.*auctions/],
      [{ ...base, time_in_force: 'cls' }, /cls is not supported/],
      [{ ...base, time_in_force: 'day', extended_hours: true }, /extended hours/],
      [{ ...base, type: 'market', time_in_force: 'gtc', extended_hours: true }, /must be DAY limit/],
      [
        { ...base, type: 'trailing_stop', time_in_force: 'day' },
        /exactly one of trail_price and trail_percent/,
      ],
      [
        { ...base, type: 'trailing_stop', trail_price: '1.00', trail_percent: '2', time_in_force: 'day' },
        /exactly one/,
      ],
      [
        { ...base, type: 'stop', stop_price: '1.00', time_in_force: 'ioc' },
        /only supported for market and limit/,
      ],
      [
        { ...base, type: 'stop_limit', stop_price: '1.00', time_in_force: 'day', limit_price: undefined },
        /limit_price is required/,
      ],
    ];
    for (const [body, message] of cases) {
      const res = await api(sim, 'POST', '/v2/orders', body);
      expect([res.status, res.body.code], JSON.stringify(body)).toEqual([422, 40010001]);
      expect(res.body.message).toMatch(message);
    }
  });
});

describe('matching: immediate-or-cancel and fill-or-kill', () => {
  let short: RunningSimulator; // every eligible first fill comes up short
  let whole: RunningSimulator;
  beforeAll(async () => {
    short = await startManual({ seed: SEED, date: DATE, trading: { partialFillRate: 1 } });
    whole = await startManual({ seed: SEED, date: DATE });
  });
  afterAll(async () => {
    await short.close();
    await whole.close();
  });

  it('ioc fills what it can at its first open and cancels the rest; fok fills all or nothing', async () => {
    for (const sim of [short, whole]) sim.advanceTo(at(DATE, '11:00') + 5_000);
    const t = at(DATE, '11:01');
    const ioc = { symbol: 'AAPL', qty: '10', side: 'buy', type: 'market', time_in_force: 'ioc' };
    const fok = { ...ioc, symbol: 'MSFT', time_in_force: 'fok' };
    const [iocShort, fokShort, iocWhole, fokWhole] = [
      await place(short, ioc),
      await place(short, fok),
      await place(whole, ioc),
      await place(whole, fok),
    ];
    for (const sim of [short, whole]) sim.advanceTo(t);

    const partIoc = await getOrder(short, iocShort.id);
    expect(partIoc).toMatchObject({ status: 'canceled', canceled_at: iso(t), filled_at: iso(t) });
    expect(Number(partIoc.filled_qty)).toBeGreaterThan(0);
    expect(Number(partIoc.filled_qty)).toBeLessThan(10);
    expect(await getOrder(short, fokShort.id)).toMatchObject({
      status: 'canceled',
      filled_qty: '0',
      filled_avg_price: null,
      canceled_at: iso(t),
    });
    expect((await api(short, 'GET', '/v2/positions/MSFT')).status).toBe(404);
    expect((await api(short, 'GET', '/v2/positions/AAPL')).body.qty).toBe(partIoc.filled_qty);

    expect(await getOrder(whole, iocWhole.id)).toMatchObject({ status: 'filled', filled_qty: '10' });
    expect(await getOrder(whole, fokWhole.id)).toMatchObject({ status: 'filled', filled_qty: '10' });
  });

  it('cancels an ioc limit that is not marketable at its first open, without a fill', async () => {
    whole.advanceTo(at(DATE, '11:10') + 1_000);
    const placed = await place(whole, {
      symbol: 'AAPL',
      qty: '3',
      side: 'buy',
      type: 'limit',
      limit_price: '1.00',
      time_in_force: 'ioc',
    });
    whole.advanceTo(at(DATE, '11:11'));
    expect(await getOrder(whole, placed.id)).toMatchObject({
      status: 'canceled',
      filled_qty: '0',
      canceled_at: iso(at(DATE, '11:11')),
    });
  });
});

describe('matching: a trading halt', () => {
  it('fills nothing while a symbol is halted; waiting orders fill at the reopening print', async () => {
    const market = { scenario: 'halt:AAPL@10:30+15m' };
    const sim = await startManual({ seed: SEED, date: DATE, market });
    const oracle = await startManual({ seed: SEED, date: DATE, market });
    try {
      sim.advanceTo(at(DATE, '10:35') + 10_000);
      const waiting = await place(sim, {
        symbol: 'AAPL',
        qty: '3',
        side: 'buy',
        type: 'market',
        time_in_force: 'day',
      });
      const ioc = await place(sim, {
        symbol: 'AAPL',
        qty: '3',
        side: 'buy',
        type: 'market',
        time_in_force: 'ioc',
      });
      sim.advanceTo(at(DATE, '10:45') - 1);
      expect((await getOrder(sim, waiting.id)).status).toBe('new');
      expect(await getOrder(sim, ioc.id)).toMatchObject({
        status: 'canceled',
        filled_qty: '0',
        canceled_at: iso(at(DATE, '10:36')),
      });
      const [reopen] = await bars(oracle, 'AAPL', at(DATE, '10:45'), at(DATE, '10:45'));
      expect(reopen!.t).toBe(at(DATE, '10:45'));
      sim.advanceTo(at(DATE, '10:45'));
      expect(await getOrder(sim, waiting.id)).toMatchObject({
        status: 'filled',
        filled_at: iso(at(DATE, '10:45')),
        filled_avg_price: price(ask(reopen!.o)),
      });
    } finally {
      await sim.close();
      await oracle.close();
    }
  });
});
