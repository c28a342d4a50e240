/**
 * GET /v2/orders as an order-list paginator uses it, by Alpaca's documentation: `after` and
 * `until` exclusive bounds on submitted_at, `direction`, `limit` up to 500, `nested`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { iso, place } from './ordersKit';
import { api, at, type Json, startManual } from './simKit';

const DATE = '2026-03-10';
const TOTAL = 1_200;
/** Orders sent at one market instant, cycling: many instants hold several orders. */
const BURSTS = [1, 4, 2, 5, 3];

interface Placed {
  id: string;
  t: number;
}

async function list(sim: RunningSimulator, query: string): Promise<Json[]> {
  const res = await api(sim, 'GET', `/v2/orders?${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

describe('GET /v2/orders paging', () => {
  let sim: RunningSimulator;
  /** In submission order, which is submitted_at order. */
  const placed: Placed[] = [];

  beforeAll(async () => {
    sim = await startManual({ seed: 8, date: DATE, rateLimitPerMinute: 0 });
    let t = at(DATE, '09:31');
    for (let burst = 0; placed.length < TOTAL; burst++) {
      sim.advanceTo(t);
      const n = Math.min(BURSTS[burst % BURSTS.length]!, TOTAL - placed.length);
      for (let i = 0; i < n; i++) {
        // Far below the market: they rest all day.
        const o = await place(sim, {
          symbol: 'AAPL',
          qty: '1',
          side: 'buy',
          type: 'limit',
          limit_price: '1.00',
          time_in_force: 'day',
        });
        expect(o.submitted_at).toBe(iso(t));
        placed.push({ id: o.id, t });
      }
      // Several instants per market minute, some a single millisecond apart.
      t += burst % 7 === 0 ? 1 : 9_000 + (burst % 3);
    }
  });
  afterAll(() => sim.close());

  it('gets every order exactly once paging asc with after = last submitted_at − 1 ms', async () => {
    const seen = new Map<string, Json>();
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const query: string = `status=all&direction=asc&limit=500${after === null ? '' : `&after=${after}`}`;
      const page = await list(sim, query);
      pages += 1;
      // Each page is exactly the first 500 orders submitted after `after`, oldest first.
      const afterMs = after === null ? -Infinity : Date.parse(after);
      expect(page.map((o) => o.id)).toEqual(
        placed
          .filter((p) => p.t > afterMs)
          .slice(0, 500)
          .map((p) => p.id),
      );
      let fresh = 0;
      for (const o of page) {
        if (seen.has(o.id)) continue;
        seen.set(o.id, o);
        fresh += 1;
      }
      if (page.length < 500) break;
      expect(fresh, 'a full page must move the paginator forward').toBeGreaterThan(0);
      after = iso(Date.parse(page.at(-1)!.submitted_at) - 1);
    }
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(TOTAL / 500));
    expect(seen.size).toBe(TOTAL);
    expect([...seen.keys()].sort()).toEqual(placed.map((p) => p.id).sort());
    // The technique re-reads the orders of a page's last instant: some instants hold several.
    expect(new Set(placed.map((p) => p.t)).size).toBeLessThan(TOTAL / 2);
  });

  it('treats after and until as exclusive bounds on submitted_at, in either direction', async () => {
    const shared = placed.find((p, i) => placed[i + 1]?.t === p.t && i > 100)!;
    const sameInstant = placed.filter((p) => p.t === shared.t).map((p) => p.id);
    expect(sameInstant.length).toBeGreaterThan(1);
    const T = iso(shared.t);

    const after = await list(sim, `status=all&direction=asc&limit=500&after=${T}`);
    expect(after[0].id).toBe(placed.find((p) => p.t > shared.t)!.id);
    expect(after.some((o) => sameInstant.includes(o.id))).toBe(false);

    const until = await list(sim, `status=all&direction=desc&limit=500&until=${T}`);
    expect(until.map((o) => o.id)).toEqual(
      placed
        .filter((p) => p.t < shared.t)
        .reverse()
        .slice(0, 500)
        .map((p) => p.id),
    );

    // Exactly the orders of one instant: the bounds one millisecond either side of it.
    const window = await list(
      sim,
      `status=all&direction=asc&after=${iso(shared.t - 1)}&until=${iso(shared.t + 1)}`,
    );
    expect(window.map((o) => o.id)).toEqual(sameInstant);
    // Finer than a millisecond: an `until` a microsecond past the instant still includes it.
    const fine = T.replace('Z', '001Z');
    const untilFine = await list(sim, `status=all&direction=asc&after=${iso(shared.t - 1)}&until=${fine}`);
    expect(untilFine.map((o) => o.id)).toEqual(sameInstant);
    const afterFine = await list(sim, `status=all&direction=asc&after=${fine}&until=${iso(shared.t + 1)}`);
    expect(afterFine).toEqual([]);
  });

  it('defaults to the newest 50, caps limit at 500 and refuses bad parameters', async () => {
    const newest = await list(sim, 'status=all');
    expect(newest.map((o) => o.id)).toEqual(
      placed
        .slice(-50)
        .reverse()
        .map((p) => p.id),
    );
    expect(await list(sim, 'status=all&limit=1000')).toHaveLength(500);
    expect(await list(sim, 'status=open&limit=500&direction=asc')).toHaveLength(500);
    expect(await list(sim, 'status=closed')).toEqual([]);
    for (const bad of ['limit=0', 'limit=abc', 'direction=sideways', 'after=yesterday', 'status=done'])
      expect((await api(sim, 'GET', `/v2/orders?${bad}`)).status, bad).toBe(422);
  });
});

describe('GET /v2/orders nested', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startManual({ seed: 8, date: DATE });
  });
  afterAll(() => sim.close());

  it('rolls legs up under their parent with nested=true, and lists them flat without', async () => {
    sim.advanceTo(at(DATE, '09:45'));
    const simple = await place(sim, {
      symbol: 'AAPL',
      qty: '1',
      side: 'buy',
      type: 'limit',
      limit_price: '1.00',
      time_in_force: 'day',
    });
    sim.advanceTo(at(DATE, '09:46'));
    const bracket = await place(sim, {
      symbol: 'AAPL',
      qty: '2',
      side: 'buy',
      type: 'limit',
      limit_price: '2.00',
      time_in_force: 'gtc',
      order_class: 'bracket',
      take_profit: { limit_price: '3.00' },
      stop_loss: { stop_price: '1.50' },
    });
    const legIds = bracket.legs.map((l: Json) => l.id);
    expect(legIds).toHaveLength(2);

    const nested = await list(sim, 'status=all&direction=asc&nested=true');
    expect(nested.map((o) => o.id)).toEqual([simple.id, bracket.id]);
    expect(nested[0].legs).toBeNull();
    expect(nested[1].legs.map((l: Json) => l.id)).toEqual(legIds);
    // The paginator's query on nested lists: legs never count towards the limit.
    expect((await list(sim, 'status=all&direction=asc&nested=true&limit=2')).map((o) => o.id)).toEqual([
      simple.id,
      bracket.id,
    ]);
    const flat = await list(sim, 'status=all&direction=asc');
    expect(flat.map((o) => o.id).sort()).toEqual([simple.id, bracket.id, ...legIds].sort());
    expect(flat.every((o) => o.legs === null)).toBe(true);
  });
});
