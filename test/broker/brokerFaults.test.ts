/**
 * The adapter against the simulator's injected faults and rate limit, through the real Alpaca
 * client: lost answers to a placement never become a second order, and the adapter's own budget
 * keeps it under the simulator's limit.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { onSafetyLane } from '../../src/broker/safetyLane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Broker, BracketOrderRequest } from '../../src/broker/port';
import { ErrorType } from '../../src/shared';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { at, startManual } from '../sim/simKit';
import { brokerFor, failureOf } from './brokerKit';

const DATE = '2026-11-24';

const bracket = (clientOrderId: string): BracketOrderRequest => ({
  clientOrderId,
  symbol: 'AAPL',
  side: 'buy',
  qty: 3,
  entryType: 'limit',
  limitPrice: '1.00',
  takeProfitLimitPrice: '2.00',
  stopLossStopPrice: '0.50',
  timeInForce: 'day',
});

describe('adapter under injected faults', () => {
  let sim: RunningSimulator;
  let broker: Broker;
  const copiesOf = async (clientOrderId: string): Promise<number> =>
    (await broker.listOrders({ status: 'all', nested: false, limit: 500 })).filter(
      (o) => o.clientOrderId === clientOrderId,
    ).length;

  beforeAll(async () => {
    sim = await startManual({ seed: 9, date: DATE });
    sim.advanceTo(at(DATE, '10:00'));
    broker = brokerFor(sim, { timeoutMs: 5_000 });
  });
  afterAll(() => sim.close());

  it('finds the order when the answer to a placement is dropped', async () => {
    sim.setFaults('POST /v2/orders:drop:1');
    const order = await broker.submitBracketOrder(bracket('drop-1'));
    expect(sim.faultCounts()).toEqual({ 'POST /v2/orders drop': 1 });
    expect(order).toMatchObject({ clientOrderId: 'drop-1', symbol: 'AAPL', orderClass: 'bracket' });
    sim.setFaults(null);
    expect(await copiesOf('drop-1')).toBe(1);
  });

  it('finds the order when the placement times out on the client', async () => {
    sim.setFaults('POST /v2/orders:timeout:1@3s');
    const impatient = brokerFor(sim, { timeoutMs: 300 });
    const started = Date.now();
    const order = await impatient.submitBracketOrder(bracket('timeout-1'));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(order.clientOrderId).toBe('timeout-1');
    sim.setFaults(null);
    expect(await copiesOf('timeout-1')).toBe(1);
  });

  it('survives the retry chain when the lookup fails too: retryable first, the same order on retry', async () => {
    sim.setFaults('POST /v2/orders:drop:1,GET /v2/orders:by_client_order_id:500:1');
    const first = await failureOf(broker.submitBracketOrder(bracket('chain-1')));
    expect(first.type).toBe(ErrorType.BrokerUnavailable);
    expect(first.nonRetryable).toBe(false);
    expect(first.message).toMatch(/network error/);
    sim.setFaults(null);
    // What Temporal's activity retry does: the same request, the same client_order_id.
    const retried = await broker.submitBracketOrder(bracket('chain-1'));
    expect(retried.clientOrderId).toBe('chain-1');
    expect(await copiesOf('chain-1')).toBe(1);
  });

  it('retries a refused placement (500 before the route ran) into exactly one order', async () => {
    sim.setFaults('POST /v2/orders:500:1');
    const refused = await failureOf(broker.submitBracketOrder(bracket('refused-1')));
    expect(refused).toMatchObject({ type: ErrorType.BrokerUnavailable, nonRetryable: false });
    expect(refused.message).toMatch(/HTTP 500/);
    expect(await broker.getOrderByClientOrderId('refused-1')).toBeNull();
    sim.setFaults(null);
    await broker.submitBracketOrder(bracket('refused-1'));
    expect(await copiesOf('refused-1')).toBe(1);
  });

  it('types injected faults on reads as retryable', async () => {
    sim.setFaults('GET /v2/positions:503:1,GET /v2/account:drop:1,GET /v2/clock:timeout:1@2s');
    const down = await failureOf(broker.listPositions());
    expect(down).toMatchObject({ type: ErrorType.BrokerUnavailable, nonRetryable: false });
    const dropped = await failureOf(broker.getAccount());
    expect(dropped).toMatchObject({ type: ErrorType.BrokerUnavailable, nonRetryable: false });
    const slow = await failureOf(brokerFor(sim, { timeoutMs: 200 }).getClock());
    expect(slow).toMatchObject({ type: ErrorType.BrokerUnavailable, nonRetryable: false });
    expect(slow.message).toMatch(/request timed out/);
    sim.setFaults(null);
  });
});

describe('adapter and the simulator’s rate limit', () => {
  it('gets a retryable failure that waits for X-Ratelimit-Reset', async () => {
    const sim = await startManual({ seed: 9, date: DATE, speed: 1, rateLimitPerMinute: 2 });
    try {
      const broker = brokerFor(sim, { timeoutMs: 5_000 });
      await broker.getClock();
      await broker.getClock();
      const throttled = await failureOf(broker.getClock());
      expect(throttled).toMatchObject({ type: ErrorType.BrokerUnavailable, nonRetryable: false });
      expect(throttled.message).toMatch(/HTTP 429 \(code 42910000\): rate limit exceeded/);
      expect(Number(throttled.nextRetryDelay)).toBeGreaterThan(55_000);
      expect(Number(throttled.nextRetryDelay)).toBeLessThanOrEqual(61_000);
    } finally {
      await sim.close();
    }
  });

  it('stays under the limit with its own budget on the same market minutes', async () => {
    // 5 per market minute at speed 600 = 5 per 100 ms; the adapter's 4 + burst 1 never passes it.
    const sim = await startManual({ seed: 9, date: DATE, speed: 600, rateLimitPerMinute: 5 });
    try {
      const budgeted = brokerFor(sim, {
        timeoutMs: 5_000,
        rateLimitPerMinute: 4,
        rateLimitBurst: 1,
        clockSpeed: 600,
      });
      const started = Date.now();
      for (let i = 0; i < 16; i++) await budgeted.getClock();
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);

      await new Promise((r) => setTimeout(r, 150));
      const unbudgeted = brokerFor(sim, { timeoutMs: 5_000 });
      const outcomes = await Promise.allSettled(Array.from({ length: 16 }, () => unbudgeted.getClock()));
      expect(outcomes.some((o) => o.status === 'rejected')).toBe(true);
    } finally {
      await sim.close();
    }
  });

  it('sends a stop’s requests from the safety reserve ahead of a drained scan, still under the limit', async () => {
    // 5 per market minute at speed 1: per minute 3 + burst 1 + reserve 1 = 5 keeps every window.
    const sim = await startManual({ seed: 9, date: DATE, speed: 1, rateLimitPerMinute: 5 });
    try {
      const broker = brokerFor(sim, {
        timeoutMs: 30_000,
        rateLimitPerMinute: 3,
        rateLimitBurst: 1,
        rateLimitSafetyReserve: 1,
      });
      // The scan: the burst goes, the rest queue 20 s apart (never answered within this test).
      const scan = Array.from({ length: 4 }, () => broker.getClock().then(() => 'scan'));
      await scan[0];
      const started = Date.now();
      await expect(onSafetyLane(() => broker.listPositions())).resolves.toEqual([]);
      expect(Date.now() - started).toBeLessThan(2_000);
      const settled = await Promise.race([Promise.all(scan.slice(1)), sleep(500).then(() => 'waiting')]);
      expect(settled).toBe('waiting');
    } finally {
      await sim.close();
    }
  });
});
