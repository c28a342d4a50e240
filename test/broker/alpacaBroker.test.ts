import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlpacaBroker } from '../../src/broker/alpacaBroker';
import type { Broker, BracketOrderRequest } from '../../src/broker/port';
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
    const cancels = await broker.cancelAllOrders();
    expect(cancels.every((c) => c.status === 200)).toBe(true);
    expect(cancels.map((c) => c.orderId)).toContain(placed.id);
    const retry = await broker.submitBracketOrder(req);
    expect(retry.id).toBe(placed.id);
    expect(retry.status).toBe('canceled');
    expect(retry.legs.every((l) => l.status === 'canceled')).toBe(true);
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

  it('closes positions: one symbol (cancelling its legs first) and then all, with exact cash', async () => {
    sim.advanceTo(at(DATE, '10:30'));
    const before = await broker.getAccount();
    const price = (await broker.getSnapshots(['XOM'])).get('XOM')!.latestTradePrice;
    await broker.submitBracketOrder({
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
    const closeOrder = await broker.closePosition('AAPL');
    expect(closeOrder).toMatchObject({ symbol: 'AAPL', side: 'sell', type: 'market', qty: '20' });
    const aaplLegs = (await broker.listOrders({ status: 'all', symbols: ['AAPL'], nested: true }))[0]!.legs;
    expect(aaplLegs.every((l) => l.status === 'canceled')).toBe(true);

    // The pending AAPL close is cancelled and re-issued along with the XOM close.
    const results = await broker.closeAllPositions();
    expect(results.map((r) => [r.symbol, r.status])).toEqual([
      ['AAPL', 200],
      ['XOM', 200],
    ]);
    expect(results.every((r) => r.orderId)).toBe(true);
    sim.advanceTo(at(DATE, '10:32'));
    expect(await broker.listPositions()).toEqual([]);

    const orders = await broker.listOrders({ status: 'closed', nested: false, limit: 500 });
    const filledAfter = orders.filter(
      (o) => o.status === 'filled' && o.filledAt! >= new Date(at(DATE, '10:30')).toISOString(),
    );
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
