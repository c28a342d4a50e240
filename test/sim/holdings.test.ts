/** Shares held before the first session (`SimulatorOptions.holdings`, `catalyst sim --holdings`). */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/client/cliErrors';
import { parseHoldingsFlag } from '../../src/client/simCommand';
import { toMicros } from '../../src/domain/money';
import { HoldingsError, parseHoldings } from '../../src/sim/venue/holdings';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { loadUniverse } from '../../src/sim/market/universe';
import { getOrder, place } from './ordersKit';
import { api, at, fillNotional, type Json, startManual } from './simKit';

const DATA = resolve(dirname(fileURLToPath(import.meta.url)), '../../data');
const DATE = '2026-03-10';
const universe = loadUniverse(DATA);
const untradable = universe.assets.find((a) => !a.tradable)!.symbol;

const m = (text: string): bigint => toMicros(text);

async function account(sim: RunningSimulator): Promise<Json> {
  return (await api(sim, 'GET', '/v2/account')).body;
}

async function positions(sim: RunningSimulator): Promise<Record<string, Json>> {
  const list: Json[] = (await api(sim, 'GET', '/v2/positions')).body;
  return Object.fromEntries(list.map((p) => [p.symbol, p]));
}

/** The close before the session, as market data reports it. */
async function prevClose(sim: RunningSimulator, symbol: string): Promise<bigint> {
  const snap = (await api(sim, 'GET', `/v2/stocks/${symbol}/snapshot`)).body;
  return m(String(snap.prevDailyBar.c));
}

describe('holdings specs', () => {
  it('parses SYMBOL:QTY lists', () => {
    expect(parseHoldings(undefined, universe)).toEqual([]);
    expect(parseHoldings('  ', universe)).toEqual([]);
    expect(parseHoldings('AAPL:100, msft:25', universe)).toEqual([
      { symbol: 'AAPL', qty: 100 },
      { symbol: 'MSFT', qty: 25 },
    ]);
  });

  it('rejects bad specs naming the bad part and the syntax', () => {
    const cases: Array<[string, RegExp]> = [
      ['AAPL', /part "AAPL": expected SYMBOL:QTY/],
      ['AAPL:0', /part "AAPL:0": quantity 0 must be a whole number of at least 1/],
      ['AAPL:1.5', /part "AAPL:1.5": quantity "1.5" is not a whole number/],
      ['AAPL:-3', /quantity "-3" is not a whole number/],
      ['AAPL:1e3', /quantity "1e3" is not a whole number/],
      ['AAPL:99999999999999999999', /must be a whole number of at least 1/],
      ['MSFT:5,NOPE123:5', /part "NOPE123:5": unknown symbol NOPE123/],
      [`${untradable}:5`, new RegExp(`${untradable.replace('.', '\\.')} is not tradable`)],
      ['AAPL:1,aapl:2', /part "aapl:2": AAPL is listed twice/],
      ['AAPL:1,', /part "": empty part/],
      ['AAPL=1', /expected SYMBOL:QTY/],
    ];
    for (const [spec, problem] of cases) {
      const attempt = () => parseHoldings(spec, universe);
      expect(attempt, spec).toThrow(HoldingsError);
      expect(attempt, spec).toThrow(`invalid holdings ${JSON.stringify(spec.trim())}`);
      expect(attempt, spec).toThrow(problem);
      expect(attempt, spec).toThrow('(syntax: SYMBOL:QTY[,SYMBOL:QTY…], e.g. AAPL:100,MSFT:25)');
    }
  });

  it('checks --holdings while parsing arguments, with one clear line', () => {
    expect(parseHoldingsFlag('--holdings', 'AAPL:100,MSFT:25')).toBe('AAPL:100,MSFT:25');
    const attempt = () => parseHoldingsFlag('--holdings', 'AAPL:100,ZZZZ9:1');
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(
      /^--holdings: invalid holdings "AAPL:100,ZZZZ9:1": part "ZZZZ9:1": unknown symbol ZZZZ9/,
    );
    try {
      attempt();
    } catch (e) {
      expect((e as Error).message).not.toContain('\n');
    }
  });

  it('refuses to start a simulator on a bad spec', async () => {
    await expect(startManual({ seed: 1, date: DATE, holdings: 'AAPL:ten' })).rejects.toThrow(
      /invalid holdings "AAPL:ten": part "AAPL:ten": quantity "ten" is not a whole number/,
    );
  });
});

describe('holdings in the account', () => {
  let sim: RunningSimulator;
  let flat: RunningSimulator;
  beforeAll(async () => {
    [sim, flat] = await Promise.all([
      // Under $25k with protection on: a fourth day trade would be refused.
      startManual({
        seed: 5,
        date: DATE,
        initialCash: '10000',
        holdings: 'AAPL:30,F:200',
        trading: { dayTradingProtection: true },
      }),
      startManual({ seed: 5, date: DATE, initialCash: '10000' }),
    ]);
  });
  afterAll(() => Promise.all([sim.close(), flat.close()]));

  it('holds the shares from before the open, bought at the previous close, on top of the cash', async () => {
    const aaplClose = await prevClose(sim, 'AAPL');
    const fClose = await prevClose(sim, 'F');
    const held = await positions(sim);
    expect(Object.keys(held)).toEqual(['AAPL', 'F']);
    expect(held.AAPL.qty).toBe('30');
    expect(held.AAPL.qty_available).toBe('30');
    expect(m(held.AAPL.avg_entry_price)).toBe(aaplClose);
    expect(m(held.AAPL.cost_basis)).toBe(aaplClose * 30n);
    expect(m(held.AAPL.lastday_price)).toBe(aaplClose);
    expect(held.F.qty).toBe('200');
    expect(m(held.F.cost_basis)).toBe(fClose * 200n);
    expect(m(held.F.unrealized_pl)).toBe(0n);

    const a = await account(sim);
    expect(m(a.cash)).toBe(m('10000'));
    expect(m(a.last_equity)).toBe(m('10000') + aaplClose * 30n + fClose * 200n);
    expect(m(a.long_market_value)).toBe(aaplClose * 30n + fClose * 200n);
    // Nothing has traded today: today's change starts at zero.
    expect(m(a.equity) - m(a.last_equity)).toBe(0n);
    expect(a.daytrade_count).toBe(0);
    // The same market without holdings: only the positions differ.
    const b = await account(flat);
    expect(m(b.cash)).toBe(m('10000'));
    expect(m(b.last_equity)).toBe(m('10000'));
    expect(await positions(flat)).toEqual({});
    // They were not bought in the simulator: no fills.
    expect((await api(sim, 'GET', '/v2/account/activities/FILL')).body).toEqual([]);
  });

  it('carries the day’s P&L from the previous close, like any position held overnight', async () => {
    sim.advanceTo(at(DATE, '10:00'));
    const held = await positions(sim);
    let change = 0n;
    for (const [symbol, qty] of [
      ['AAPL', 30n],
      ['F', 200n],
    ] as const) {
      const p = held[symbol];
      const current = m(p.current_price);
      const close = m(p.lastday_price);
      expect(m(p.market_value)).toBe(current * qty);
      expect(m(p.unrealized_pl)).toBe((current - close) * qty);
      // Not opened today: the intraday P&L also runs from the previous close.
      expect(p.unrealized_intraday_pl).toBe(p.unrealized_pl);
      change += (current - close) * qty;
    }
    const a = await account(sim);
    expect(m(a.equity) - m(a.last_equity)).toBe(change);
  });

  it('sells them normally, never as day trades', async () => {
    // Four sells in one session under $25k with protection on: none is a day trade.
    const sells: Json[] = [];
    for (let i = 0; i < 4; i++) {
      sells.push(
        await place(sim, { symbol: 'AAPL', qty: '5', side: 'sell', type: 'market', time_in_force: 'day' }),
      );
      sim.advanceTo(at(DATE, '10:01') + i * 60_000 + 1_000);
    }
    let proceeds = 0n;
    for (const s of sells) {
      const o = await getOrder(sim, s.id);
      expect(o.status).toBe('filled');
      proceeds += fillNotional(o);
    }
    const p = (await positions(sim)).AAPL;
    expect(p.qty).toBe('10');
    // A sale takes its share of the cost basis away.
    expect(m(p.cost_basis)).toBe((await prevClose(sim, 'AAPL')) * 10n);
    const a = await account(sim);
    expect(m(a.cash)).toBe(m('10000') + proceeds);
    expect(a.daytrade_count).toBe(0);
    expect(a.pattern_day_trader).toBe(false);
    // No more than the holding can be sold.
    const tooMany = await api(sim, 'POST', '/v2/orders', {
      symbol: 'F',
      qty: '201',
      side: 'sell',
      type: 'market',
      time_in_force: 'day',
    });
    expect(tooMany.status).toBe(403);
    // Selling shares bought today still is a day trade, holdings or not.
    await place(sim, { symbol: 'F', qty: '10', side: 'buy', type: 'market', time_in_force: 'day' });
    sim.advanceTo(at(DATE, '10:10'));
    await place(sim, { symbol: 'F', qty: '10', side: 'sell', type: 'market', time_in_force: 'day' });
    sim.advanceTo(at(DATE, '10:12'));
    expect((await account(sim)).daytrade_count).toBe(1);
    expect((await positions(sim)).F.qty).toBe('200');
  });

  it('closes them with DELETE /v2/positions and carries the rest into the next session', async () => {
    const closed = await api(sim, 'DELETE', '/v2/positions/F?qty=50');
    expect(closed.status).toBe(200);
    sim.advanceTo(at(DATE, '10:20'));
    expect((await getOrder(sim, closed.body.id)).status).toBe('filled');
    sim.advanceToNextSession();
    const held = await positions(sim);
    expect(held.AAPL.qty).toBe('10');
    expect(held.F.qty).toBe('150');
    const a = await account(sim);
    expect(m(a.equity) - m(a.last_equity)).toBe(0n);
    expect(m(a.last_equity)).toBe(m(a.cash) + m(held.AAPL.market_value) + m(held.F.market_value));
    expect(held.F.lastday_price).toBe(held.F.current_price);
  });
});
