/**
 * Reconciliation against the real simulator through the real Alpaca adapter, in an account that is
 * not Catalyst's alone: shares held before the day, orders placed by hand (GTC dips, market buys,
 * buys of a symbol Catalyst holds, sells that hold shares), an order of Catalyst's from another day.
 * Every expectation is read from what the test placed and what the broker says filled — never
 * from the book code under test.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  checkFlat,
  flattenCatalystBook,
  guardPositions,
  readBook,
  recordBook,
  summarize,
  type BrokerDeps,
} from '../../src/activities/reconciliation';
import type { Broker, BrokerOrder, SimpleOrderRequest } from '../../src/broker/port';
import { rows } from '../../src/db/rows';
import { nyTimeToUtcMs } from '../../src/domain/calendar';
import { clientOrderId, parseClientOrderId } from '../../src/domain/clientOrderId';
import { toMicros } from '../../src/domain/money';
import { isFlat } from '../../src/domain/positions';
import { createSettingsSource, type SettingsSource } from '../../src/settings/settingsSource';
import type { RunningSimulator, SimulatorOptions } from '../../src/sim/startSimulator';
import { brokerFor } from '../broker/brokerKit';
import { api, startManual } from '../sim/simKit';
import { createMigratedDatabase, type MigratedDatabase } from '../support/migratedDatabase';

const DATE = '2026-11-24';
const OTHER_DATE = '2026-11-23';
const SEED = 7;
const MIN = 60_000;
const at = (hhmm: string, seconds = 0): number => nyTimeToUtcMs(DATE, hhmm) + seconds * 1000;
const CONFIG_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../config');

// ───────────────────────────── the venue ─────────────────────────────

interface Venue {
  sim: RunningSimulator;
  broker: Broker;
  deps: BrokerDeps;
}

const running: RunningSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function venue(o: Partial<SimulatorOptions> = {}): Promise<Venue> {
  const sim = await startManual({ seed: SEED, date: DATE, rateLimitPerMinute: 0, ...o });
  running.push(sim);
  const broker = brokerFor(sim);
  return { sim, broker, deps: { broker } };
}

const cents = (dollars: number): number => Math.round(dollars * 100);
const micros = (amount: string | null): bigint | null => (amount === null ? null : toMicros(amount));
const price = (c: number): string => (c / 100).toFixed(2);

async function askCents(v: Venue, symbol: string): Promise<number> {
  return cents((await v.broker.getSnapshots([symbol])).get(symbol)!.askPrice);
}

interface EntrySpec {
  symbol: string;
  cycle: number;
  qty: number;
  /** The limit, percent from the ask: +1 is marketable, −50 rests far below the market. */
  limitPct?: number;
  stopPct?: number;
  targetPct?: number;
  /** An exact stop in cents (overrides stopPct). */
  stopCents?: number;
}

/** A Catalyst entry exactly as placeBracketOrder sends it: a limit bracket under a Catalyst id. */
async function catalystEntry(v: Venue, e: EntrySpec): Promise<BrokerOrder> {
  const ask = await askCents(v, e.symbol);
  const limit = Math.ceil((ask * (100 + (e.limitPct ?? 1))) / 100);
  return v.broker.submitBracketOrder({
    clientOrderId: clientOrderId({ tradingDate: DATE, cycle: e.cycle, symbol: e.symbol, leg: 'entry' }),
    symbol: e.symbol,
    side: 'buy',
    qty: e.qty,
    entryType: 'limit',
    limitPrice: price(limit),
    takeProfitLimitPrice: price(Math.ceil((limit * (100 + (e.targetPct ?? 10))) / 100)),
    stopLossStopPrice: price(e.stopCents ?? Math.floor((limit * (100 + (e.stopPct ?? -10))) / 100)),
    timeInForce: 'day',
  });
}

let manualSeq = 0;
/** An order placed by a person (or another system): any client id Catalyst could not have made. */
async function manual(
  v: Venue,
  o: Pick<SimpleOrderRequest, 'symbol' | 'side' | 'qty'> & Partial<SimpleOrderRequest>,
): Promise<BrokerOrder> {
  return v.broker.submitOrder({
    clientOrderId: `by-hand-${++manualSeq}`,
    type: 'market',
    timeInForce: 'day',
    ...o,
  });
}

/** A resting order far from the market (limit at `pct` % of the ask): it stays open all day. */
async function resting(
  v: Venue,
  o: { symbol: string; side: 'buy' | 'sell'; qty: string; pct: number; clientOrderId?: string },
): Promise<BrokerOrder> {
  const ask = await askCents(v, o.symbol);
  return manual(v, {
    symbol: o.symbol,
    side: o.side,
    qty: o.qty,
    type: 'limit',
    limitPrice: price(Math.max(1, Math.round((ask * o.pct) / 100))),
    timeInForce: 'gtc',
    ...(o.clientOrderId ? { clientOrderId: o.clientOrderId } : {}),
  });
}

const OPEN = new Set(['new', 'accepted', 'pending_new', 'partially_filled', 'held', 'pending_cancel']);

/** Every order in the account, legs included, as the broker reports it now. */
async function brokerOrders(v: Venue): Promise<BrokerOrder[]> {
  const top = await v.broker.listAllOrders({ status: 'all', nested: true });
  return top.flatMap((o) => [o, ...o.legs]);
}

async function accountQty(v: Venue): Promise<Map<string, number>> {
  return new Map((await v.broker.listPositions()).map((p) => [p.symbol, Number(p.qty)]));
}

const byClientId = async (v: Venue, id: string): Promise<BrokerOrder> => {
  const o = await v.broker.getOrderByClientOrderId(id);
  if (!o) throw new Error(`no order ${id}`);
  return o;
};

/** Catalyst's sells of the day per symbol, as the broker lists them (exits sent by the flatten/guard). */
async function catalystSells(v: Venue): Promise<Map<string, BrokerOrder[]>> {
  const out = new Map<string, BrokerOrder[]>();
  for (const o of await brokerOrders(v)) {
    const parts = parseClientOrderId(o.clientOrderId);
    if (o.side !== 'sell' || parts?.leg !== 'exit') continue;
    out.set(o.symbol, [...(out.get(o.symbol) ?? []), o]);
  }
  return out;
}

/**
 * From a twin simulator (same seed: prices do not depend on orders), the first moment after
 * `fillMs` at which `symbol` trades a cent or more under every price since `fillMs`, and that
 * level. A stop placed there is untouched until then — the broker checks stops at the end of each
 * minute — so at that moment the price is through a stop that is still working.
 */
async function firstNewLow(symbol: string, fillMs: number): Promise<{ atMs: number; stopCents: number }> {
  const oracle = await startManual({ seed: SEED, date: DATE, rateLimitPerMinute: 0 });
  try {
    const b = brokerFor(oracle);
    let low = Infinity;
    for (let m = 0; m < 120; m++) {
      const start = fillMs + m * MIN;
      // The forming price moves every 10 s; sample each step.
      for (let k = 0; k < 6; k++) {
        const t = start + k * 10_000 + 1_000;
        oracle.advanceTo(t);
        const p = cents((await b.getSnapshots([symbol])).get(symbol)!.latestTradePrice);
        if (m === 0 && k === 0) low = p; // the open of the fill minute
        if (p <= low - 1) return { atMs: t, stopCents: low - 1 };
      }
      oracle.advanceTo(start + MIN);
      const bars = await b.getBars({
        symbols: [symbol],
        timeframe: '1Min',
        start: new Date(start).toISOString(),
        end: new Date(start).toISOString(),
      });
      low = Math.min(low, cents(bars.get(symbol)![0]!.l));
    }
    throw new Error(`${symbol} made no new low within two hours of ${new Date(fillMs).toISOString()}`);
  } finally {
    await oracle.close();
  }
}

// ───────────────────────────── flatten ─────────────────────────────

describe('flattenCatalystBook in a shared account', () => {
  it('sells exactly Catalyst’s shares and cancels exactly its orders; everything else stays as it was', async () => {
    const v = await venue({ holdings: 'AAPL:100,MSFT:25' });
    v.sim.advanceTo(at('09:35', 10));
    const ours = [
      await catalystEntry(v, { symbol: 'AAPL', cycle: 1, qty: 10 }),
      await catalystEntry(v, { symbol: 'NVDA', cycle: 1, qty: 5 }),
      await catalystEntry(v, { symbol: 'AMD', cycle: 2, qty: 8, limitPct: -50, stopPct: -20, targetPct: 20 }),
    ];
    const theirs = [
      await resting(v, { symbol: 'TSLA', side: 'buy', qty: '3', pct: 50 }),
      await manual(v, { symbol: 'KO', side: 'buy', qty: '7' }),
      await manual(v, { symbol: 'NVDA', side: 'buy', qty: '3' }), // the symbol Catalyst is buying
      await resting(v, { symbol: 'MSFT', side: 'sell', qty: '5', pct: 200 }), // holds 5 of the 25
      // Catalyst's id, another day: not today's book.
      await resting(v, {
        symbol: 'INTC',
        side: 'buy',
        qty: '2',
        pct: 50,
        clientOrderId: clientOrderId({ tradingDate: OTHER_DATE, cycle: 1, symbol: 'INTC', leg: 'entry' }),
      }),
    ];
    v.sim.advanceTo(at('09:36', 30));

    // What Catalyst owns, by the broker's own record of the orders it placed.
    const bought = new Map<string, number>();
    for (const o of ours) bought.set(o.symbol, Number((await byClientId(v, o.clientOrderId)).filledQty));
    expect(bought.get('AAPL')).toBe(10);
    expect(bought.get('NVDA')).toBe(5);
    expect(bought.get('AMD')).toBe(0);
    const before = await accountQty(v);
    const openBefore = (await brokerOrders(v)).filter((o) => OPEN.has(o.status));
    const theirIds = new Set(theirs.map((o) => o.id));
    const theirOpen = openBefore.filter((o) => theirIds.has(o.id));
    expect(theirOpen.map((o) => o.symbol).sort()).toEqual(['INTC', 'MSFT', 'TSLA']);

    const outcome = await flattenCatalystBook(v.deps, { tradingDate: DATE });
    expect(outcome.failures).toEqual([]);
    expect(outcome.exits.map((e) => [e.symbol, e.qty]).sort()).toEqual([
      ['AAPL', 10],
      ['NVDA', 5],
    ]);
    v.sim.advanceTo(at('09:38'));

    const after = await accountQty(v);
    for (const [symbol, qty] of before)
      expect(after.get(symbol) ?? 0, symbol).toBe(qty - (bought.get(symbol) ?? 0));
    expect(Object.fromEntries(after)).toEqual({ AAPL: 100, MSFT: 25, KO: 7, NVDA: 3 });

    const now = await brokerOrders(v);
    for (const o of theirOpen) expect(now.find((x) => x.id === o.id)!.status, o.clientOrderId).toBe(o.status);
    const ourIds = new Set(ours.flatMap((o) => [o.id, ...o.legs.map((l) => l.id)]));
    const ourNow = now.filter(
      (o) => ourIds.has(o.id) || parseClientOrderId(o.clientOrderId)?.tradingDate === DATE,
    );
    expect(ourNow.length).toBe(ourIds.size + 2); // its 9 orders and the two exits
    expect(ourNow.filter((o) => OPEN.has(o.status))).toEqual([]);

    const book = await readBook(v.deps, { tradingDate: DATE });
    expect(isFlat(book)).toBe(true);
    expect(book.foreignPositions.sort((a, b) => (a.symbol < b.symbol ? -1 : 1))).toEqual([
      { symbol: 'AAPL', qty: '100' },
      { symbol: 'KO', qty: '7' },
      { symbol: 'MSFT', qty: '25' },
      { symbol: 'NVDA', qty: '3' },
    ]);
    expect(await checkFlat(v.deps, DATE)).toMatchObject({
      openPositions: 0,
      openOrders: 0,
      symbols: [],
      foreignPositions: 4,
      foreignOrders: 3,
      isOpen: true,
    });
  });

  it('in a symbol a person also holds and buys, sells only Catalyst’s quantity', async () => {
    const v = await venue({ holdings: 'AAPL:100' });
    v.sim.advanceTo(at('09:35', 10));
    const entry = await catalystEntry(v, { symbol: 'AAPL', cycle: 3, qty: 10 });
    v.sim.advanceTo(at('09:36', 10));
    await manual(v, { symbol: 'AAPL', side: 'buy', qty: '7' });
    v.sim.advanceTo(at('09:37', 10));

    const book = await readBook(v.deps, { tradingDate: DATE });
    const own = Number((await byClientId(v, entry.clientOrderId)).filledQty);
    expect(book.holdings).toEqual([
      expect.objectContaining({
        symbol: 'AAPL',
        openQty: own,
        closableQty: own,
        accountQty: String(100 + own + 7),
      }),
    ]);
    expect(book.foreignPositions).toEqual([{ symbol: 'AAPL', qty: '107' }]);

    const outcome = await flattenCatalystBook(v.deps, { tradingDate: DATE });
    expect(outcome.exits).toEqual([
      { symbol: 'AAPL', clientOrderId: 'cat-20261124-c03-AAPL-exit-a1', qty: own },
    ]);
    const [exit] = (await catalystSells(v)).get('AAPL')!;
    expect(exit!.qty).toBe(String(own));
    v.sim.advanceTo(at('09:39'));
    expect((await accountQty(v)).get('AAPL')).toBe(107);
    expect(isFlat(await readBook(v.deps, { tradingDate: DATE }))).toBe(true);
  });

  it('after a person sold some of Catalyst’s shares: sells what is left, never more, reports it, goes flat', async () => {
    const v = await venue();
    v.sim.advanceTo(at('09:35', 10));
    const entry = await catalystEntry(v, { symbol: 'XOM', cycle: 1, qty: 10 });
    v.sim.advanceTo(at('09:36', 10));
    // By hand: cancel the bracket's exits (the broker holds the shares for them), sell 4.
    const legs = (await byClientId(v, entry.clientOrderId)).legs;
    expect(await v.broker.cancelOrder(legs.find((l) => l.type === 'stop')!.id)).toBe('requested');
    await manual(v, { symbol: 'XOM', side: 'sell', qty: '4' });
    v.sim.advanceTo(at('09:37', 10));
    expect((await accountQty(v)).get('XOM')).toBe(6);

    const book = await readBook(v.deps, { tradingDate: DATE });
    expect(book.holdings).toEqual([expect.objectContaining({ symbol: 'XOM', openQty: 10, closableQty: 6 })]);
    expect(book.anomalies).toEqual([expect.stringContaining('XOM')]);

    const outcome = await flattenCatalystBook(v.deps, { tradingDate: DATE });
    expect(outcome.failures).toEqual([]);
    expect(outcome.exits.map((e) => e.qty)).toEqual([6]);
    v.sim.advanceTo(at('09:39'));
    expect((await accountQty(v)).get('XOM')).toBeUndefined();
    expect((await catalystSells(v)).get('XOM')!.map((o) => [o.qty, o.filledQty])).toEqual([['6', '6']]);

    const flat = await checkFlat(v.deps, DATE);
    expect(flat).toMatchObject({ openPositions: 0, openOrders: 0, symbols: [] });
    // Calling again sends nothing: no sell of shares the account does not hold.
    expect((await flattenCatalystBook(v.deps, { tradingDate: DATE })).exits).toEqual([]);
    expect((await catalystSells(v)).get('XOM')).toHaveLength(1);
  });

  it('with no day given (the halt with no day running), flattens Catalyst’s orders of every date, and only those', async () => {
    const v = await venue({ holdings: 'INTC:50' });
    v.sim.advanceTo(at('09:35', 10));
    // An entry carrying another day's id (a day whose workflow is gone), and one of today's.
    const ask = await askCents(v, 'INTC');
    const old = await v.broker.submitBracketOrder({
      clientOrderId: clientOrderId({ tradingDate: OTHER_DATE, cycle: 6, symbol: 'INTC', leg: 'entry' }),
      symbol: 'INTC',
      side: 'buy',
      qty: 4,
      entryType: 'limit',
      limitPrice: price(Math.ceil(ask * 1.01)),
      takeProfitLimitPrice: price(Math.ceil(ask * 1.2)),
      stopLossStopPrice: price(Math.floor(ask * 0.8)),
      timeInForce: 'gtc',
    });
    await catalystEntry(v, { symbol: 'AAPL', cycle: 1, qty: 3 });
    const dip = await resting(v, { symbol: 'INTC', side: 'buy', qty: '5', pct: 50 });
    v.sim.advanceTo(at('09:36', 10));

    // The day's book leaves the other day's position alone...
    const today = await readBook(v.deps, { tradingDate: DATE });
    expect(today.holdings.map((h) => h.symbol)).toEqual(['AAPL']);
    expect(today.foreignPositions).toEqual([{ symbol: 'INTC', qty: '54' }]);
    // ...the whole book does not.
    const outcome = await flattenCatalystBook(v.deps, { tradingDate: null, sinceMs: at('00:00') });
    expect(outcome.exits.map((e) => [e.symbol, e.clientOrderId, e.qty]).sort()).toEqual([
      ['AAPL', 'cat-20261124-c01-AAPL-exit-a1', 3],
      ['INTC', 'cat-20261123-c06-INTC-exit-a1', Number((await byClientId(v, old.clientOrderId)).filledQty)],
    ]);
    v.sim.advanceTo(at('09:38'));
    expect(Object.fromEntries(await accountQty(v))).toEqual({ INTC: 50 });
    expect((await brokerOrders(v)).find((o) => o.id === dip.id)!.status).toBe('new');
  });

  it('a halted symbol’s exit waits for the reopening print and holds up nothing else', async () => {
    const v = await venue({ market: { scenario: 'halt:AMD@10:00+30m' } });
    v.sim.advanceTo(at('09:35', 10));
    await catalystEntry(v, { symbol: 'AMD', cycle: 1, qty: 10 });
    await catalystEntry(v, { symbol: 'XOM', cycle: 1, qty: 10 });
    v.sim.advanceTo(at('10:05'));
    const outcome = await flattenCatalystBook(v.deps, { tradingDate: DATE });
    expect(outcome.failures).toEqual([]);
    expect(outcome.exits.map((e) => [e.symbol, e.qty])).toEqual([
      ['AMD', 10],
      ['XOM', 10],
    ]);
    v.sim.advanceTo(at('10:07'));
    expect(Object.fromEntries(await accountQty(v))).toEqual({ AMD: 10 });
    // Still halted: the flat check names the symbol, a second flatten waits instead of selling again.
    expect(await checkFlat(v.deps, DATE)).toMatchObject({
      openPositions: 1,
      openOrders: 1,
      symbols: ['AMD'],
    });
    const again = await flattenCatalystBook(v.deps, { tradingDate: DATE });
    expect(again).toMatchObject({ exits: [], exitsWorking: ['AMD'], failures: [] });
    v.sim.advanceTo(at('10:31'));
    expect(await accountQty(v)).toEqual(new Map());
    expect((await catalystSells(v)).get('AMD')).toHaveLength(1);
    expect(isFlat(await readBook(v.deps, { tradingDate: DATE }))).toBe(true);
  });
});

describe('a broker outage', () => {
  it('fails the flatten as retryable having sent nothing; afterwards the same exit ids are used', async () => {
    const v = await venue({ market: { scenario: 'outage@10:00+5m' } });
    v.sim.advanceTo(at('09:35', 10));
    await catalystEntry(v, { symbol: 'NVDA', cycle: 1, qty: 5 });
    v.sim.advanceTo(at('10:01'));
    const failure = await flattenCatalystBook(v.deps, { tradingDate: DATE }).then(
      () => null,
      (e: unknown) => e as { type?: string; nonRetryable?: boolean },
    );
    expect(failure).toMatchObject({ type: 'BrokerUnavailable', nonRetryable: false });
    v.sim.advanceTo(at('10:05'));
    expect(await catalystSells(v)).toEqual(new Map());
    const outcome = await flattenCatalystBook(v.deps, { tradingDate: DATE });
    expect(outcome.exits).toEqual([
      { symbol: 'NVDA', clientOrderId: 'cat-20261124-c01-NVDA-exit-a1', qty: 5 },
    ]);
  });
});

describe('exit ids converge: one sell per lot whoever decides it, however often', () => {
  it('racing and repeated flattens send one sell per symbol', async () => {
    const v = await venue();
    v.sim.advanceTo(at('09:35', 10));
    await catalystEntry(v, { symbol: 'AAPL', cycle: 1, qty: 10 });
    await catalystEntry(v, { symbol: 'NVDA', cycle: 2, qty: 5 });
    v.sim.advanceTo(at('09:36', 10));

    const raced = await Promise.all([
      flattenCatalystBook(v.deps, { tradingDate: DATE }),
      flattenCatalystBook(v.deps, { tradingDate: DATE }),
      flattenCatalystBook(v.deps, { tradingDate: DATE }),
    ]);
    for (const r of raced) expect(r.failures).toEqual([]);
    const sells = async () =>
      Object.fromEntries(
        [...(await catalystSells(v))].map(([s, list]) => [s, list.map((o) => o.clientOrderId)]),
      );
    expect(await sells()).toEqual({
      AAPL: ['cat-20261124-c01-AAPL-exit-a1'],
      NVDA: ['cat-20261124-c02-NVDA-exit-a1'],
    });

    // Again while the exits work: they are waited for, not doubled.
    const again = await flattenCatalystBook(v.deps, { tradingDate: DATE });
    expect(again.exits).toEqual([]);
    expect(again.exitsWorking.sort()).toEqual(['AAPL', 'NVDA']);
    v.sim.advanceTo(at('09:38'));
    // And once they filled, there is nothing left to sell.
    expect((await flattenCatalystBook(v.deps, { tradingDate: DATE })).exits).toEqual([]);
    expect(await sells()).toEqual({
      AAPL: ['cat-20261124-c01-AAPL-exit-a1'],
      NVDA: ['cat-20261124-c02-NVDA-exit-a1'],
    });
    expect(isFlat(await readBook(v.deps, { tradingDate: DATE }))).toBe(true);
  });

  it('sends the symbols’ cancels and exits side by side, one symbol’s requests in order', async () => {
    const v = await venue();
    v.sim.advanceTo(at('09:35', 10));
    for (const [i, symbol] of ['AAPL', 'NVDA', 'KO'].entries())
      await catalystEntry(v, { symbol, cycle: i + 1, qty: 10 });
    v.sim.advanceTo(at('09:36', 10));
    // The broker as the flatten sees it, with a note of what is in flight at once.
    let inFlight = 0;
    let most = 0;
    const log: string[] = [];
    const track =
      <A extends unknown[], R>(name: string, f: (...a: A) => Promise<R>) =>
      async (...a: A): Promise<R> => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        try {
          return await f(...a);
        } finally {
          inFlight -= 1;
          log.push(name);
        }
      };
    const broker: Broker = {
      ...v.broker,
      cancelOrder: track('cancel', v.broker.cancelOrder.bind(v.broker)),
      submitOrder: track('exit', (r: SimpleOrderRequest) => v.broker.submitOrder(r)),
    };
    const outcome = await flattenCatalystBook({ broker }, { tradingDate: DATE });
    expect(outcome.failures).toEqual([]);
    expect(outcome.exits.map((e) => e.symbol).sort()).toEqual(['AAPL', 'KO', 'NVDA']);
    expect(log.filter((x) => x === 'exit')).toHaveLength(3);
    // Three symbols' requests overlapped; the exits came only after every cancel had landed.
    expect(most).toBeGreaterThanOrEqual(3);
    expect(log.lastIndexOf('cancel')).toBeLessThan(log.indexOf('exit'));
  });

  it('an exit cancelled before it filled is followed by the lot’s next attempt, never two at once', async () => {
    const v = await venue();
    v.sim.advanceTo(at('09:35', 10));
    await catalystEntry(v, { symbol: 'AAPL', cycle: 4, qty: 10 });
    v.sim.advanceTo(at('09:36', 10));
    const first = await flattenCatalystBook(v.deps, { tradingDate: DATE });
    expect(first.exits.map((e) => e.clientOrderId)).toEqual(['cat-20261124-c04-AAPL-exit-a1']);
    // Someone cancels it (or the broker expires it).
    const a1 = await byClientId(v, 'cat-20261124-c04-AAPL-exit-a1');
    expect(await v.broker.cancelOrder(a1.id)).toBe('requested');
    const [x, y] = await Promise.all([
      flattenCatalystBook(v.deps, { tradingDate: DATE }),
      flattenCatalystBook(v.deps, { tradingDate: DATE }),
    ]);
    expect([...x.exits, ...y.exits].map((e) => e.clientOrderId)).toEqual([
      'cat-20261124-c04-AAPL-exit-a2',
      'cat-20261124-c04-AAPL-exit-a2',
    ]);
    const list = (await catalystSells(v)).get('AAPL')!;
    expect(list.map((o) => [o.clientOrderId, o.status])).toEqual([
      ['cat-20261124-c04-AAPL-exit-a1', 'canceled'],
      ['cat-20261124-c04-AAPL-exit-a2', 'new'],
    ]);
  });
});

// ───────────────────────────── partial fills and paging ─────────────────────────────

describe('partially filled entries', () => {
  it('holdings follow the filled quantity and the average price; a flatten sells only what filled', async () => {
    const v = await venue({ trading: { partialFillRate: 1 } });
    v.sim.advanceTo(at('09:35', 10));
    const entry = await catalystEntry(v, { symbol: 'AAPL', cycle: 1, qty: 20 });
    v.sim.advanceTo(at('09:36', 10));

    const part = await byClientId(v, entry.clientOrderId);
    expect(part.status).toBe('partially_filled');
    const q1 = Number(part.filledQty);
    expect(q1).toBeGreaterThan(0);
    expect(q1).toBeLessThan(20);
    const book = await readBook(v.deps, { tradingDate: DATE });
    expect(book.holdings).toEqual([
      expect.objectContaining({ openQty: q1, closableQty: q1, accountQty: String(q1) }),
    ]);
    expect(toMicros(book.holdings[0]!.avgEntryPrice!)).toBe(toMicros(part.filledAvgPrice!));

    // Flatten now: the entry is cancelled (no more shares come) and exactly q1 are sold.
    const outcome = await flattenCatalystBook(v.deps, { tradingDate: DATE });
    expect(outcome.exits.map((e) => e.qty)).toEqual([q1]);
    v.sim.advanceTo(at('09:40'));
    const done = await byClientId(v, entry.clientOrderId);
    expect(done).toMatchObject({ status: 'canceled', filledQty: String(q1) });
    expect((await accountQty(v)).get('AAPL')).toBeUndefined();
    expect(isFlat(await readBook(v.deps, { tradingDate: DATE }))).toBe(true);
  });
});

describe('readBook pages through a busy account', () => {
  it('with more than 500 orders in the day, still sees every one of Catalyst’s', async () => {
    const v = await venue();
    let t = at('09:35', 1);
    v.sim.advanceTo(t);
    const ours = [await catalystEntry(v, { symbol: 'AAPL', cycle: 1, qty: 2 })];
    // 530 small orders by hand, in bursts at distinct instants (the broker pages by submission time).
    const theirs: BrokerOrder[] = [];
    for (let burst = 0; burst < 11; burst++) {
      v.sim.advanceTo((t += 1_000));
      for (let i = 0; i < 48; i++)
        theirs.push(
          await manual(v, {
            symbol: 'AAPL',
            side: 'buy',
            qty: '1',
            type: 'limit',
            limitPrice: '1.00',
            timeInForce: 'gtc',
          }),
        );
      if (burst === 5) ours.push(await catalystEntry(v, { symbol: 'MSFT', cycle: 1, qty: 2 }));
    }
    v.sim.advanceTo((t += 1_000));
    ours.push(await catalystEntry(v, { symbol: 'NVDA', cycle: 1, qty: 2 }));
    expect(theirs.length + ours.length).toBeGreaterThan(500);

    const book = await readBook(v.deps, { tradingDate: DATE });
    expect(book.orders.map((o) => o.clientOrderId).sort()).toEqual(ours.map((o) => o.clientOrderId).sort());
    expect(book.foreignOrders).toHaveLength(theirs.length);

    // And the flatten acts on all of Catalyst's, none of the 528.
    v.sim.advanceTo(at('09:37'));
    const outcome = await flattenCatalystBook(v.deps, { tradingDate: DATE });
    expect(outcome.exits.map((e) => e.symbol).sort()).toEqual(['AAPL', 'MSFT', 'NVDA']);
    const now = await brokerOrders(v);
    const theirIds = new Set(theirs.map((o) => o.id));
    expect(now.filter((o) => theirIds.has(o.id) && o.status === 'new')).toHaveLength(theirs.length);
  });
});

// ───────────────────────────── the monitor's guard ─────────────────────────────

/** The config in force with another max hold, as a hand edit of trading_config.yaml would make it. */
function withMaxHold(source: SettingsSource, minutes: number): SettingsSource {
  const base = source.current();
  const edited = {
    ...base,
    trading: { ...base.trading, positions: { ...base.trading.positions, max_hold_time_minutes: minutes } },
  };
  return { ...source, current: () => edited, at: () => edited };
}

describe('guardPositions', () => {
  let settings: SettingsSource;
  beforeAll(() => {
    settings = createSettingsSource({ configDir: CONFIG_DIR, env: {} });
  });
  afterAll(() => settings.close());
  // The guard reads the max hold from the config in force at each tick.
  const guard = (v: Venue, maxHoldMinutes = 390) =>
    guardPositions(
      { broker: v.broker, settings: withMaxHold(settings, maxHoldMinutes) },
      { tradingDate: DATE },
    );

  it('while the day is halted, exits every holding of Catalyst’s and cancels its entries, and nothing else', async () => {
    const v = await venue();
    v.sim.advanceTo(at('09:35', 10));
    await catalystEntry(v, { symbol: 'NVDA', cycle: 1, qty: 10 });
    const pending = await catalystEntry(v, {
      symbol: 'AMD',
      cycle: 1,
      qty: 8,
      limitPct: -50,
      stopPct: -20,
      targetPct: 20,
    });
    const mine = await resting(v, { symbol: 'AMD', side: 'buy', qty: '4', pct: 50 });
    v.sim.advanceTo(at('09:36', 10));
    const calm = await guard(v);
    expect(calm.exits).toEqual([]);
    const report = await guardPositions(
      { broker: v.broker, settings: withMaxHold(settings, 390) },
      { tradingDate: DATE, halted: true },
    );
    expect(report.exits.map((e) => [e.symbol, e.reason])).toEqual([['NVDA', 'halted']]);
    v.sim.advanceTo(at('09:38', 10));
    const status = async (id: string) => (await brokerOrders(v)).find((o) => o.id === id)!.status;
    expect(await status(pending.id)).toBe('canceled');
    expect(await status(mine.id)).toBe('new');
    expect((await accountQty(v)).get('NVDA')).toBeUndefined();
  });

  it('price through the stop: no exit while the stop leg works; once it is cancelled by hand, a backstop exit', async () => {
    const fill = at('09:36');
    const low = await firstNewLow('NVDA', fill);
    const v = await venue();
    v.sim.advanceTo(at('09:35', 10));
    const entry = await catalystEntry(v, { symbol: 'NVDA', cycle: 1, qty: 10, stopCents: low.stopCents });
    v.sim.advanceTo(low.atMs);

    const live = await byClientId(v, entry.clientOrderId);
    const stopLeg = live.legs.find((l) => l.type === 'stop')!;
    expect(stopLeg.status).toBe('new');
    const book = await readBook(v.deps, { tradingDate: DATE });
    const h = book.holdings[0]!;
    expect(toMicros(h.currentPrice!)).toBeLessThanOrEqual(toMicros(h.stopPrice!));

    const working = await guard(v);
    expect(working.exits).toEqual([]);
    expect(await catalystSells(v)).toEqual(new Map());

    expect(await v.broker.cancelOrder(stopLeg.id)).toBe('requested');
    const report = await guard(v);
    expect(report.closeFailures).toEqual([]);
    expect(report.exits).toEqual([
      {
        symbol: 'NVDA',
        clientOrderId: 'cat-20261124-c01-NVDA-exit-a1',
        qty: 10,
        reason: 'backstop_stop',
        price: h.currentPrice,
        stopPrice: price(low.stopCents),
      },
    ]);
    expect(report.closedByMonitor).toEqual(['NVDA']);
    v.sim.advanceTo(low.atMs + 2 * MIN);
    expect((await accountQty(v)).get('NVDA')).toBeUndefined();
  });

  it('a working take-profit is not a stop: with no stop working, the backstop still exits', async () => {
    const fill = at('09:36');
    const low = await firstNewLow('NVDA', fill);
    const v = await venue();
    v.sim.advanceTo(at('09:35', 10));
    const entry = await catalystEntry(v, { symbol: 'NVDA', cycle: 1, qty: 10, stopCents: low.stopCents });
    v.sim.advanceTo(at('09:35', 20));
    // A second lot of Catalyst's with a take-profit only (an OTO entry).
    const ask = await askCents(v, 'NVDA');
    const oto = await api(v.sim, 'POST', '/v2/orders', {
      symbol: 'NVDA',
      qty: '3',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
      order_class: 'oto',
      take_profit: { limit_price: price(Math.ceil(ask * 1.2)) },
      client_order_id: clientOrderId({ tradingDate: DATE, cycle: 2, symbol: 'NVDA', leg: 'entry' }),
    });
    expect(oto.status).toBe(200);
    v.sim.advanceTo(low.atMs);
    const stopLeg = (await byClientId(v, entry.clientOrderId)).legs.find((l) => l.type === 'stop')!;
    expect(await v.broker.cancelOrder(stopLeg.id)).toBe('requested');

    const book = await readBook(v.deps, { tradingDate: DATE });
    const h = book.holdings[0]!;
    const working = h.orders.filter((o) => OPEN.has(o.status));
    expect(working.map((o) => [o.side, o.type])).toEqual([['sell', 'limit']]);
    expect(toMicros(h.currentPrice!)).toBeLessThanOrEqual(toMicros(h.stopPrice!));

    const report = await guard(v);
    expect(report.exits).toEqual([
      expect.objectContaining({ symbol: 'NVDA', qty: 13, reason: 'backstop_stop' }),
    ]);
    // The take-profit was cancelled first, so the whole 13 could be sold.
    const tp = (await brokerOrders(v)).find((o) => o.id === working[0]!.id)!;
    expect(tp.status).toBe('canceled');
  });

  it('a partly filled entry’s stop is held, not working: through it, the backstop cancels the entry and sells what filled', async () => {
    const low = await firstNewLow('NVDA', at('09:36'));
    const v = await venue({ trading: { partialFillRate: 1 } });
    v.sim.advanceTo(at('09:35', 10));
    const entry = await catalystEntry(v, { symbol: 'NVDA', cycle: 1, qty: 20, stopCents: low.stopCents });
    v.sim.advanceTo(low.atMs);
    const part = await byClientId(v, entry.clientOrderId);
    // The premise: the rest of the entry comes at the next minute, so the legs still wait.
    expect(part.status).toBe('partially_filled');
    expect(part.legs.map((l) => l.status)).toEqual(['held', 'held']);
    const q1 = Number(part.filledQty);

    const report = await guard(v);
    expect(report.exits).toEqual([
      expect.objectContaining({ symbol: 'NVDA', qty: q1, reason: 'backstop_stop' }),
    ]);
    expect((await byClientId(v, entry.clientOrderId)).status).toBe('canceled');
    v.sim.advanceTo(low.atMs + 3 * MIN);
    expect(await accountQty(v)).toEqual(new Map());
    expect(isFlat(await readBook(v.deps, { tradingDate: DATE }))).toBe(true);
  });

  it('held past max_hold_time_minutes: exits at the minute, not a second before, and only that holding', async () => {
    const v = await venue();
    v.sim.advanceTo(at('09:35', 10));
    const entry = await catalystEntry(v, { symbol: 'NVDA', cycle: 1, qty: 10 });
    v.sim.advanceTo(at('09:36', 5));
    // The hold runs from when the entry was sent: the earliest it can have filled.
    const filledAt = Date.parse((await byClientId(v, entry.clientOrderId)).submittedAt!);
    // A younger holding of Catalyst's: not due when the first one is.
    v.sim.advanceTo(at('09:50', 10));
    const younger = await catalystEntry(v, { symbol: 'AAPL', cycle: 2, qty: 4 });

    v.sim.advanceTo(filledAt + 30 * MIN - 1_000);
    const early = await guard(v, 30);
    expect(early.exits).toEqual([]);
    expect(early.openPositions).toBe(2);

    v.sim.advanceTo(filledAt + 30 * MIN);
    const due = await guard(v, 30);
    expect(due.exits).toEqual([
      expect.objectContaining({ symbol: 'NVDA', qty: 10, reason: 'max_hold_exit' }),
    ]);
    v.sim.advanceTo(filledAt + 32 * MIN);
    const qty = await accountQty(v);
    expect(qty.get('NVDA')).toBeUndefined();
    expect(qty.get('AAPL')).toBe(4);
    // NVDA's legs went first; AAPL's bracket is untouched.
    const book = await readBook(v.deps, { tradingDate: DATE });
    expect(
      book.holdings.filter((h) => h.orders.some((o) => OPEN.has(o.status))).map((h) => h.symbol),
    ).toEqual(['AAPL']);
    const aapl = await byClientId(v, younger.clientOrderId);
    expect(aapl.legs.map((l) => l.status)).toEqual(['new', 'new']);
  });

  // Holding.openedAt is documented as "first fill of the oldest open lot: where the max-hold clock
  // starts", but it is read from the entry's filled_at, which the broker moves to the last fill
  // when the entry completes: an entry filled in parts restarts the clock at its final part.
  it('the max-hold clock starts at the entry’s first fill, also when it filled in parts', async () => {
    const v = await venue({ trading: { partialFillRate: 1 } });
    v.sim.advanceTo(at('09:35', 10));
    const entry = await catalystEntry(v, { symbol: 'NVDA', cycle: 1, qty: 20 });
    v.sim.advanceTo(at('09:36', 5));
    const part = await byClientId(v, entry.clientOrderId);
    expect(part.status).toBe('partially_filled');
    const firstFill = at('09:36');
    v.sim.advanceTo(at('09:37', 5));
    expect((await byClientId(v, entry.clientOrderId)).status).toBe('filled');

    v.sim.advanceTo(firstFill + 30 * MIN);
    const due = await guard(v, 30);
    expect(due.exits).toEqual([
      expect.objectContaining({ symbol: 'NVDA', qty: 20, reason: 'max_hold_exit' }),
    ]);
  });

  it('cancels Catalyst’s entry still unfilled 5 market minutes after it was sent, and nothing else', async () => {
    const v = await venue();
    v.sim.advanceTo(at('09:35', 10));
    const stale = await catalystEntry(v, {
      symbol: 'AMD',
      cycle: 1,
      qty: 8,
      limitPct: -50,
      stopPct: -20,
      targetPct: 20,
    });
    const filled = await catalystEntry(v, { symbol: 'NVDA', cycle: 1, qty: 5 });
    const dip = await resting(v, { symbol: 'AMD', side: 'buy', qty: '4', pct: 50 });
    const sent = Date.parse(stale.submittedAt!);

    v.sim.advanceTo(sent + 5 * MIN - 1_000);
    expect((await guard(v)).staleEntriesCancelled).toEqual([]);
    v.sim.advanceTo(sent + 5 * MIN);
    const report = await guard(v);
    expect(report.staleEntriesCancelled).toEqual([stale.clientOrderId]);

    const status = async (id: string) => (await brokerOrders(v)).find((o) => o.id === id)!.status;
    expect(await status(stale.id)).toBe('canceled');
    for (const leg of stale.legs) expect(await status(leg.id)).toBe('canceled');
    expect(await status(dip.id)).toBe('new');
    expect(await status(filled.id)).toBe('filled');
    for (const leg of filled.legs) expect(await status(leg.id)).toBe('new');
  });

  it('a symbol that cannot be closed does not stop the others', async () => {
    const v = await venue();
    v.sim.advanceTo(at('09:35', 10));
    const amd = await catalystEntry(v, { symbol: 'AMD', cycle: 1, qty: 10 });
    await catalystEntry(v, { symbol: 'XOM', cycle: 1, qty: 10 });
    v.sim.advanceTo(at('09:36', 10));
    // By hand: the AMD bracket's exits cancelled and a GTC sell holding all 10 shares in their place.
    const stop = (await byClientId(v, amd.clientOrderId)).legs.find((l) => l.type === 'stop')!;
    expect(await v.broker.cancelOrder(stop.id)).toBe('requested');
    const held = await resting(v, { symbol: 'AMD', side: 'sell', qty: '10', pct: 200 });

    v.sim.advanceTo(at('09:46', 10));
    const report = await guard(v, 10);
    expect(report.exits.map((e) => [e.symbol, e.reason])).toEqual([['XOM', 'max_hold_exit']]);
    expect(report.closeFailures).toEqual([
      { symbol: 'AMD', message: expect.stringMatching(/insufficient qty/) },
    ]);
    expect(report.closedByMonitor).toEqual(['XOM']);
    expect(report.foreignSymbols).toEqual(['AMD']);

    v.sim.advanceTo(at('09:48'));
    const qty = await accountQty(v);
    expect(qty.get('XOM')).toBeUndefined();
    expect(qty.get('AMD')).toBe(10);
    expect((await brokerOrders(v)).find((o) => o.id === held.id)!.status).toBe('new');
  });
});

// ───────────────────────────── bookkeeping ─────────────────────────────

describe('recordBook and summarize', () => {
  let d: MigratedDatabase;
  beforeAll(async () => {
    d = await createMigratedDatabase();
  });
  afterAll(async () => {
    await d?.dispose();
  });

  const count = async (table: 'orders' | 'positions', accountId: string) =>
    (
      await rows<{ n: number }>(
        d.db,
        sql`select count(*)::int as n from ${sql.identifier(table)} where account_id = ${accountId}`,
      )
    )[0]!.n;
  const events = (accountId: string) =>
    rows<{ event_type: string; symbol: string | null; details: Record<string, unknown> | null }>(
      d.db,
      sql`select e.event_type, s.symbol, e.details from risk_events e left join securities s on s.id = e.security_id
          where e.event_key like ${`${accountId}/%`} order by e.event_key`,
    );

  /** Holdings before the day, Catalyst's orders in three states, and orders by hand. */
  async function sharedDay(v: Venue) {
    v.sim.advanceTo(at('09:35', 10));
    const ours = [
      await catalystEntry(v, { symbol: 'NVDA', cycle: 1, qty: 10 }),
      await catalystEntry(v, { symbol: 'AAPL', cycle: 1, qty: 5 }),
      await catalystEntry(v, { symbol: 'AMD', cycle: 2, qty: 8, limitPct: -50, stopPct: -20, targetPct: 20 }),
    ];
    const theirs = [
      await manual(v, { symbol: 'KO', side: 'buy', qty: '7' }),
      await resting(v, { symbol: 'TSLA', side: 'buy', qty: '3', pct: 50 }),
      await resting(v, {
        symbol: 'INTC',
        side: 'buy',
        qty: '2',
        pct: 50,
        clientOrderId: clientOrderId({ tradingDate: OTHER_DATE, cycle: 1, symbol: 'INTC', leg: 'entry' }),
      }),
    ];
    v.sim.advanceTo(at('09:36', 10));
    return { ours, theirs };
  }

  it('writes only Catalyst’s orders and positions, one event per foreign holding; twice writes no duplicate', async () => {
    const v = await venue({ holdings: 'AAPL:100' });
    const { ours, theirs } = await sharedDay(v);
    const deps = { broker: v.broker, db: d.db, accountId: 'acct-record' };

    const first = await recordBook(deps, { tradingDate: DATE });
    const ourIds = ours.flatMap((o) => [o.id, ...o.legs.map((l) => l.id)]);
    expect(first.ordersWritten).toBe(ourIds.length);
    const stored = await rows<{
      broker_order_id: string;
      leg_role: string;
      parent_broker_order_id: string | null;
    }>(
      d.db,
      sql`select broker_order_id, leg_role, parent_broker_order_id from orders where account_id = 'acct-record'`,
    );
    expect(stored.map((r) => r.broker_order_id).sort()).toEqual([...ourIds].sort());
    for (const o of ours) {
      expect(stored.find((r) => r.broker_order_id === o.id)).toMatchObject({
        leg_role: 'entry',
        parent_broker_order_id: null,
      });
      for (const leg of o.legs)
        expect(stored.find((r) => r.broker_order_id === leg.id)).toMatchObject({
          leg_role: leg.type === 'limit' ? 'take_profit' : 'stop_loss',
          parent_broker_order_id: o.id,
        });
    }
    for (const o of theirs) expect(stored.some((r) => r.broker_order_id === o.id)).toBe(false);

    // Positions: the two entries that filled, as the broker filled them.
    const positions = await rows<{
      entry_client_order_id: string;
      qty: string;
      entry_price: string;
      stop_price: string;
      take_profit_price: string;
      status: string;
    }>(
      d.db,
      sql`select entry_client_order_id, qty, entry_price, stop_price, take_profit_price, status
          from positions where account_id = 'acct-record' order by entry_client_order_id`,
    );
    const filledEntries = await Promise.all(ours.slice(0, 2).map((o) => byClientId(v, o.clientOrderId)));
    const amounts = (r: Record<string, string | null>, keys: string[]) =>
      keys.map((k) => micros(r[k] ?? null));
    expect(
      positions.map((r) => [
        r.entry_client_order_id,
        r.status,
        ...amounts(r, ['qty', 'entry_price', 'stop_price', 'take_profit_price']),
      ]),
    ).toEqual(
      filledEntries
        .sort((a, b) => (a.clientOrderId < b.clientOrderId ? -1 : 1))
        .map((o) => [
          o.clientOrderId,
          'open',
          micros(o.filledQty),
          micros(o.filledAvgPrice),
          micros(o.legs.find((l) => l.type === 'stop')!.stopPrice),
          micros(o.legs.find((l) => l.type === 'limit')!.limitPrice),
        ]),
    );

    // AAPL: the 100 held before the day; KO: bought by hand. One event each.
    const foreign = (await events('acct-record')).filter((e) => e.event_type === 'foreign_position');
    expect(foreign.map((e) => [e.symbol, e.details?.qty])).toEqual([
      ['AAPL', '100'],
      ['KO', '7'],
    ]);
    const foreignOrders = (await events('acct-record')).filter((e) => e.event_type === 'foreign_order');
    expect(foreignOrders.map((e) => e.symbol).sort()).toEqual(['INTC', 'TSLA']);

    const before = {
      orders: await count('orders', 'acct-record'),
      positions: await count('positions', 'acct-record'),
      events: (await events('acct-record')).length,
    };
    await recordBook(deps, { tradingDate: DATE });
    expect({
      orders: await count('orders', 'acct-record'),
      positions: await count('positions', 'acct-record'),
      events: (await events('acct-record')).length,
    }).toEqual(before);
    expect(before).toEqual({ orders: 9, positions: 2, events: 4 });
  });

  it('positions follow a partially filled entry to its full fill, then its exit, in one row', async () => {
    const v = await venue({ trading: { partialFillRate: 1 } });
    const deps = { broker: v.broker, db: d.db, accountId: 'acct-partial' };
    const position = async () =>
      (
        await rows<{
          qty: string;
          entry_price: string;
          status: string;
          exit_price: string | null;
          realized_pnl: string | null;
          exit_reason: string | null;
        }>(
          d.db,
          sql`select qty, entry_price, status, exit_price, realized_pnl, exit_reason from positions where account_id = 'acct-partial'`,
        )
      )[0]!;

    v.sim.advanceTo(at('09:35', 10));
    const entry = await catalystEntry(v, { symbol: 'AAPL', cycle: 1, qty: 20 });
    v.sim.advanceTo(at('09:36', 10));
    const part = await byClientId(v, entry.clientOrderId);
    expect(part.status).toBe('partially_filled');
    await recordBook(deps, { tradingDate: DATE });
    const opened = await position();
    expect([opened.status, micros(opened.qty), micros(opened.entry_price)]).toEqual([
      'open',
      micros(part.filledQty),
      micros(part.filledAvgPrice),
    ]);

    v.sim.advanceTo(at('09:37', 10));
    const whole = await byClientId(v, entry.clientOrderId);
    expect(whole).toMatchObject({ status: 'filled', filledQty: '20' });
    const book = await readBook(v.deps, { tradingDate: DATE });
    expect(book.holdings[0]).toMatchObject({ openQty: 20, closableQty: 20 });
    expect(micros(book.holdings[0]!.avgEntryPrice)).toBe(micros(whole.filledAvgPrice));
    await recordBook(deps, { tradingDate: DATE });
    const grown = await position();
    expect([grown.status, micros(grown.qty), micros(grown.entry_price)]).toEqual([
      'open',
      micros('20'),
      micros(whole.filledAvgPrice),
    ]);

    await flattenCatalystBook(v.deps, { tradingDate: DATE });
    v.sim.advanceTo(at('09:40'));
    const exit = await byClientId(v, 'cat-20261124-c01-AAPL-exit-a1');
    expect(exit).toMatchObject({ status: 'filled', filledQty: '20' });
    await recordBook(deps, { tradingDate: DATE });
    const realized = (toMicros(exit.filledAvgPrice!) - toMicros(whole.filledAvgPrice!)) * 20n;
    const closed = await position();
    expect(closed).toMatchObject({ status: 'closed', exit_reason: 'exit' });
    expect(micros(closed.exit_price)).toBe(micros(exit.filledAvgPrice));
    expect(toMicros(closed.realized_pnl!)).toBe(realized);
    expect(await count('positions', 'acct-partial')).toBe(1);
  });

  it('the guard’s actions become risk events once, however many ticks report them', async () => {
    const v = await venue();
    v.sim.advanceTo(at('09:35', 10));
    const stale = await catalystEntry(v, {
      symbol: 'AMD',
      cycle: 1,
      qty: 8,
      limitPct: -50,
      stopPct: -20,
      targetPct: 20,
    });
    await catalystEntry(v, { symbol: 'NVDA', cycle: 1, qty: 5 });
    v.sim.advanceTo(at('09:46', 10));
    const settings = createSettingsSource({ configDir: CONFIG_DIR, env: {} });
    const report = await guardPositions(
      { broker: v.broker, settings: withMaxHold(settings, 10) },
      { tradingDate: DATE },
    );
    settings.close();
    expect(report.staleEntriesCancelled).toEqual([stale.clientOrderId]);
    expect(report.exits.map((e) => [e.symbol, e.reason])).toEqual([['NVDA', 'max_hold_exit']]);

    const deps = { broker: v.broker, db: d.db, accountId: 'acct-guard' };
    for (let tick = 0; tick < 3; tick++) await recordBook(deps, { tradingDate: DATE, guard: report });
    const written = await events('acct-guard');
    expect(written.map((e) => e.event_type).sort()).toEqual(['entry_unfilled', 'max_hold_exit']);
    expect(written.find((e) => e.event_type === 'max_hold_exit')!.symbol).toBe('NVDA');
  });

  it('summarize counts only Catalyst’s entries, fills and open positions', async () => {
    const v = await venue({ holdings: 'AAPL:100' });
    const { ours } = await sharedDay(v);
    // Ours, by the broker's record of what the test placed.
    const placed = await Promise.all(ours.map((o) => byClientId(v, o.clientOrderId)));
    const all = placed.flatMap((o) => [o, ...o.legs]);
    const summary = summarize(await readBook(v.deps, { tradingDate: DATE }));
    expect(summary).toEqual({
      ordersSubmitted: ours.length,
      fills: all.filter((o) => Number(o.filledQty) > 0).length,
      realizedPnl: '0.00',
      openPositionsAtClose: placed.filter((o) => Number(o.filledQty) > 0).length,
      openOrdersAtClose: all.filter((o) => OPEN.has(o.status)).length,
    });
    expect(summary).toMatchObject({
      ordersSubmitted: 3,
      fills: 2,
      openPositionsAtClose: 2,
      openOrdersAtClose: 7,
    });

    await flattenCatalystBook(v.deps, { tradingDate: DATE });
    v.sim.advanceTo(at('09:38'));
    const exits = await Promise.all(
      ['NVDA', 'AAPL'].map((s) =>
        byClientId(v, clientOrderId({ tradingDate: DATE, cycle: 1, symbol: s, leg: 'exit', attempt: 1 })),
      ),
    );
    const realized = exits.reduce((sum, x) => {
      const e = placed.find((o) => o.symbol === x.symbol)!;
      return sum + (toMicros(x.filledAvgPrice!) - toMicros(e.filledAvgPrice!)) * BigInt(x.filledQty);
    }, 0n);
    const end = summarize(await readBook(v.deps, { tradingDate: DATE }));
    expect(end).toMatchObject({
      ordersSubmitted: 3,
      fills: 4,
      openPositionsAtClose: 0,
      openOrdersAtClose: 0,
    });
    expect(toMicros(end.realizedPnl)).toBe(realized);
  });
});
