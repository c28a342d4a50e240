import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFactorPaths } from '../../src/sim/market/factorPaths';
import { loadMarketDays, marketDayFor } from '../../src/sim/market/marketDays';
import { makeSession } from '../../src/sim/market/sessionTimeline';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { generateSymbolSeries, unitsPerDollarFor } from '../../src/sim/market/symbolSeries';
import { loadUniverse } from '../../src/sim/market/universe';
import { api, at, type Json, startManual } from './simKit';

const DATA = resolve(dirname(fileURLToPath(import.meta.url)), '../../data');
const DATE = '2026-03-10';
const NEXT = '2026-03-11';
const SYMBOLS = ['AAPL', 'MSFT', 'XOM', 'AMD', 'F'];
const FAR = '2031-01-01T00:00:00Z';

/** Every time stamp any market endpoint shows at `now`, checked against it. */
async function checkNothingAfter(sim: RunningSimulator, now: number): Promise<Record<string, unknown>> {
  const seen: Record<string, unknown> = {};
  const minute = await api(
    sim,
    'GET',
    `/v2/stocks/bars?symbols=${SYMBOLS}&timeframe=1Min&start=2026-03-01&end=${FAR}&limit=10000`,
  );
  for (const list of Object.values<Json[]>(minute.body.bars))
    for (const b of list) expect(Date.parse(b.t) + 60_000, `1Min bar ${b.t}`).toBeLessThanOrEqual(now);
  seen.minute = minute.body;
  for (const tf of ['5Min', '1Hour', '1Day']) {
    const res = await api(
      sim,
      'GET',
      `/v2/stocks/bars?symbols=${SYMBOLS}&timeframe=${tf}&start=2026-03-01&end=${FAR}&limit=10000`,
    );
    for (const list of Object.values<Json[]>(res.body.bars))
      for (const b of list) expect(Date.parse(b.t), `${tf} bar ${b.t}`).toBeLessThanOrEqual(now);
    seen[tf] = res.body;
  }
  const snaps = await api(sim, 'GET', `/v2/stocks/snapshots?symbols=${SYMBOLS}`);
  for (const s of Object.values<Json>(snaps.body)) {
    expect(Date.parse(s.latestTrade.t)).toBeLessThanOrEqual(now);
    expect(Date.parse(s.latestQuote.t)).toBeLessThanOrEqual(now);
    if (s.minuteBar) expect(Date.parse(s.minuteBar.t) + 60_000).toBeLessThanOrEqual(now);
    if (s.dailyBar) expect(Date.parse(s.dailyBar.t)).toBeLessThanOrEqual(now);
    expect(Date.parse(s.prevDailyBar.t)).toBeLessThan(now);
  }
  seen.snapshots = snaps.body;
  const news = await api(
    sim,
    'GET',
    `/v1beta1/news?start=2026-03-01&end=${FAR}&limit=50&include_content=true`,
  );
  for (const n of news.body.news) {
    expect(Date.parse(n.created_at), n.headline).toBeLessThanOrEqual(now);
    expect(Date.parse(n.updated_at), n.headline).toBeLessThanOrEqual(now);
  }
  seen.news = news.body;
  for (const path of [
    '/v1beta1/screener/stocks/movers?top=20',
    '/v1beta1/screener/stocks/most-actives?top=20',
  ]) {
    const res = await api(sim, 'GET', path);
    expect(Date.parse(res.body.last_updated), path).toBeLessThanOrEqual(now);
    seen[path] = res.body;
  }
  return seen;
}

describe('no look-ahead', () => {
  let crash: RunningSimulator;
  let calm: RunningSimulator;
  beforeAll(async () => {
    [crash, calm] = await Promise.all([
      startManual({ seed: 77, date: DATE, market: { scenario: 'crash@13:15' } }),
      startManual({ seed: 77, date: DATE }),
    ]);
  });
  afterAll(() => Promise.all([crash.close(), calm.close()]));

  it('walks the clock through two sessions without any endpoint showing data after now', async () => {
    const walk = [
      at(DATE, '09:29') + 30_000,
      at(DATE, '09:30'),
      at(DATE, '09:30') + 45_000,
      at(DATE, '09:31'),
      at(DATE, '10:02') + 31_000,
      at(DATE, '11:59') + 59_999,
      at(DATE, '13:14') + 50_000,
      at(DATE, '13:15'),
      at(DATE, '13:16') + 5_000,
      at(DATE, '15:59') + 30_000,
      at(DATE, '16:00'),
      at(DATE, '18:30'),
      at(NEXT, '08:00'),
      at(NEXT, '09:45') + 10_000,
    ];
    for (const now of walk) {
      crash.advanceTo(now);
      expect(crash.nowMs()).toBe(now);
      const seen = await checkNothingAfter(crash, now);
      // The crash at 13:15 changes only what comes after it: until then both markets show the
      // same bars, quotes, news and screens, so nothing shown before 13:15 knew it was coming.
      if (now <= at(DATE, '13:15')) {
        calm.advanceTo(now);
        expect(await checkNothingAfter(calm, now), new Date(now).toISOString()).toEqual(seen);
      }
    }
  });

  it('keeps what it showed: a completed bar never changes once visible', async () => {
    const sim = await startManual({ seed: 78, date: DATE });
    try {
      const query = `/v2/stocks/bars?symbols=${SYMBOLS}&timeframe=1Min&start=${DATE}&limit=10000`;
      sim.advanceTo(at(DATE, '10:30') + 20_000);
      const early = (await api(sim, 'GET', query)).body.bars;
      sim.advanceTo(at(DATE, '14:00'));
      const late = (await api(sim, 'GET', query)).body.bars;
      for (const [s, list] of Object.entries<Json[]>(early))
        expect(late[s].slice(0, list.length)).toEqual(list);
    } finally {
      await sim.close();
    }
  });
});

describe('no look-ahead inside the series', () => {
  const universe = loadUniverse(DATA);
  const days = loadMarketDays(DATA);
  const session = makeSession(0, DATE);
  const factors = buildFactorPaths(5, 0, session.minutes, marketDayFor(days, 5, 0));
  const asset = universe.bySymbol.get('AMD')!;
  const make = (shocks: Parameters<typeof generateSymbolSeries>[0]['shocks']) =>
    generateSymbolSeries({
      seed: 5,
      asset,
      session,
      prevClose: asset.price,
      factors,
      unitsPerDollar: unitsPerDollarFor(asset.price),
      shocks,
    });

  it('a story published in minute m-1 leaves every earlier minute exactly as it was', () => {
    const m = 200;
    const quiet = make([]);
    const news = make([{ minute: m, jump: 0.08, drift: 0.03, tau: 40, activity: 6 }]);
    const before = (s: typeof quiet) => [
      [...s.path.slice(0, m)],
      [...s.high.slice(0, m - 1)],
      [...s.low.slice(0, m - 1)],
      [...s.volume.slice(0, m - 1)],
    ];
    expect(before(news)).toEqual(before(quiet));
    expect(news.path[m]! / quiet.path[m]!).toBeCloseTo(Math.exp(0.08), 2);
    expect(news.volume[m - 1]!).toBeGreaterThan(quiet.volume[m - 1]!);
  });
});
