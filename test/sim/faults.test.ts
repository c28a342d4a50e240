import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultSpecError, parseFaultSpec, scopeMatches } from '../../src/sim/http/faultsSpec';
import { createFaultInjector } from '../../src/sim/http/faults';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { startSimulator } from '../../src/sim/startSimulator';
import { api, startManual } from './simKit';

const DATE = '2026-11-24';

/** One request as a client sees it: a status, or the connection failing without one. */
async function attempt(
  sim: RunningSimulator,
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 5_000,
): Promise<{ status: number | 'no answer'; ms: number; fault: string | null }> {
  const started = Date.now();
  try {
    const res = await fetch(`${sim.url}${path}`, {
      method,
      headers: {
        'APCA-API-KEY-ID': sim.keyId,
        'APCA-API-SECRET-KEY': sim.secretKey,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    return { status: res.status, ms: Date.now() - started, fault: res.headers.get('X-Simulator-Fault') };
  } catch {
    return { status: 'no answer', ms: Date.now() - started, fault: null };
  }
}

async function statuses(sim: RunningSimulator, path: string, n: number): Promise<Array<number | string>> {
  const out: Array<number | string> = [];
  for (let i = 0; i < n; i++) out.push((await attempt(sim, 'GET', path)).status);
  return out;
}

const order = (clientOrderId: string): Record<string, unknown> => ({
  symbol: 'AAPL',
  qty: '1',
  side: 'buy',
  type: 'limit',
  limit_price: '1.00',
  time_in_force: 'day',
  client_order_id: clientOrderId,
});

describe('fault spec', () => {
  it('parses kinds, probabilities, durations and scopes', () => {
    const rules = parseFaultSpec(
      '500:0.05, 429:2%,latency:0.1@200ms,timeout:0.01,drop:0.01,POST /v2/orders:drop:0.2,GET /v2/orders:by_client_order_id:503:1,/v2/stocks:timeout:0.5@1.5s,DELETE:500:0.1',
    );
    expect(
      rules.map((r) => [r.kind, r.status, r.probability, r.durationMs, r.scope.method, r.scope.path]),
    ).toEqual([
      ['status', 500, 0.05, null, null, null],
      ['status', 429, 0.02, null, null, null],
      ['latency', null, 0.1, 200, null, null],
      ['timeout', null, 0.01, 2000, null, null],
      ['drop', null, 0.01, null, null, null],
      ['drop', null, 0.2, null, 'POST', '/v2/orders'],
      ['status', 503, 1, null, 'GET', '/v2/orders:by_client_order_id'],
      ['timeout', null, 0.5, 1500, null, '/v2/stocks'],
      ['status', 500, 0.1, null, 'DELETE', null],
    ]);
    expect(parseFaultSpec('')).toEqual([]);
    expect(parseFaultSpec(' , ')).toEqual([]);
  });

  it('names the bad token and what is wrong with it', () => {
    const cases: Array<[string, RegExp]> = [
      ['500:0.05,500:1.5', /"500:1\.5": probability must be between 0 and 1/],
      ['500:abc', /"500:abc": probability "abc" is not a number/],
      ['404:0.1', /"404:0\.1": status 404 is not a fault; use 429 or 500-599/],
      ['explode:0.1', /"explode:0\.1": unknown fault "explode"/],
      ['latency:0.1@fast', /"latency:0\.1@fast": duration "fast" must look like 200ms or 2s/],
      ['drop:0.1@2s', /"drop:0\.1@2s": only latency and timeout take an @duration/],
      ['orders:500:0.1', /"orders:500:0\.1": scope "orders" must be a METHOD, a \/path or "METHOD \/path"/],
      ['500', /"500": expected \[SCOPE:\]KIND:PROBABILITY\[@DURATION\]/],
    ];
    for (const [spec, message] of cases) {
      expect(() => parseFaultSpec(spec), spec).toThrow(FaultSpecError);
      expect(() => parseFaultSpec(spec), spec).toThrow(message);
    }
  });

  it('scopes a /path to itself and what lies below it, with :name matching one segment', () => {
    const [orders, byId] = parseFaultSpec('/v2/orders:500:1,DELETE /v2/orders/:id:500:1').map((r) => r.scope);
    expect(scopeMatches(orders!, 'GET', '/v2/orders')).toBe(true);
    expect(scopeMatches(orders!, 'POST', '/v2/orders/')).toBe(true);
    expect(scopeMatches(orders!, 'GET', '/v2/orders/abc')).toBe(true);
    expect(scopeMatches(orders!, 'GET', '/v2/orders:by_client_order_id')).toBe(true);
    expect(scopeMatches(orders!, 'GET', '/v2/ordersx')).toBe(false);
    expect(scopeMatches(orders!, 'GET', '/v2/positions')).toBe(false);
    expect(scopeMatches(byId!, 'DELETE', '/v2/orders/abc')).toBe(true);
    expect(scopeMatches(byId!, 'GET', '/v2/orders/abc')).toBe(false);
    expect(scopeMatches(byId!, 'DELETE', '/v2/orders')).toBe(false);
  });

  it('draws per route, so other routes’ traffic never shifts a route’s faults', () => {
    const draw = (injector: ReturnType<typeof createFaultInjector>, n: number, noise: boolean) =>
      Array.from({ length: n }, () => {
        if (noise) injector.next('GET /v2/positions', 'GET', '/v2/positions');
        return injector.next('GET /v2/clock', 'GET', '/v2/clock')?.status ?? 200;
      });
    const quiet = draw(createFaultInjector(11, '500:0.3'), 200, false);
    const busy = draw(createFaultInjector(11, '500:0.3'), 200, true);
    expect(busy).toEqual(quiet);
    expect(draw(createFaultInjector(12, '500:0.3'), 200, false)).not.toEqual(quiet);
    const share = quiet.filter((s) => s === 500).length / quiet.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);
  });
});

describe('fault injection over HTTP', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startManual({ seed: 5, date: DATE, faults: 'GET /v2/clock:500:0.3' });
  });
  afterAll(() => sim.close());

  it('is deterministic for a seed and switchable at runtime', async () => {
    const first = await statuses(sim, '/v2/clock', 30);
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(sim.faultCounts()).toEqual({ 'GET /v2/clock 500': first.filter((s) => s === 500).length });

    const twin = await startManual({ seed: 5, date: DATE, faults: 'GET /v2/clock:500:0.3' });
    try {
      expect(await statuses(twin, '/v2/clock', 30)).toEqual(first);
    } finally {
      await twin.close();
    }

    sim.setFaults('GET /v2/clock:500:0.3');
    expect(await statuses(sim, '/v2/clock', 30)).toEqual(first);
    sim.setFaults(null);
    expect(await statuses(sim, '/v2/clock', 10)).toEqual(Array(10).fill(200));
    expect(sim.faultCounts()).toEqual({});
  });

  it('refuses a bad spec at runtime and keeps the one in force', async () => {
    sim.setFaults('GET /v2/account:503:1');
    expect(() => sim.setFaults('GET /v2/account:503:2')).toThrow(/probability must be between 0 and 1/);
    const res = await attempt(sim, 'GET', '/v2/account');
    expect(res).toMatchObject({ status: 503, fault: 'GET /v2/account:503:1' });
    sim.setFaults(null);
    await expect(startManual({ seed: 5, date: DATE, faults: 'timeout:0.1@forever' })).rejects.toThrow(
      /bad fault rule "timeout:0\.1@forever"/,
    );
  });

  it('answers a 500 before the route runs: the order is not placed', async () => {
    sim.setFaults('POST /v2/orders:500:1');
    const refused = await attempt(sim, 'POST', '/v2/orders', order('fault-500'));
    expect(refused.status).toBe(500);
    sim.setFaults(null);
    const lookup = await api(sim, 'GET', '/v2/orders:by_client_order_id?client_order_id=fault-500');
    expect(lookup.status).toBe(404);
  });

  it('answers an injected 429 like the rate limit does', async () => {
    sim.setFaults('/v2/account:429:1');
    const res = await api(sim, 'GET', '/v2/account');
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ code: 42910000, message: 'rate limit exceeded' });
    expect(res.headers.get('X-Ratelimit-Remaining')).toBe('0');
    expect(Number(res.headers.get('X-Ratelimit-Reset'))).toBeGreaterThanOrEqual(
      Math.floor(Date.now() / 1000),
    );
    sim.setFaults(null);
  });

  it('drops the connection after placing the order: the answer is lost, the order is not', async () => {
    sim.setFaults('POST /v2/orders:drop:1');
    const lost = await attempt(sim, 'POST', '/v2/orders', order('fault-drop'));
    expect(lost.status).toBe('no answer');
    expect(sim.faultCounts()).toEqual({ 'POST /v2/orders drop': 1 });
    sim.setFaults(null);
    const found = await api(sim, 'GET', '/v2/orders:by_client_order_id?client_order_id=fault-drop');
    expect(found.status).toBe(200);
    expect(found.body.symbol).toBe('AAPL');
    const again = await api(sim, 'POST', '/v2/orders', order('fault-drop'));
    expect(again.status).toBe(422);
    expect(again.body.message).toBe('client_order_id must be unique');
  });

  it('holds the answer back on a timeout, then closes without one; the order stands', async () => {
    sim.setFaults('POST /v2/orders:timeout:1@300ms');
    const held = await attempt(sim, 'POST', '/v2/orders', order('fault-timeout'));
    expect(held.status).toBe('no answer');
    expect(held.ms).toBeGreaterThanOrEqual(280);
    // A client that gives up first just stops waiting.
    const impatient = await attempt(sim, 'POST', '/v2/orders', order('fault-timeout-2'), 100);
    expect(impatient.status).toBe('no answer');
    expect(impatient.ms).toBeLessThan(280);
    sim.setFaults(null);
    for (const id of ['fault-timeout', 'fault-timeout-2']) {
      const found = await api(sim, 'GET', `/v2/orders:by_client_order_id?client_order_id=${id}`);
      expect(found.status, id).toBe(200);
    }
  });

  it('delays a request on latency and then serves it', async () => {
    sim.setFaults('GET /v2/clock:latency:1@150ms');
    const slow = await attempt(sim, 'GET', '/v2/clock');
    expect(slow.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(140);
    sim.setFaults(null);
  });

  it('starts from the spec given at startup on a running clock too', async () => {
    const running = await startSimulator({ seed: 5, speed: 600, date: DATE, faults: '/v2/assets:503:100%' });
    try {
      expect((await attempt(running, 'GET', '/v2/assets/AAPL')).status).toBe(503);
      expect((await attempt(running, 'GET', '/v2/clock')).status).toBe(200);
    } finally {
      await running.close();
    }
  });
});
