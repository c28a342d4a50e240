import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlpacaBroker } from '../../src/broker/alpacaBroker';
import type { Broker, BrokerOrder, BracketOrderRequest, SimpleOrderRequest } from '../../src/broker/port';
import { formatMicros, toMicros } from '../../src/domain/money';
import { ErrorType } from '../../src/shared';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { api, at, type Json, startManual, tradableSymbols } from '../sim/simKit';
import { brokerFor, failureOf } from './brokerKit';

const DATE = '2026-11-27'; // early close at 13:00
const MIN = 60_000;

describe('Alpaca adapter (real @alpacahq/alpaca-trade-api client) against the simulator', () => {
  let sim: RunningSimulator;
  let broker: Broker;
  beforeAll(async () => {
    sim = await startManual({ seed: 31, date: DATE });
    broker = brokerFor(sim);
  });
  afterAll(() => sim.close());

  it('reads account, clock, calendar and assets', async () => {
    const account = await broker.getAccount();
    expect(account).toMatchObject({
      cash: '100000.00',
      equity: '100000.00',
      buyingPower: '100000.00',
      currency: 'USD',
      patternDayTrader: false,
    });
    const clock = await broker.getClock();
    expect(clock).toEqual({
      timestamp: '2026-11-27T09:29:00.000-05:00',
      isOpen: false,
      nextOpen: '2026-11-27T09:30:00.000-05:00',
      nextClose: '2026-11-27T13:00:00.000-05:00',
    });
    const calendar = await broker.getCalendar('2026-11-25', '2026-11-30');
    expect(calendar).toEqual([
      { date: '2026-11-25', open: '09:30', close: '16:00' },
      { date: '2026-11-27', open: '09:30', close: '13:00' },
      { date: '2026-11-30', open: '09:30', close: '16:00' },
    ]);
    const assets = await broker.listAssets();
    expect(assets.filter((a) => a.tradable && a.status === 'active').length).toBeGreaterThanOrEqual(4000);
    expect(assets.find((a) => a.symbol === 'AAPL')).toMatchObject({ exchange: 'NASDAQ', tradable: true });
  });

  it('chunks snapshots and pages bars for large symbol lists', async () => {
    sim.advanceTo(at(DATE, '10:00'));
    const symbols = (await tradableSymbols(sim)).slice(0, 1200);
    const snaps = await broker.getSnapshots([...symbols, 'NOTREAL1']);
    expect(snaps.size).toBe(1200);
    const aapl = snaps.get(symbols[0]!)!;
    expect(aapl.askPrice).toBeGreaterThan(aapl.bidPrice);
    expect(aapl.minuteBar?.t).toBe(new Date(at(DATE, '09:59')).toISOString());
    expect(aapl.prevDailyBar).not.toBeNull();
    expect(Date.parse(aapl.latestTradeTime)).toBeLessThanOrEqual(sim.nowMs());

    // 600 symbols × 30 minutes = 18,000 bars: two requests, the first of them paged.
    const bars = await broker.getBars({ symbols: symbols.slice(0, 600), timeframe: '1Min', start: DATE });
    expect(bars.size).toBe(600);
    for (const list of bars.values()) expect(list).toHaveLength(30);
    const raw = await api(sim, 'GET', `/v2/stocks/bars?symbols=${symbols[5]}&timeframe=1Min&start=${DATE}`);
    expect(bars.get(symbols[5]!)).toEqual(
      raw.body.bars[symbols[5]!].map((b: Json) => ({ ...b, t: new Date(b.t).toISOString() })),
    );
    const daily = await broker.getBars({
      symbols: ['AAPL'],
      timeframe: '1Day',
      start: '2026-10-01',
      end: '2026-11-27T23:00:00Z',
    });
    expect(daily.get('AAPL')!.length).toBeGreaterThanOrEqual(30);
  });

  it('reads the news of many symbols in a window, each story once, oldest first, never past its end', async () => {
    sim.advanceTo(at(DATE, '10:00'));
    const symbols = await tradableSymbols(sim);
    const start = new Date(at('2026-11-25', '16:00')).toISOString();
    const end = new Date(at(DATE, '09:45')).toISOString();
    const news = await broker.getNews({ symbols, start, end });
    expect(news.length).toBeGreaterThan(50); // several pages and many symbol groups
    expect(new Set(news.map((n) => n.id)).size).toBe(news.length);
    const times = news.map((n) => Date.parse(n.createdAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.parse(start));
    expect(Math.max(...times)).toBeLessThanOrEqual(Date.parse(end));
    const wanted = new Set(symbols);
    expect(news.every((n) => n.symbols.some((s) => wanted.has(s)) && n.headline.length > 0)).toBe(true);
    // The same stories the venue serves, page by page, for one symbol.
    const one = news.find((n) => n.symbols.length === 1)!.symbols[0]!;
    const raw = await api(
      sim,
      'GET',
      `/v1beta1/news?symbols=${one}&start=${start}&end=${end}&sort=asc&limit=50`,
    );
    expect(news.filter((n) => n.symbols.includes(one)).map((n) => n.id)).toEqual(
      raw.body.news.map((n: Json) => n.id),
    );
  });

  it('places a bracket, idempotently on client_order_id, and it fills at the next minute', async () => {
    const price = (await broker.getSnapshots(['AAPL'])).get('AAPL')!.latestTradePrice;
    const req: BracketOrderRequest = {
      clientOrderId: '2026-11-27-c1-AAPL-entry',
      symbol: 'AAPL',
      side: 'buy',
      qty: 20,
      entryType: 'market',
      takeProfitLimitPrice: (Math.round(price * 110) / 100).toFixed(2),
      stopLossStopPrice: (Math.round(price * 90) / 100).toFixed(2),
      timeInForce: 'day',
    };
    const placed = await broker.submitBracketOrder(req);
    expect(placed).toMatchObject({
      clientOrderId: req.clientOrderId,
      symbol: 'AAPL',
      orderClass: 'bracket',
      qty: '20',
      filledQty: '0',
      status: 'new',
    });
    expect(placed.legs.map((l) => [l.type, l.status])).toEqual([
      ['limit', 'held'],
      ['stop', 'held'],
    ]);
    expect(placed.legs[0]!.limitPrice).toBe(req.takeProfitLimitPrice);
    const placedAt = new Date(sim.nowMs()).toISOString();
    expect(placed.updatedAt).toBe(placedAt);
    expect(placed.legs.map((l) => l.updatedAt)).toEqual([placedAt, placedAt]);

    // A retry after a lost response gets the same order back; the raw API says 422.
    const again = await broker.submitBracketOrder(req);
    expect(again.id).toBe(placed.id);
    const raw = await api(sim, 'POST', '/v2/orders', {
      symbol: 'AAPL',
      qty: '20',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
      client_order_id: req.clientOrderId,
    });
    expect(raw.status).toBe(422);
    expect(raw.body).toEqual({ code: 40010001, message: 'client_order_id must be unique' });

    sim.advanceTo(at(DATE, '10:01'));
    const filled = (await broker.getOrderByClientOrderId(req.clientOrderId))!;
    expect(filled.status).toBe('filled');
    expect(filled.filledAt).toBe(new Date(at(DATE, '10:01')).toISOString());
    expect(filled.legs.map((l) => l.status)).toEqual(['new', 'new']);
    // The fill is the broker's latest change to the order and releases its legs.
    const filledAt = new Date(at(DATE, '10:01')).toISOString();
    expect(filled.updatedAt).toBe(filledAt);
    expect(filled.updatedAt! > placed.updatedAt!).toBe(true);
    expect(filled.legs.map((l) => l.updatedAt)).toEqual([filledAt, filledAt]);
    const positions = await broker.listPositions();
    expect(positions).toEqual([
      expect.objectContaining({
        symbol: 'AAPL',
        qty: '20',
        side: 'long',
        avgEntryPrice: filled.filledAvgPrice,
      }),
    ]);
    const nested = await broker.listOrders({ status: 'open', nested: true });
    expect(nested.map((o) => o.id)).toEqual([placed.id]);
    expect(nested[0]!.legs).toHaveLength(2);
    expect(await broker.getOrderByClientOrderId('never-used')).toBeNull();
  });

  it('returns the existing order for a reused client_order_id even after it was cancelled', async () => {
    const req: BracketOrderRequest = {
      clientOrderId: '2026-11-27-c1-F-entry',
      symbol: 'F',
      side: 'buy',
      qty: 5,
      entryType: 'limit',
      limitPrice: '2.00',
      takeProfitLimitPrice: '3.00',
      stopLossStopPrice: '1.50',
      timeInForce: 'gtc',
    };
    const placed = await broker.submitBracketOrder(req);
    expect(await broker.cancelOrder(placed.id)).toBe('requested');
    const retry = await broker.submitBracketOrder(req);
    expect(retry.id).toBe(placed.id);
    expect(retry.status).toBe('canceled');
    expect(retry.legs.every((l) => l.status === 'canceled')).toBe(true);
  });

  const restingBuy = (clientOrderId: string, symbol = 'F'): SimpleOrderRequest => ({
    clientOrderId,
    symbol,
    side: 'buy',
    qty: '7',
    type: 'limit',
    limitPrice: '1.00', // far below the market: it rests
    timeInForce: 'day',
  });
  const copiesOf = async (clientOrderId: string): Promise<number> =>
    (await broker.listAllOrders({ status: 'all' })).filter((o) => o.clientOrderId === clientOrderId).length;

  it('places a simple order, idempotently on client_order_id', async () => {
    const req = restingBuy('2026-11-27-c1-F-retry');
    const placed = await broker.submitOrder(req);
    expect(placed).toMatchObject({
      clientOrderId: req.clientOrderId,
      symbol: 'F',
      side: 'buy',
      type: 'limit',
      orderClass: 'simple',
      timeInForce: 'day',
      qty: '7',
      status: 'new',
      legs: [],
    });
    expect(toMicros(placed.limitPrice!)).toBe(toMicros('1.00'));
    expect(placed.updatedAt).toBe(new Date(sim.nowMs()).toISOString());
    // Temporal's retry of the activity sends the same request again.
    const again = await broker.submitOrder({ ...req, qty: '7.00' });
    expect(again.id).toBe(placed.id);
    expect(await copiesOf(req.clientOrderId)).toBe(1);
  });

  it('finds a simple order whose placement answer was dropped, placed once', async () => {
    sim.setFaults('POST /v2/orders:drop:1');
    let order: BrokerOrder;
    try {
      order = await broker.submitOrder(restingBuy('2026-11-27-c1-F-drop'));
      expect(sim.faultCounts()).toEqual({ 'POST /v2/orders drop': 1 });
    } finally {
      sim.setFaults(null);
    }
    expect(order).toMatchObject({ clientOrderId: '2026-11-27-c1-F-drop', orderClass: 'simple', qty: '7' });
    expect(await copiesOf('2026-11-27-c1-F-drop')).toBe(1);
  });

  it('refuses a malformed simple order before sending it', async () => {
    const countBefore = (await broker.listAllOrders({ status: 'all' })).length;
    const bad: [Partial<SimpleOrderRequest>, RegExp][] = [
      [{ clientOrderId: '' }, /clientOrderId must be 1\.\.48 characters/],
      [{ clientOrderId: 'x'.repeat(49) }, /clientOrderId must be 1\.\.48 characters/],
      [{ qty: '0' }, /qty must be a positive whole number of shares, got "0"/],
      [{ qty: '1.5' }, /qty must be a positive whole number of shares, got "1.5"/],
      [{ qty: '-3' }, /qty must be a positive whole number/],
      [{ qty: '1e3' }, /qty must be a positive whole number/],
      [{ limitPrice: undefined }, /a limit order needs limitPrice/],
      [{ limitPrice: '0' }, /limitPrice must be a positive decimal string, got "0"/],
      [{ limitPrice: 'cheap' }, /limitPrice must be a positive decimal string/],
    ];
    for (const [change, message] of bad) {
      const refused = await failureOf(
        broker.submitOrder({ ...restingBuy('2026-11-27-c1-F-bad'), ...change }),
      );
      expect(refused).toMatchObject({ type: ErrorType.InvalidOrder, nonRetryable: true });
      expect(refused.message).toMatch(message);
    }
    expect((await broker.listAllOrders({ status: 'all' })).length).toBe(countBefore);
    const unknown = await failureOf(broker.submitOrder(restingBuy('2026-11-27-c1-ZZZZQ', 'ZZZZQ')));
    expect(unknown).toMatchObject({ type: ErrorType.UnknownSymbol, nonRetryable: true });
  });

  it('cancels one order and says what became of it: requested, not cancelable, not found', async () => {
    const open = await broker.submitOrder(restingBuy('2026-11-27-c1-F-cancel'));
    expect(await broker.cancelOrder(open.id)).toBe('requested');
    const cancelled = (await broker.getOrderByClientOrderId(open.clientOrderId))!;
    expect(cancelled.status).toBe('canceled');
    expect(cancelled.canceledAt).not.toBeNull();
    expect(await broker.cancelOrder(open.id)).toBe('not_cancelable');

    const filled = (await broker.getOrderByClientOrderId('2026-11-27-c1-AAPL-entry'))!;
    expect(filled.status).toBe('filled');
    expect(await broker.cancelOrder(filled.id)).toBe('not_cancelable');
    // Its legs were left alone: a refused cancel changes nothing.
    expect((await broker.getOrderByClientOrderId(filled.clientOrderId))!.legs.map((l) => l.status)).toEqual([
      'new',
      'new',
    ]);

    expect(await broker.cancelOrder(randomUUID())).toBe('not_found');
    // An id that would address the cancel-all route never leaves the adapter.
    for (const id of ['', '.', '..', ' ', 'a/b']) {
      const refused = await failureOf(broker.cancelOrder(id));
      expect(refused).toMatchObject({ type: ErrorType.InvalidOrder, nonRetryable: true });
    }
    const stillOpen = await broker.listAllOrders({ status: 'open' });
    expect(stillOpen.map((o) => o.clientOrderId)).toEqual(
      expect.arrayContaining(['2026-11-27-c1-F-retry', '2026-11-27-c1-F-drop']),
    );
  });

  it('types broker rejections as non-retryable failures', async () => {
    const tooBig = await failureOf(
      broker.submitBracketOrder({
        clientOrderId: 'bp-1',
        symbol: 'AAPL',
        side: 'buy',
        qty: 100_000,
        entryType: 'limit',
        limitPrice: '100.00',
        takeProfitLimitPrice: '200.00',
        stopLossStopPrice: '50.00',
        timeInForce: 'day',
      }),
    );
    expect(tooBig.type).toBe(ErrorType.InsufficientBuyingPower);
    expect(tooBig.nonRetryable).toBe(true);
    expect(tooBig.message).toMatch(/insufficient buying power/);

    const inverted = await failureOf(
      broker.submitBracketOrder({
        clientOrderId: 'inv-1',
        symbol: 'AAPL',
        side: 'buy',
        qty: 1,
        entryType: 'limit',
        limitPrice: '100.00',
        takeProfitLimitPrice: '90.00',
        stopLossStopPrice: '95.00',
        timeInForce: 'day',
      }),
    );
    expect(inverted.type).toBe(ErrorType.InvalidOrder);
    expect(inverted.nonRetryable).toBe(true);

    const unknown = await failureOf(
      broker.submitBracketOrder({
        clientOrderId: 'unk-1',
        symbol: 'ZZZZQ',
        side: 'buy',
        qty: 1,
        entryType: 'market',
        takeProfitLimitPrice: '2.00',
        stopLossStopPrice: '1.00',
        timeInForce: 'day',
      }),
    );
    expect(unknown.type).toBe(ErrorType.UnknownSymbol);
    expect(unknown.nonRetryable).toBe(true);

    const badKey = brokerFor(sim, { secretKey: 'definitely-wrong-secret' });
    const denied = await failureOf(badKey.getAccount());
    expect(denied.type).toBe(ErrorType.BrokerRejected);
    expect(denied.nonRetryable).toBe(true);
    expect(denied.message).not.toContain('definitely-wrong-secret');
    expect(denied.message).not.toContain(sim.secretKey);
  });

  it('retries a cut-off market-data answer and names the symbol of a malformed bar', async () => {
    let body = '{"AAPL":{"latestTrade":{"p":1';
    const odd = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    await new Promise<void>((r) => odd.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(odd.address() as AddressInfo).port}`;
    try {
      const b = createAlpacaBroker({
        keyId: 'k',
        secretKey: 's',
        tradingBaseUrl: url,
        dataBaseUrl: url,
        paper: true,
        rateLimitPerMinute: false,
      });
      // Truncated JSON (a proxy or a connection gave up mid-answer): an ordinary error, retried.
      const cut = await b.getSnapshots(['AAPL']).then(
        () => null,
        (e: unknown) => e,
      );
      expect(cut).toBeInstanceOf(SyntaxError);
      body = JSON.stringify({
        bars: { XYZ: [{ t: '2026-11-27T15:00:00Z', o: 1, h: 'NaN', l: 1, c: 1, v: 1 }] },
      });
      const bad = await failureOf(b.getBars({ symbols: ['XYZ'], timeframe: '1Min', start: DATE }));
      expect(bad.nonRetryable).toBe(true);
      expect(bad.message).toMatch(/malformed bar for XYZ/);
    } finally {
      await new Promise<void>((r) => odd.close(() => r()));
    }
  });

  it('types throttling, server errors and network failures as retryable', async () => {
    const resetAt = Math.ceil(Date.now() / 1000) + 30;
    let status = 429;
    const flaky = createServer((_req, res) => {
      res.writeHead(status, {
        'Content-Type': 'application/json',
        'X-Ratelimit-Limit': '200',
        'X-Ratelimit-Remaining': '0',
        'X-Ratelimit-Reset': String(resetAt),
      });
      res.end(
        JSON.stringify({
          code: status === 429 ? 42910000 : 50010000,
          message: status === 429 ? 'too many requests' : 'internal',
        }),
      );
    });
    await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}`;
    try {
      const b = createAlpacaBroker({
        keyId: 'k',
        secretKey: 's3cr3t-value',
        tradingBaseUrl: url,
        dataBaseUrl: url,
        paper: true,
        rateLimitPerMinute: false,
      });
      const throttled = await failureOf(b.getAccount());
      expect(throttled.type).toBe(ErrorType.BrokerUnavailable);
      expect(throttled.nonRetryable).toBe(false);
      expect(Number(throttled.nextRetryDelay)).toBeGreaterThan(20_000);
      status = 503;
      const down = await failureOf(b.getSnapshots(['AAPL']));
      expect(down.type).toBe(ErrorType.BrokerUnavailable);
      expect(down.nonRetryable).toBe(false);
    } finally {
      await new Promise<void>((r) => flaky.close(() => r()));
    }
    const silent = createServer(() => {
      // never answers: the client's timeout must fire
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const slow = createAlpacaBroker({
        keyId: 'k',
        secretKey: 's',
        tradingBaseUrl: silentUrl,
        dataBaseUrl: silentUrl,
        paper: true,
        rateLimitPerMinute: false,
        timeoutMs: 200,
      });
      const timedOut = await failureOf(slow.getAccount());
      expect(timedOut.type).toBe(ErrorType.BrokerUnavailable);
      expect(timedOut.nonRetryable).toBe(false);
      expect(timedOut.message).toMatch(/timed out/);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((r) => silent.close(() => r()));
    }
    const closedPort = createAlpacaBroker({
      keyId: 'k',
      secretKey: 's',
      tradingBaseUrl: url,
      dataBaseUrl: url,
      paper: true,
      rateLimitPerMinute: false,
    });
    const offline = await failureOf(closedPort.getClock());
    expect(offline.type).toBe(ErrorType.BrokerUnavailable);
    expect(offline.nonRetryable).toBe(false);
  });

  it('exits positions with simple orders once their legs are cancelled, with exact cash', async () => {
    sim.advanceTo(at(DATE, '10:30'));
    const before = await broker.getAccount();
    const price = (await broker.getSnapshots(['XOM'])).get('XOM')!.latestTradePrice;
    const xom = await broker.submitBracketOrder({
      clientOrderId: '2026-11-27-c2-XOM-entry',
      symbol: 'XOM',
      side: 'buy',
      qty: 15,
      entryType: 'market',
      takeProfitLimitPrice: (Math.round(price * 120) / 100).toFixed(2),
      stopLossStopPrice: (Math.round(price * 80) / 100).toFixed(2),
      timeInForce: 'day',
    });
    sim.advanceTo(at(DATE, '10:31'));
    // The legs hold the shares: cancelling one leg cancels its OCO sibling too.
    const aapl = (await broker.getOrderByClientOrderId('2026-11-27-c1-AAPL-entry'))!;
    expect(await broker.cancelOrder(aapl.legs[0]!.id)).toBe('requested');
    const xomFilled = (await broker.getOrderByClientOrderId(xom.clientOrderId))!;
    expect(xomFilled.status).toBe('filled');
    expect(await broker.cancelOrder(xomFilled.legs[1]!.id)).toBe('requested');
    for (const entry of [aapl, xomFilled]) {
      const legs = (await broker.getOrderByClientOrderId(entry.clientOrderId))!.legs;
      expect(legs.map((l) => l.status)).toEqual(['canceled', 'canceled']);
    }

    const exits: BrokerOrder[] = [];
    for (const [symbol, qty] of [
      ['AAPL', '20'],
      ['XOM', '15'],
    ] as const) {
      exits.push(
        await broker.submitOrder({
          clientOrderId: `2026-11-27-c2-${symbol}-exit`,
          symbol,
          side: 'sell',
          qty,
          type: 'market',
          timeInForce: 'day',
        }),
      );
    }
    expect(exits.map((o) => [o.symbol, o.side, o.type, o.orderClass, o.qty, o.legs])).toEqual([
      ['AAPL', 'sell', 'market', 'simple', '20', []],
      ['XOM', 'sell', 'market', 'simple', '15', []],
    ]);
    sim.advanceTo(at(DATE, '10:32'));
    expect(await broker.listPositions()).toEqual([]);

    const orders = await broker.listAllOrders({ status: 'closed', nested: false });
    const filledAfter = orders.filter(
      (o) => o.status === 'filled' && o.filledAt! >= new Date(at(DATE, '10:30')).toISOString(),
    );
    expect(filledAfter.map((o) => o.clientOrderId)).toEqual([
      '2026-11-27-c2-XOM-entry',
      '2026-11-27-c2-AAPL-exit',
      '2026-11-27-c2-XOM-exit',
    ]);
    let cash = toMicros(before.cash);
    for (const o of filledAfter) {
      const notional = toMicros(o.filledAvgPrice!) * BigInt(o.filledQty);
      cash += o.side === 'buy' ? -notional : notional;
    }
    const after = await broker.getAccount();
    expect(after.cash).toBe(formatMicros(cash));
    expect(after.equity).toBe(after.cash);
  });

  it('moves to the next session with positions flat and the clock before the open', async () => {
    sim.advanceToNextSession();
    expect(sim.sessionDate()).toBe('2026-11-30');
    const clock = await broker.getClock();
    expect(clock.timestamp).toBe('2026-11-30T09:29:00.000-05:00');
    expect(clock.isOpen).toBe(false);
    sim.advanceTo(at('2026-11-30', '09:30') + 30_000);
    expect((await broker.getClock()).isOpen).toBe(true);
    expect(sim.nowMs() - at('2026-11-30', '09:30')).toBeLessThan(MIN);
  });
});

describe('listAllOrders: every page, each order once', () => {
  const BATCH = 300; // per instant: a page of 500 ends inside the second instant's batch
  const instants = ['10:00', '10:01', '10:02', '10:03'].map((t) => at(DATE, t));
  const SYMBOLS = ['F', 'T', 'KO'];
  let sim: RunningSimulator;
  let broker: Broker;
  const placed = new Map<string, string>(); // order id → the instant it was placed at
  beforeAll(async () => {
    sim = await startManual({ seed: 32, date: DATE, rateLimitPerMinute: 0 });
    broker = brokerFor(sim);
  });
  afterAll(() => sim.close());

  /** `count` resting orders at the simulator's frozen instant: they all share one submitted_at. */
  async function placeAt(instant: number, count: number, tag: string): Promise<void> {
    sim.advanceTo(instant);
    for (let i = 0; i < count; i += 50) {
      const orders = await Promise.all(
        Array.from({ length: Math.min(50, count - i) }, (_, j) =>
          broker.submitOrder({
            clientOrderId: `${tag}-${i + j}`,
            symbol: SYMBOLS[(i + j) % SYMBOLS.length]!,
            side: 'buy',
            qty: '1',
            type: 'limit',
            limitPrice: '0.50',
            timeInForce: 'gtc',
          }),
        ),
      );
      for (const o of orders) placed.set(o.id, new Date(instant).toISOString());
    }
  }

  it('returns more than 1,000 orders, many sharing a timestamp, each exactly once and oldest first', async () => {
    for (const [n, instant] of instants.entries()) await placeAt(instant, BATCH, `page-${n}`);
    expect(placed.size).toBe(1_200);
    // One page is not all of them: the adapter has to page.
    expect(await broker.listOrders({ status: 'all' })).toHaveLength(500);

    const all = await broker.listAllOrders({ status: 'all' });
    expect(all).toHaveLength(1_200);
    expect(new Set(all.map((o) => o.id))).toEqual(new Set(placed.keys()));
    expect(all.map((o) => o.submittedAt)).toEqual(all.map((o) => placed.get(o.id)));
    const times = all.map((o) => o.submittedAt!);
    expect(times).toEqual([...times].sort());
    expect(await broker.listAllOrders({ status: 'open' })).toHaveLength(1_200);
    expect(await broker.listAllOrders({ status: 'closed' })).toEqual([]);
  });

  it("respects the caller's after, until, symbols and nested", async () => {
    const iso = (ms: number): string => new Date(ms).toISOString();
    const count = async (query: Parameters<Broker['listAllOrders']>[0]) =>
      (await broker.listAllOrders(query)).length;
    // Alpaca's after and until are both exclusive on submitted_at.
    expect(await count({ status: 'all', after: iso(instants[1]!) })).toBe(2 * BATCH);
    expect(await count({ status: 'all', after: iso(instants[1]! - 1) })).toBe(3 * BATCH);
    expect(await count({ status: 'all', until: iso(instants[2]!) })).toBe(2 * BATCH);
    expect(await count({ status: 'all', after: iso(instants[0]!), until: iso(instants[3]!) })).toBe(
      2 * BATCH,
    );
    const fords = await broker.listAllOrders({ status: 'open', symbols: ['F'] });
    expect(fords).toHaveLength(400);
    expect(fords.every((o) => o.symbol === 'F')).toBe(true);
    expect(await count({ status: 'open', symbols: ['F', 'KO'] })).toBe(800);
    const nested = await broker.listAllOrders({ status: 'all', nested: true });
    expect(nested).toHaveLength(1_200);
    expect(nested.every((o) => o.legs.length === 0)).toBe(true);
  });

  it('pages past a cancelled order the same as an open one', async () => {
    const first = (await broker.listAllOrders({ status: 'open' }))[0]!;
    expect(await broker.cancelOrder(first.id)).toBe('requested');
    const all = await broker.listAllOrders({ status: 'all' });
    expect(all).toHaveLength(1_200);
    expect(all.find((o) => o.id === first.id)?.status).toBe('canceled');
    expect(await broker.listAllOrders({ status: 'open' })).toHaveLength(1_199);
  });

  it('refuses to loop when a full page of orders shares one instant', async () => {
    await placeAt(at(DATE, '10:04'), 500, 'same-instant');
    const stuck = await failureOf(broker.listAllOrders({ status: 'all' }));
    expect(stuck).toMatchObject({ type: ErrorType.BrokerRejected, nonRetryable: true });
    expect(stuck.message).toMatch(
      /listAllOrders cannot page past 500 orders submitted at the same instant \(.*\): Alpaca pages orders by submitted_at only/,
    );
    // Orders from before that instant still page normally.
    expect(
      await broker.listAllOrders({ status: 'all', until: new Date(at(DATE, '10:04')).toISOString() }),
    ).toHaveLength(1_200);
  });
});
