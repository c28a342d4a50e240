import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { api, at, type Json, startManual } from './simKit';

const DATE = '2026-03-10';
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const bars = async (sim: RunningSimulator, query: string): Promise<Json> => {
  const res = await api(sim, 'GET', `/v2/stocks/bars?${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

/** Aggregates minute bars the way the API must: first open, extreme high/low, last close, summed volume. */
function aggregate(
  minutes: Json[],
  bucketMs: number,
): Array<[string, number, number, number, number, number]> {
  const out = new Map<number, Json[]>();
  for (const b of minutes) {
    const t = Math.floor(Date.parse(b.t) / bucketMs) * bucketMs;
    out.set(t, [...(out.get(t) ?? []), b]);
  }
  return [...out].map(([t, list]) => [
    new Date(t).toISOString().replace('.000Z', 'Z'),
    list[0].o,
    Math.max(...list.map((b) => b.h)),
    Math.min(...list.map((b) => b.l)),
    list.at(-1).c,
    list.reduce((s, b) => s + b.v, 0),
  ]);
}

describe('market data conformance', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startManual({ seed: 314, date: DATE });
    sim.advanceTo(at(DATE, '11:37') + 42_000);
  });
  afterAll(() => sim.close());

  it('serves 1Min, 5Min, 15Min, 1Hour and 1Day bars that agree with each other', async () => {
    const minute = (await bars(sim, `symbols=AAPL&timeframe=1Min&start=${DATE}&limit=10000`)).bars
      .AAPL as Json[];
    expect(minute).toHaveLength(127);
    for (const b of minute) {
      expect(b.t).toMatch(RFC3339_UTC);
      expect(b.h).toBeGreaterThanOrEqual(Math.max(b.o, b.c));
      expect(b.l).toBeLessThanOrEqual(Math.min(b.o, b.c));
      expect(Number.isInteger(b.n) && b.n > 0).toBe(true);
      expect(b.vw).toBeGreaterThanOrEqual(b.l - 1e-9);
      expect(b.vw).toBeLessThanOrEqual(b.h + 1e-9);
    }
    for (const [tf, ms] of [
      ['5Min', 5 * 60_000],
      ['15Min', 15 * 60_000],
      ['1Hour', 3_600_000],
      ['1H', 3_600_000],
    ] as const) {
      const agg = (await bars(sim, `symbols=AAPL&timeframe=${tf}&start=${DATE}`)).bars.AAPL as Json[];
      expect(
        agg.map((b) => [b.t, b.o, b.h, b.l, b.c, b.v]),
        tf,
      ).toEqual(aggregate(minute, ms));
    }
    const daily = (await bars(sim, 'symbols=AAPL&timeframe=1Day&start=2026-03-01')).bars.AAPL as Json[];
    expect(daily.map((b) => b.t)).toEqual([
      '2026-03-02T05:00:00Z',
      '2026-03-03T05:00:00Z',
      '2026-03-04T05:00:00Z',
      '2026-03-05T05:00:00Z',
      '2026-03-06T05:00:00Z',
      '2026-03-09T04:00:00Z',
      '2026-03-10T04:00:00Z',
    ]);
    const today = daily.at(-1);
    expect([today.o, today.c, today.v]).toEqual([
      minute[0].o,
      minute.at(-1).c,
      minute.reduce((s, b) => s + b.v, 0),
    ]);
  });

  it('sorts by symbol then time, counts the limit across symbols, pages in both directions', async () => {
    const symbols = 'XOM,aapl,MSFT,NOTASYMBOL,AAPL';
    const whole = await bars(sim, `symbols=${symbols}&timeframe=5Min&start=${DATE}&limit=10000`);
    expect(Object.keys(whole.bars)).toEqual(['AAPL', 'MSFT', 'XOM']);
    for (const sort of ['asc', 'desc']) {
      const merged: Record<string, Json[]> = {};
      let token: string | null = null;
      let pages = 0;
      do {
        const page: Json = await bars(
          sim,
          `symbols=${symbols}&timeframe=5Min&start=${DATE}&limit=11&sort=${sort}${token ? `&page_token=${token}` : ''}`,
        );
        const count = Object.values<Json[]>(page.bars).reduce((n, l) => n + l.length, 0);
        expect(count).toBeLessThanOrEqual(11);
        for (const [sym, list] of Object.entries<Json[]>(page.bars)) (merged[sym] ??= []).push(...list);
        token = page.next_page_token;
        pages++;
      } while (token);
      expect(pages).toBe(Math.ceil((3 * 26) / 11));
      const expected = Object.fromEntries(
        Object.entries<Json[]>(whole.bars).map(([s, l]) => [s, sort === 'desc' ? [...l].reverse() : l]),
      );
      expect(merged).toEqual(expected);
    }
    expect(whole.next_page_token).toBeNull();
    const single = await api(sim, 'GET', `/v2/stocks/MSFT/bars?timeframe=5Min&start=${DATE}&limit=4`);
    expect(single.body.symbol).toBe('MSFT');
    expect(single.body.bars).toEqual(whole.bars.MSFT.slice(0, 4));
    expect(typeof single.body.next_page_token).toBe('string');
  });

  it('accepts feed, adjustment, sort, asof and currency, and the client’s millisecond timestamps', async () => {
    const base = await bars(sim, `symbols=AAPL&timeframe=15Min&start=2026-03-10T14:30:00Z`);
    for (const extra of [
      'feed=iex',
      'feed=sip',
      'adjustment=raw',
      'adjustment=split,dividend',
      'adjustment=all',
      'asof=2026-03-10',
      'currency=USD',
      'sort=asc',
    ])
      expect(
        await bars(sim, `symbols=AAPL&timeframe=15Min&start=2026-03-10T14:30:00Z&${extra}`),
        extra,
      ).toEqual(base);
    expect(await bars(sim, 'symbols=AAPL&timeframe=15Min&start=2026-03-10T14:30:00.000Z')).toEqual(base);
    expect(await bars(sim, 'symbols=AAPL&timeframe=15Min&start=2026-03-10T10:30:00-04:00')).toEqual(base);
  });

  it('answers bad parameters with the data API’s status codes and {code, message}', async () => {
    const cases: Array<[string, number, string?]> = [
      ['/v2/stocks/bars?symbols=AAPL&timeframe=7Week', 422, 'invalid timeframe'],
      ['/v2/stocks/bars?symbols=AAPL&timeframe=60Min', 422, 'invalid timeframe'],
      ['/v2/stocks/bars?symbols=AAPL&timeframe=1Min&limit=10001', 422],
      ['/v2/stocks/bars?symbols=AAPL&timeframe=1Min&limit=ten', 422],
      ['/v2/stocks/bars?symbols=AAPL&timeframe=1Min&start=10/03/2026', 422],
      [
        '/v2/stocks/bars?symbols=AAPL&timeframe=1Min&start=2026-03-10&end=2026-03-09',
        422,
        'end should not be before start',
      ],
      ['/v2/stocks/bars?symbols=AAPL&timeframe=1Min&feed=nasdaq', 422],
      ['/v2/stocks/bars?symbols=AAPL&timeframe=1Min&adjustment=none', 422],
      ['/v2/stocks/bars?symbols=AAPL&timeframe=1Min&sort=up', 422],
      ['/v2/stocks/bars?symbols=AAPL&timeframe=1Min&page_token=garbage', 422, 'invalid page_token'],
      ['/v2/stocks/bars?symbols=AA%20PL&timeframe=1Min', 422],
      ['/v2/stocks/bars?timeframe=1Min', 400, 'missing symbols'],
      ['/v2/stocks/bars?symbols=AAPL', 400, 'missing timeframe'],
      ['/v2/stocks/bars?symbols=AAPL&timeframe=1Min&after=2026-03-10', 400, 'unexpected parameter(s): after'],
      ['/v2/stocks/snapshots', 400, 'missing symbols'],
      ['/v2/stocks/snapshots?symbols=AAPL&feed=x', 422],
      ['/v2/stocks/NOTASYMBOL/snapshot', 404],
    ];
    for (const [path, status, message] of cases) {
      const res = await api(sim, 'GET', path);
      expect(res.status, path).toBe(status);
      expect(Object.keys(res.body).sort(), path).toEqual(['code', 'message']);
      expect(String(res.body.code), path).toMatch(/^\d{8}$/);
      if (message) expect(res.body.message, path).toBe(message);
    }
  });

  it('snapshots one or many symbols with RFC 3339 times and consistent bars', async () => {
    const multi = (await api(sim, 'GET', '/v2/stocks/snapshots?symbols=MSFT,AAPL&feed=iex')).body;
    const single = (await api(sim, 'GET', '/v2/stocks/AAPL/snapshot?feed=sip')).body;
    expect(single).toEqual({ symbol: 'AAPL', ...multi.AAPL });
    for (const snap of Object.values<Json>(multi)) {
      for (const t of [
        snap.latestTrade.t,
        snap.latestQuote.t,
        snap.minuteBar.t,
        snap.dailyBar.t,
        snap.prevDailyBar.t,
      ])
        expect(t).toMatch(RFC3339_UTC);
      expect(snap.minuteBar.t).toBe('2026-03-10T15:36:00Z');
      expect(snap.dailyBar.c).toBe(snap.latestTrade.p);
      expect(snap.latestQuote.bp).toBeLessThanOrEqual(snap.latestTrade.p);
      expect(snap.latestQuote.ap).toBeGreaterThan(snap.latestTrade.p);
    }
  });
});

describe('screener', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startManual({ seed: 271, date: DATE });
  });
  afterAll(() => sim.close());

  it('before the first open shows the previous day, then resets at the open', async () => {
    const pre = (await api(sim, 'GET', '/v1beta1/screener/stocks/movers')).body;
    expect(pre.last_updated).toBe('2026-03-09T20:00:00Z');
    expect(pre.gainers).toHaveLength(10);
    sim.advanceTo(at(DATE, '10:15') + 20_000);
    const during = (await api(sim, 'GET', '/v1beta1/screener/stocks/movers')).body;
    expect(during.last_updated).toBe('2026-03-10T14:15:20Z');
    expect(during.gainers).not.toEqual(pre.gainers);
  });

  it('ranks gainers and losers by percent change from the previous close, as the snapshots see it', async () => {
    sim.advanceTo(at(DATE, '13:05'));
    const res = await api(sim, 'GET', '/v1beta1/screener/stocks/movers?top=25');
    expect(res.status).toBe(200);
    const { gainers, losers, market_type } = res.body;
    expect(market_type).toBe('stocks');
    expect(gainers).toHaveLength(25);
    expect(losers).toHaveLength(25);
    const pcts = (l: Json[]) => l.map((m) => m.percent_change);
    expect(pcts(gainers)).toEqual([...pcts(gainers)].sort((a, b) => b - a));
    expect(pcts(losers)).toEqual([...pcts(losers)].sort((a, b) => a - b));
    expect(gainers.every((m: Json) => m.percent_change > 0 && m.change > 0)).toBe(true);
    expect(losers.every((m: Json) => m.percent_change < 0 && m.change < 0)).toBe(true);
    const symbols = [...gainers.slice(0, 5), ...losers.slice(0, 5)];
    const snaps = (
      await api(sim, 'GET', `/v2/stocks/snapshots?symbols=${symbols.map((m) => m.symbol).join(',')}`)
    ).body;
    for (const m of symbols) {
      const s = snaps[m.symbol];
      expect(m.price).toBe(s.latestTrade.p);
      expect(m.change).toBeCloseTo(s.latestTrade.p - s.prevDailyBar.c, 4);
      expect(m.percent_change).toBeCloseTo(
        ((s.latestTrade.p - s.prevDailyBar.c) / s.prevDailyBar.c) * 100,
        1,
      );
    }
    const crypto = (await api(sim, 'GET', '/v1beta1/screener/crypto/movers')).body;
    expect(crypto).toMatchObject({ gainers: [], losers: [], market_type: 'crypto' });
    expect((await api(sim, 'GET', '/v1beta1/screener/bonds/movers')).status).toBe(422);
    expect((await api(sim, 'GET', '/v1beta1/screener/stocks/movers?top=51')).status).toBe(422);
  });

  it('lists the most active stocks by volume or by trade count, as of now', async () => {
    sim.advanceTo(at(DATE, '14:00'));
    const byVolume = (await api(sim, 'GET', '/v1beta1/screener/stocks/most-actives')).body;
    expect(byVolume.most_actives).toHaveLength(10);
    expect(byVolume.last_updated).toBe('2026-03-10T18:00:00Z');
    const vols = byVolume.most_actives.map((m: Json) => m.volume);
    expect(vols).toEqual([...vols].sort((a, b) => b - a));
    const top = byVolume.most_actives[0];
    const day = (await api(sim, 'GET', `/v2/stocks/${top.symbol}/snapshot`)).body.dailyBar;
    expect(top.volume).toBe(day.v);
    const byTrades = (await api(sim, 'GET', '/v1beta1/screener/stocks/most-actives?by=trades&top=30')).body;
    expect(byTrades.most_actives).toHaveLength(30);
    const counts = byTrades.most_actives.map((m: Json) => m.trade_count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect((await api(sim, 'GET', '/v1beta1/screener/stocks/most-actives?by=price')).status).toBe(422);
    expect((await api(sim, 'GET', '/v1beta1/screener/stocks/most-actives?top=101')).status).toBe(422);
    // Volume only grows with the clock.
    sim.advanceTo(at(DATE, '15:00'));
    const later = (await api(sim, 'GET', `/v1beta1/screener/stocks/most-actives?top=100`)).body.most_actives;
    const again = later.find((m: Json) => m.symbol === top.symbol);
    expect(again.volume).toBeGreaterThan(top.volume);
  });
});
