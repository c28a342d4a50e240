/**
 * A whole simulated trading day while one broker call in ten fails: HTTP 500s, answers held back
 * until the client times out, dropped connections (placements included, after the order was
 * accepted) and slow answers. Retries and idempotent client_order_ids must still end the day
 * flat, with every order once and the database agreeing with the broker.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClientOrderId } from '../../src/domain/clientOrderId';
import { formatMicros, toMicros } from '../../src/domain/money';
import type { TradingDayResult } from '../../src/workflows/messages';
import { allBrokerOrders, brokerAndStoredOrders } from '../support/bookChecks';
import { startHarness, type Harness } from '../support/catalystHarness';

const SPEED = 600;
// The day after Thanksgiving closes at 13:00: a whole day, with its close-out, in about half the run time.
const DATE = '2026-11-27';
// Seed 161: faults also hit placements after the order was accepted (answers dropped or held
// back past the client's timeout); the first test checks that they did.
const SEED = 161;
const FAULTS = '500:0.04,drop:0.03,timeout:0.02@1500ms,latency:0.01@100ms';

describe('a simulated trading day under injected broker faults', () => {
  let h: Harness;
  let result: TradingDayResult;
  let injected: Record<string, number>;

  beforeAll(async () => {
    // On the driven clock a held-back answer costs wall time only: market time waits for the
    // day, so faults can never push the close-out past the close (the project's own config, ten
    // minutes). The client's timeout is short so the test is quick.
    h = await startHarness({
      seed: SEED,
      speed: SPEED,
      date: DATE,
      broker: { timeoutMs: 250 },
      marketClock: 'driven',
    });
    h.sim.setFaults(FAULTS);
    const handle = await h.startDay();
    result = (await handle.result()) as TradingDayResult;
    injected = h.sim.faultCounts();
    // The checks below read the broker themselves; they must not be the ones failing.
    h.sim.setFaults(null);
  });
  afterAll(async () => h?.close());

  it('injected faults on every kind of call, placements included', () => {
    const total = Object.values(injected).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(10);
    const kinds = new Set(Object.keys(injected).map((k) => k.split(' ').at(-1)));
    for (const kind of ['500', 'drop', 'timeout']) expect(kinds).toContain(kind);
    const lostPlacements = Object.entries(injected)
      .filter(([k]) => k === 'POST /v2/orders drop' || k === 'POST /v2/orders timeout')
      .reduce((sum, [, n]) => sum + n, 0);
    expect(lostPlacements).toBeGreaterThan(0);
  });

  it('still trades, then ends flat', async () => {
    expect(result.status).toBe('completed');
    expect(result.ordersSubmitted).toBeGreaterThan(0);
    // Retry backoff is market time: faults cost minutes, not the day's cycles.
    expect(result.cycles).toBeGreaterThanOrEqual(5);
    expect(result.openPositionsAtClose).toBe(0);
    expect(result.openOrdersAtClose).toBe(0);
    expect(await h.broker.listPositions()).toEqual([]);
    expect(await h.broker.listOrders({ status: 'open' })).toEqual([]);
  });

  it("flattens by the close despite the faults, and never mistakes its own fills for someone else's", () => {
    const alerts = readdirSync(h.outboxDir).map((f) =>
      JSON.parse(readFileSync(join(h.outboxDir, f), 'utf8')),
    );
    expect(alerts.map((a) => `${a.subject}: ${a.body}`)).toEqual([]);
  });

  it('never places an order twice', async () => {
    const all = await allBrokerOrders(h.broker);
    const ids = all.map((o) => o.clientOrderId);
    expect(new Set(ids).size).toBe(ids.length);
    const entries = all.filter((o) => parseClientOrderId(o.clientOrderId)?.leg === 'entry');
    expect(entries).toHaveLength(result.ordersSubmitted);
  });

  it('keeps the database equal to the broker, and P&L equal to the cash change', async () => {
    const { atBroker, stored } = await brokerAndStoredOrders(
      h.broker,
      h.database.db,
      h.accountId,
      result.tradingDate,
    );
    expect(stored).toEqual(atBroker);
    const account = await h.broker.getAccount();
    expect(result.realizedPnl).toBe(formatMicros(toMicros(account.cash) - toMicros('100000'), 2));
  });
});
