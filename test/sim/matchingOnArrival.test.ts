/**
 * `marketFills: 'on-arrival'`: a market order fills as it arrives, at the last trade the quotes
 * show, with the spread and impact of any market fill; its bracket legs trade from the next
 * minute; a halted symbol's order waits for the reopening print. The default stays next-open.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { toMicros } from '../../src/domain/money';
import { spreadAround } from '../../src/sim/market/marketView';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { api, at, type Json, startManual } from './simKit';

const DATE = '2026-03-10';
const cents = (x: number): string => (Math.round(x * 100) / 100).toFixed(2);

async function snapshot(sim: RunningSimulator, symbol: string): Promise<Json> {
  return (await api(sim, 'GET', `/v2/stocks/${symbol}/snapshot`)).body;
}

/** A market buy of 10 AAPL, with more fields when given. */
const buyTen = (sim: RunningSimulator, more: Record<string, unknown> = {}) =>
  api(sim, 'POST', '/v2/orders', {
    symbol: 'AAPL',
    qty: '10',
    side: 'buy',
    type: 'market',
    time_in_force: 'day',
    ...more,
  });

describe('simulator: market orders filled on arrival', () => {
  let sim: RunningSimulator | null = null;
  afterEach(async () => {
    await sim?.close();
    sim = null;
  });

  it('fills a market buy at once at the ask around the last trade, and its legs from the next minute', async () => {
    sim = await startManual({ seed: 5, date: DATE, trading: { marketFills: 'on-arrival' } });
    const arrival = at(DATE, '10:00') + 20_000;
    sim.advanceTo(arrival);
    const trade = (await snapshot(sim, 'AAPL')).latestTrade.p as number;
    const placed = await buyTen(sim, {
      order_class: 'bracket',
      take_profit: { limit_price: cents(trade * 1.05) },
      stop_loss: { stop_price: cents(trade * 0.95) },
      client_order_id: 'arrive-1',
    });
    expect(placed.status).toBe(200);
    expect(placed.body).toMatchObject({ status: 'filled', filled_qty: '10' });
    expect(Date.parse(placed.body.filled_at)).toBe(arrival);
    // Ten shares of a liquid name: no impact tick, so exactly the ask around the last trade.
    const units = Math.round(trade * 100);
    const { ask } = spreadAround(units);
    expect(toMicros(placed.body.filled_avg_price)).toBe(BigInt(ask) * 10_000n);
    expect(placed.body.legs.map((l: Json) => l.status)).toEqual(['new', 'new']);

    const position = (await api(sim, 'GET', '/v2/positions/AAPL')).body;
    expect(position.qty).toBe('10');

    // A market sell (what a flatten sends: cancel the exits, close the position) fills on arrival too.
    sim.advanceTo(arrival + 5_000);
    // Cancelling one exit cancels its group.
    expect((await api(sim, 'DELETE', `/v2/orders/${placed.body.legs[0].id}`)).status).toBe(204);
    const close = await api(sim, 'DELETE', '/v2/positions/AAPL');
    expect(close.status).toBe(200);
    expect((await api(sim, 'GET', `/v2/orders/${close.body.id}`)).body.status).toBe('filled');
    expect((await api(sim, 'GET', '/v2/positions')).body).toEqual([]);
  });

  it('sweeps on: a first fill that comes up short is followed at once by the rest, one tick worse', async () => {
    sim = await startManual({
      seed: 5,
      date: DATE,
      trading: { marketFills: 'on-arrival', partialFillRate: 1 },
    });
    const arrival = at(DATE, '10:00') + 20_000;
    sim.advanceTo(arrival);
    const trade = (await snapshot(sim, 'AAPL')).latestTrade.p as number;
    const placed = await buyTen(sim);
    expect(placed.body).toMatchObject({ status: 'filled', filled_qty: '10' });
    const fills = (await api(sim, 'GET', '/v2/account/activities/FILL')).body as Json[];
    const mine = fills.filter((f) => f.order_id === placed.body.id);
    expect(mine.map((f) => f.type).sort()).toEqual(['fill', 'partial_fill']);
    const { ask } = spreadAround(Math.round(trade * 100));
    const first = mine.find((f) => f.type === 'partial_fill');
    const rest = mine.find((f) => f.type === 'fill');
    expect(toMicros(first.price)).toBe(BigInt(ask) * 10_000n);
    expect(toMicros(rest.price)).toBe(BigInt(ask + 1) * 10_000n);
    expect(mine.every((f) => Date.parse(f.transaction_time) === arrival)).toBe(true);
  });

  it('keeps next-open fills by default', async () => {
    sim = await startManual({ seed: 5, date: DATE });
    sim.advanceTo(at(DATE, '10:00') + 20_000);
    const placed = await buyTen(sim);
    expect(placed.body.status).toBe('new');
    sim.advanceTo(at(DATE, '10:01'));
    const order = (await api(sim, 'GET', `/v2/orders/${placed.body.id}`)).body;
    expect(order.status).toBe('filled');
    expect(Date.parse(order.filled_at)).toBe(at(DATE, '10:01'));
  });

  it('lets a halted symbol’s market order wait for the reopening print', async () => {
    sim = await startManual({
      seed: 6,
      date: DATE,
      market: { scenario: 'halt:AAPL@10:30+15m' },
      trading: { marketFills: 'on-arrival' },
    });
    sim.advanceTo(at(DATE, '10:35'));
    const placed = await buyTen(sim);
    expect(placed.body.status).toBe('new');
    sim.advanceTo(at(DATE, '10:50'));
    const order = (await api(sim, 'GET', `/v2/orders/${placed.body.id}`)).body;
    expect(order.status).toBe('filled');
    expect(Date.parse(order.filled_at)).toBeGreaterThanOrEqual(at(DATE, '10:45'));
  });

  it('outside regular hours queues the order for the open as before', async () => {
    sim = await startManual({ seed: 5, date: DATE, trading: { marketFills: 'on-arrival' } });
    sim.advanceTo(at(DATE, '09:29') + 30_000);
    const placed = await buyTen(sim);
    expect(placed.body.status).toBe('accepted');
  });
});
