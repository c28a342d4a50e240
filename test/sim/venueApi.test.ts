import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { api, at, type Json, startManual } from './simKit';

describe('simulator: universe, clock, calendar and HTTP conventions', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startManual({ seed: 7, date: '2026-11-27' });
  });
  afterAll(() => sim.close());

  it('lists at least 4,000 tradable assets among the real symbols', async () => {
    const all = await api(sim, 'GET', '/v2/assets');
    expect(all.status).toBe(200);
    expect(all.body.length).toBeGreaterThan(7000);
    const active = await api(sim, 'GET', '/v2/assets?status=active&asset_class=us_equity');
    const tradable = active.body.filter((a: Json) => a.tradable);
    expect(tradable.length).toBeGreaterThanOrEqual(4000);
    const inactive = await api(sim, 'GET', '/v2/assets?status=inactive');
    expect(inactive.body.every((a: Json) => a.tradable === false)).toBe(true);
    const aapl = await api(sim, 'GET', '/v2/assets/AAPL');
    expect(aapl.body).toMatchObject({
      symbol: 'AAPL',
      class: 'us_equity',
      exchange: 'NASDAQ',
      status: 'active',
      tradable: true,
    });
    const missing = await api(sim, 'GET', '/v2/assets/NOPE123');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe(40410000);
  });

  it('runs the clock on an early-close day and knows holidays', async () => {
    expect(sim.sessionDate()).toBe('2026-11-27');
    const before = await api(sim, 'GET', '/v2/clock');
    expect(before.body).toEqual({
      timestamp: '2026-11-27T09:29:00.000-05:00',
      is_open: false,
      next_open: '2026-11-27T09:30:00.000-05:00',
      next_close: '2026-11-27T13:00:00.000-05:00',
    });
    sim.advanceTo(at('2026-11-27', '12:00'));
    const open = await api(sim, 'GET', '/v2/clock');
    expect(open.body.is_open).toBe(true);
    expect(open.body.next_open).toBe('2026-11-30T09:30:00.000-05:00');
    const cal = await api(sim, 'GET', '/v2/calendar?start=2026-11-23T00:00:00.000Z&end=2026-11-30');
    expect(cal.body.map((d: Json) => [d.date, d.close])).toEqual([
      ['2026-11-23', '16:00'],
      ['2026-11-24', '16:00'],
      ['2026-11-25', '16:00'],
      ['2026-11-27', '13:00'],
      ['2026-11-30', '16:00'],
    ]);
    expect(cal.body[0]).toMatchObject({ open: '09:30', session_open: '0400', session_close: '2000' });
    sim.advanceTo(at('2026-11-27', '13:00'));
    const closed = await api(sim, 'GET', '/v2/clock');
    expect(closed.body.is_open).toBe(false);
    expect(closed.body.next_close).toBe('2026-11-30T16:00:00.000-05:00');
  });

  it('answers with Alpaca-shaped errors and rate-limit headers', async () => {
    const noAuth = await api(sim, 'GET', '/v2/account', undefined, { secretKey: 'wrong' });
    expect(noAuth.status).toBe(401);
    expect(noAuth.body).toEqual({ code: 40110000, message: 'request is not authorized' });
    const unknown = await api(sim, 'GET', '/v2/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe(40410000);
    const ok = await api(sim, 'GET', '/v2/account');
    expect(ok.headers.get('x-ratelimit-limit')).toBe('200');
    expect(Number(ok.headers.get('x-ratelimit-remaining'))).toBeGreaterThanOrEqual(0);
    expect(Number(ok.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 - 1);
    expect(unknown.headers.get('x-ratelimit-limit')).toBe('200');
    const badBars = await api(sim, 'GET', '/v2/stocks/bars?symbols=AAPL&timeframe=7Week');
    // The data API answers a value it cannot use with 422 (code 42210000, "invalid timeframe").
    expect(badBars.status).toBe(422);
    expect(badBars.body).toEqual({ code: 42210000, message: 'invalid timeframe' });
    const news = await api(sim, 'GET', '/v1beta1/news?symbols=AAPL');
    expect(news.status).toBe(200);
    expect(Array.isArray(news.body.news)).toBe(true);
  });

  it('starts a paper account with $100,000', async () => {
    const { body } = await api(sim, 'GET', '/v2/account');
    expect(body).toMatchObject({
      cash: '100000.00',
      equity: '100000.00',
      buying_power: '100000.00',
      currency: 'USD',
      status: 'ACTIVE',
    });
  });
});
