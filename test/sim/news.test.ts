import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMarketDays } from '../../src/sim/market/marketDays';
import { MarketModel } from '../../src/sim/market/marketModel';
import type { NewsEvent } from '../../src/sim/market/newsModel';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { loadUniverse } from '../../src/sim/market/universe';
import { api, at, type Json, startManual } from './simKit';

const DATA = resolve(dirname(fileURLToPath(import.meta.url)), '../../data');
const DATE = '2026-03-10';
const universe = loadUniverse(DATA);
const days = loadMarketDays(DATA);
const model = (seed: number, signalStrength?: number): MarketModel =>
  new MarketModel(seed, universe, days, DATE, signalStrength === undefined ? {} : { signalStrength });

const priceStories = (events: readonly NewsEvent[]): NewsEvent[] => events.filter((e) => e.moveSign !== 0);
const agreeing = (events: readonly NewsEvent[]): number =>
  events.filter((e) => (e.tone === 'positive') === e.moveSign > 0).length / events.length;

describe('simulated news: the model', () => {
  it('publishes a realistic, varied, deterministic set of stories per session', () => {
    const a = model(11);
    const b = model(11);
    for (const index of [0, 1, 2]) {
      const events = a.news(index);
      expect(events.length).toBeGreaterThan(60);
      expect(events.length).toBeLessThan(400);
      expect(b.news(index)).toEqual(events);
      const kinds = new Set(events.map((e) => e.kind));
      for (const k of ['earnings', 'analyst', 'guidance']) expect(kinds).toContain(k);
      expect(kinds.size).toBeGreaterThanOrEqual(7);
      for (const e of events) {
        for (const s of e.symbols) expect(universe.bySymbol.get(s)?.tradable).toBe(true);
        expect(e.headline.length).toBeGreaterThan(10);
        expect(e.summary.length).toBeGreaterThan(10);
      }
      // Ids rise with publication time, across sessions too.
      const ids = events.map((e) => e.id);
      expect([...ids].sort((x, y) => x - y)).toEqual(ids);
      const open = a.session(index).openMs;
      const premarket = events.filter((e) => e.createdAt < open && e.moveSign !== 0);
      expect(premarket.length).toBeGreaterThan(15);
      expect(events.some((e) => e.createdAt > open && e.createdAt < a.session(index).closeMs)).toBe(true);
    }
    expect(a.news(1)[0]!.id).toBeGreaterThan(a.news(0).at(-1)!.id);
    expect(model(12).news(0)).not.toEqual(a.news(0));
  });

  it('ties headline tone to the move with probability (1 + signalStrength) / 2, never changing the move', () => {
    const sessions = [0, 1, 2, 3, 4];
    const collect = (m: MarketModel): NewsEvent[] => sessions.flatMap((i) => priceStories(m.news(i)));
    const noise = collect(model(5, 0));
    const default_ = collect(model(5));
    const perfect = collect(model(5, 1));
    expect(perfect.length).toBeGreaterThan(300);
    expect(agreeing(perfect)).toBe(1);
    expect(agreeing(default_)).toBeGreaterThan(0.78);
    expect(agreeing(default_)).toBeLessThan(0.92);
    expect(agreeing(noise)).toBeGreaterThan(0.42);
    expect(agreeing(noise)).toBeLessThan(0.58);
    // Same moves, same times: only the words change.
    const moves = (events: NewsEvent[]) => events.map((e) => [e.createdAt, e.symbols, e.moveSign, e.shocks]);
    expect(moves(noise)).toEqual(moves(perfect));
    expect(moves(default_)).toEqual(moves(perfect));
    expect(model(5, 0).series('AAPL', 0).path).toEqual(model(5, 1).series('AAPL', 0).path);
  });

  it('rejects a signal strength outside [0, 1]', () => {
    expect(() => model(1, 1.5)).toThrow(/signalStrength/);
    expect(() => model(1, Number.NaN)).toThrow(/signalStrength/);
  });
});

describe('simulated news: the prices follow the stories', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startManual({ seed: 21, date: DATE, market: { signalStrength: 1 } });
    sim.advanceTo(at(DATE, '16:00'));
  });
  afterAll(() => sim.close());

  const allNews = async (): Promise<Json[]> => {
    const out: Json[] = [];
    let token: string | null = null;
    do {
      const page: Json = await api(
        sim,
        'GET',
        `/v1beta1/news?start=${DATE}&limit=50&sort=asc${token ? `&page_token=${token}` : ''}`,
      );
      expect(page.status).toBe(200);
      out.push(...page.body.news);
      token = page.body.next_page_token;
    } while (token);
    return out;
  };

  it('moves a symbol in the headline’s direction when the signal is perfect, intraday and at the open', async () => {
    const news = (await allNews()).filter((n) => !/Present at|Dividend|to Report|Halted/.test(n.headline));
    const open = at(DATE, '09:30');
    let intraday = 0;
    let intradayAgree = 0;
    let premarket = 0;
    let premarketAgree = 0;
    const positive = /Beats|Raises|Upgrades|Approves|to Be Acquired|Wins|Buyback|Strategic Investment/;
    for (const n of news) {
      const symbol = n.symbols[0];
      const up = positive.test(n.headline);
      const created = Date.parse(n.created_at);
      if (created < open) {
        const day = (
          await api(sim, 'GET', `/v2/stocks/bars?symbols=${symbol}&timeframe=1Day&start=2026-03-09`)
        ).body.bars[symbol];
        const gap = day[1].o / day[0].c - 1;
        premarket++;
        if (gap > 0 === up) premarketAgree++;
      } else {
        const minuteStart = Math.floor(created / 60_000) * 60_000;
        const from = new Date(minuteStart - 60_000).toISOString();
        const to = new Date(minuteStart + 60_000).toISOString();
        const bars = (
          await api(sim, 'GET', `/v2/stocks/bars?symbols=${symbol}&timeframe=1Min&start=${from}&end=${to}`)
        ).body.bars[symbol];
        // The close of the minute before the story vs the close after the jump completes.
        const move = bars.at(-1).c / bars[0].c - 1;
        intraday++;
        if (move > 0 === up) intradayAgree++;
      }
    }
    expect(intraday).toBeGreaterThan(15);
    expect(premarket).toBeGreaterThan(15);
    expect(intradayAgree / intraday).toBeGreaterThan(0.9);
    expect(premarketAgree / premarket).toBeGreaterThan(0.85);
  });
});

describe('GET /v1beta1/news', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startManual({ seed: 8, date: DATE });
  });
  afterAll(() => sim.close());

  it('pages through everything published so far, in either order, without repeats', async () => {
    sim.advanceTo(at(DATE, '12:00') + 17_000);
    const walk = async (sort: string, limit: number): Promise<Json[]> => {
      const out: Json[] = [];
      let token: string | null = null;
      let pages = 0;
      do {
        const res: Json = await api(
          sim,
          'GET',
          `/v1beta1/news?start=2026-03-01&limit=${limit}&sort=${sort}${token ? `&page_token=${token}` : ''}`,
        );
        expect(res.body.news.length).toBeLessThanOrEqual(limit);
        out.push(...res.body.news);
        token = res.body.next_page_token;
        pages++;
      } while (token);
      expect(pages).toBeGreaterThan(2);
      return out;
    };
    const asc = await walk('asc', 13);
    const desc = await walk('desc', 50);
    expect(desc.map((n) => n.id)).toEqual([...asc].reverse().map((n) => n.id));
    expect(new Set(asc.map((n) => n.id)).size).toBe(asc.length);
    const times = asc.map((n) => Date.parse(n.created_at));
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    expect(Math.max(...times)).toBeLessThanOrEqual(sim.nowMs());

    // Defaults: the latest 10, newest first, content left out.
    const latest = await api(sim, 'GET', '/v1beta1/news');
    expect(latest.body.news.map((n: Json) => n.id)).toEqual(desc.slice(0, 10).map((n) => n.id));
    expect(latest.body.news[0].content).toBe('');
    expect(typeof latest.body.next_page_token).toBe('string');
    const full = await api(sim, 'GET', '/v1beta1/news?limit=1&include_content=true');
    expect(full.body.news[0].content).toMatch(/^<p>.+<\/p>$/);
    expect(full.body.news[0]).toMatchObject({ source: 'catalyst-sim', images: [] });
  });

  it('filters by symbols and time window, and only ever shows the past', async () => {
    sim.advanceTo(at(DATE, '13:00'));
    const all = (await api(sim, 'GET', `/v1beta1/news?start=${DATE}&limit=50&sort=asc`)).body.news as Json[];
    const some = [...new Set(all.slice(0, 6).map((n) => n.symbols[0] as string))];
    const filtered = await api(sim, 'GET', `/v1beta1/news?symbols=${some.join(',')}&limit=50&start=${DATE}`);
    expect(filtered.body.news.length).toBeGreaterThanOrEqual(some.length);
    for (const n of filtered.body.news) expect(n.symbols.some((s: string) => some.includes(s))).toBe(true);

    const from = '2026-03-10T14:30:00Z';
    const to = '2026-03-10T15:30:00Z';
    const window = await api(sim, 'GET', `/v1beta1/news?start=${from}&end=${to}&limit=50`);
    for (const n of window.body.news) {
      expect(n.created_at >= from && n.created_at <= to).toBe(true);
    }
    // An end in the future is capped at now; a later clock reveals later stories.
    const future = await api(sim, 'GET', `/v1beta1/news?start=${DATE}&end=2030-01-01T00:00:00Z&limit=50`);
    for (const n of future.body.news) expect(Date.parse(n.created_at)).toBeLessThanOrEqual(sim.nowMs());
    sim.advanceTo(at(DATE, '15:59'));
    const later = await api(sim, 'GET', `/v1beta1/news?start=${DATE}&end=2030-01-01T00:00:00Z&limit=50`);
    expect(Date.parse(later.body.news[0].created_at)).toBeGreaterThan(at(DATE, '13:00'));
  });

  it('answers bad parameters the way the data API does', async () => {
    const cases: Array<[string, number]> = [
      ['/v1beta1/news?limit=51', 422],
      ['/v1beta1/news?limit=0', 422],
      ['/v1beta1/news?sort=sideways', 422],
      ['/v1beta1/news?start=yesterday', 422],
      ['/v1beta1/news?start=2026-03-10&end=2026-03-01', 422],
      ['/v1beta1/news?page_token=bm90LWEtdG9rZW4', 422],
      ['/v1beta1/news?include_content=maybe', 422],
      ['/v1beta1/news?timeframe=1Min', 400],
    ];
    for (const [path, status] of cases) {
      const res = await api(sim, 'GET', path);
      expect(res.status, path).toBe(status);
      expect(res.body).toEqual({ code: status === 422 ? 42210000 : 40010000, message: expect.any(String) });
    }
    expect((await api(sim, 'GET', '/v1beta1/news?sort=ASC&limit=1')).status).toBe(200);
  });
});
