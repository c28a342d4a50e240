import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { api, at, type Json, startManual, tradableSymbols } from './simKit';

const DATE = '2026-03-10';
const SYMBOLS = ['AAPL', 'MSFT', 'AMD', 'F', 'XOM'];

describe('simulator market data', () => {
  let a: RunningSimulator;
  let b: RunningSimulator;
  let other: RunningSimulator;
  beforeAll(async () => {
    [a, b, other] = await Promise.all([
      startManual({ seed: 1234, date: DATE }),
      startManual({ seed: 1234, date: DATE, speed: 3000 }),
      startManual({ seed: 99, date: DATE }),
    ]);
  });
  afterAll(() => Promise.all([a.close(), b.close(), other.close()]));

  it('produces identical bars for the same seed, different ones for another seed', async () => {
    for (const sim of [a, b, other]) sim.advanceTo(at(DATE, '11:00'));
    const q = `/v2/stocks/bars?symbols=${SYMBOLS.join(',')}&timeframe=1Min&start=${DATE}&limit=10000`;
    const [ra, rb, ro] = await Promise.all([api(a, 'GET', q), api(b, 'GET', q), api(other, 'GET', q)]);
    expect(ra.status).toBe(200);
    expect(Object.keys(ra.body.bars).sort()).toEqual([...SYMBOLS].sort());
    expect(ra.body.bars.AAPL).toHaveLength(90);
    expect(rb.body).toEqual(ra.body);
    expect(ro.body.bars.AAPL).not.toEqual(ra.body.bars.AAPL);
    const daily = `/v2/stocks/bars?symbols=AAPL&timeframe=1Day&start=2026-01-01`;
    expect((await api(b, 'GET', daily)).body).toEqual((await api(a, 'GET', daily)).body);
  });

  it('never shows data after the market clock (no look-ahead)', async () => {
    const now = at(DATE, '11:30') + 25_000;
    a.advanceTo(now);
    const bars = await api(
      a,
      'GET',
      `/v2/stocks/bars?symbols=AAPL,MSFT&timeframe=1Min&start=${DATE}&end=${DATE}T23:00:00Z`,
    );
    for (const list of Object.values<Json[]>(bars.body.bars)) {
      const last = list[list.length - 1];
      expect(Date.parse(last.t) + 60_000).toBeLessThanOrEqual(now);
      expect(last.t).toBe(new Date(at(DATE, '11:29')).toISOString().replace('.000Z', 'Z'));
    }
    const fiveMin = await api(a, 'GET', `/v2/stocks/bars?symbols=AAPL&timeframe=5Min&start=${DATE}`);
    const lastFive = fiveMin.body.bars.AAPL.at(-1);
    expect(Date.parse(lastFive.t)).toBeLessThanOrEqual(now);

    const snap = await api(a, 'GET', '/v2/stocks/snapshots?symbols=AAPL,MSFT,NOTASYMBOL');
    expect(Object.keys(snap.body).sort()).toEqual(['AAPL', 'MSFT']);
    const s = snap.body.AAPL;
    expect(Date.parse(s.latestTrade.t)).toBeLessThanOrEqual(now);
    expect(Date.parse(s.latestQuote.t)).toBeLessThanOrEqual(now);
    expect(Date.parse(s.minuteBar.t) + 60_000).toBeLessThanOrEqual(now);
    expect(s.dailyBar.c).toBe(s.latestTrade.p);
    expect(s.latestQuote.bp).toBeLessThan(s.latestQuote.ap);
    expect(s.latestQuote.ap - s.latestQuote.bp).toBeGreaterThanOrEqual(0.01 - 1e-9);
    expect(s.prevDailyBar.t).toBe('2026-03-09T04:00:00Z');

    // What was visible stays the same once more time has passed.
    a.advanceTo(at(DATE, '12:30'));
    const later = await api(
      a,
      'GET',
      `/v2/stocks/bars?symbols=AAPL,MSFT&timeframe=1Min&start=${DATE}&end=${new Date(now).toISOString()}`,
    );
    const laterComplete = Object.fromEntries(
      Object.entries<Json[]>(later.body.bars).map(([sym, list]) => [
        sym,
        list.filter((x) => Date.parse(x.t) + 60_000 <= now),
      ]),
    );
    expect(laterComplete).toEqual(bars.body.bars);
  });

  it('serves ~30 prior daily bars plus the session so far', async () => {
    const { body } = await api(a, 'GET', '/v2/stocks/bars?symbols=AAPL&timeframe=1Day&start=2025-12-01');
    const days = body.bars.AAPL;
    expect(days.length).toBeGreaterThanOrEqual(31);
    const today = days.at(-1);
    expect(today.t).toBe('2026-03-10T04:00:00Z');
    const prev = days.at(-2);
    expect(prev.t).toBe('2026-03-09T04:00:00Z');
    const asset = (await api(a, 'GET', '/v2/assets/AAPL')).body;
    expect(asset.symbol).toBe('AAPL');
    // The first session opens with a gap from the data file's price, its previous close.
    const first = (await api(a, 'GET', `/v2/stocks/bars?symbols=AAPL&timeframe=1Min&start=${DATE}&limit=1`))
      .body.bars.AAPL[0];
    expect(first.o).toBe(today.o);
    expect(Math.abs(first.o / prev.c - 1)).toBeLessThan(0.2);
  });

  it('pages bars with a limit counted across symbols', async () => {
    const start = `${DATE}T14:30:00Z`;
    const whole = await api(
      a,
      'GET',
      `/v2/stocks/bars?symbols=MSFT,AAPL,XOM&timeframe=1Min&start=${start}&limit=10000`,
    );
    expect(whole.body.next_page_token).toBeNull();
    const merged: Record<string, unknown[]> = {};
    let token: string | null = null;
    let pages = 0;
    do {
      const page: Json = await api(
        a,
        'GET',
        `/v2/stocks/bars?symbols=MSFT,AAPL,XOM&timeframe=1Min&start=${start}&limit=70${token ? `&page_token=${token}` : ''}`,
      );
      const count = Object.values<Json[]>(page.body.bars).reduce((n, l) => n + l.length, 0);
      expect(count).toBeLessThanOrEqual(70);
      for (const [sym, list] of Object.entries<Json[]>(page.body.bars)) (merged[sym] ??= []).push(...list);
      token = page.body.next_page_token;
      pages++;
    } while (token);
    expect(pages).toBeGreaterThan(3);
    expect(merged).toEqual(whole.body.bars);
    expect(Object.keys(whole.body.bars)).toEqual(['AAPL', 'MSFT', 'XOM']);
  });

  it('snapshots the whole tradable universe quickly', async () => {
    const symbols = await tradableSymbols(a);
    const started = Date.now();
    let count = 0;
    for (let i = 0; i < symbols.length; i += 500) {
      const page = await api(a, 'GET', `/v2/stocks/snapshots?symbols=${symbols.slice(i, i + 500).join(',')}`);
      count += Object.keys(page.body).length;
    }
    expect(count).toBe(symbols.length);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
