/**
 * One seeded day on the driven clock, twice, on real parts: the broker's order list (the
 * simulator's own JSON, every order with its legs, ids, prices, fills and times) is the same
 * byte for byte, and so are the day's figures.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { TradingDayResult } from '../../src/workflows/messages';
import { startHarness, type Harness } from '../support/catalystHarness';
import { recordHistories } from '../support/recordHistories';

/** The simulator's answer to GET /v2/orders for the whole day, as bytes. */
async function orderListBytes(h: Harness): Promise<string> {
  const res = await fetch(`${h.sim.url}/v2/orders?status=all&nested=true&direction=asc&limit=500`, {
    headers: { 'APCA-API-KEY-ID': h.sim.keyId, 'APCA-API-SECRET-KEY': h.sim.secretKey },
  });
  expect(res.status).toBe(200);
  return res.text();
}

async function runSeededDay(record: boolean): Promise<{ orders: string; result: TradingDayResult }> {
  // Seed 9: its own workflow ids, so its recorded histories (driven clock) sit beside seed 7's (wall clock).
  const h = await startHarness({
    seed: 9,
    speed: 600,
    marketClock: 'driven',
    ...(record ? {} : { runTag: 'again' }),
  });
  harnesses.push(h);
  const handle = await h.startDay();
  const result = (await handle.result()) as TradingDayResult;
  if (record) await recordHistories(h.client, handle.workflowId);
  return { orders: await orderListBytes(h), result };
}

const harnesses: Harness[] = [];

describe('a seeded day on the driven clock', () => {
  afterAll(async () => {
    for (const h of harnesses) await h.close();
  });

  it('gives byte-identical broker orders and the same P&L to the cent on a second run', async () => {
    // Side by side: on the driven clock nothing depends on wall time, so the two runs cannot
    // disturb each other's timings, and they share the wait for the server's round trips.
    const [first, second] = await Promise.all([runSeededDay(true), runSeededDay(false)]);

    const orders = JSON.parse(first.orders) as { client_order_id: string; filled_at: string | null }[];
    // A real day: entries, their legs and exits, with fills.
    expect(orders.length).toBeGreaterThan(10);
    expect(orders.filter((o) => o.filled_at !== null).length).toBeGreaterThan(5);
    expect(first.result).toMatchObject({
      status: 'completed',
      openPositionsAtClose: 0,
      openOrdersAtClose: 0,
    });
    expect(first.result.cycles).toBeGreaterThanOrEqual(10);

    expect(second.orders).toBe(first.orders);
    expect(second.result).toEqual(first.result);
  });
});
