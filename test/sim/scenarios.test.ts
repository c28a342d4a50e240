import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScenarioError, parseScenario } from '../../src/sim/market/scenarios';
import { makeSession } from '../../src/sim/market/sessionTimeline';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { startSimulator } from '../../src/sim/startSimulator';
import { loadUniverse } from '../../src/sim/market/universe';
import { tradingPauses } from '../../src/sim/market/symbolSeries';
import { api, at, type Json, startManual } from './simKit';

const DATA = resolve(dirname(fileURLToPath(import.meta.url)), '../../data');
const DATE = '2026-03-10';
const universe = loadUniverse(DATA);
const session = makeSession(0, DATE);
const parse = (spec: string) => parseScenario(spec, { seed: 3, universe, session });

/** The 40 largest tradable companies: a stand-in for the index. */
const bigCaps = universe.assets
  .filter((a) => a.tradable)
  .sort((a, b) => b.marketCap - a.marketCap)
  .slice(0, 40)
  .map((a) => a.symbol);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function closesAt(
  sim: RunningSimulator,
  symbols: string[],
  nyTime: string,
): Promise<Record<string, number>> {
  const t = new Date(at(DATE, nyTime)).toISOString();
  const { body } = await api(
    sim,
    'GET',
    `/v2/stocks/bars?symbols=${symbols.join(',')}&timeframe=1Min&start=${t}&end=${t}&limit=10000`,
  );
  return Object.fromEntries(Object.entries<Json[]>(body.bars).map(([s, bars]) => [s, bars[0].c]));
}

describe('scenario specs', () => {
  it('parses crash, halt and gap with their defaults', () => {
    expect(parse('').crash).toBeNull();
    const crash = parse('crash').crash!;
    expect(crash.startMinute).toBe(90); // 11:00
    expect(crash.depth).toBeGreaterThanOrEqual(0.07);
    expect(crash.depth).toBeLessThanOrEqual(0.1);
    expect([1, 2]).toContain(crash.vacuumMinutes);
    expect(parse('crash@13:15').crash!.startMinute).toBe(225);
    expect(parse('halt:aapl@10:30').halts).toEqual([{ symbol: 'AAPL', fromMinute: 60, toMinute: 90 }]);
    expect(parse('halt:AAPL@15:45+60m').halts[0]!.toMinute).toBe(390);
    const seeded = parse('halt').halts[0]!;
    expect(universe.bySymbol.get(seeded.symbol)!.tradable).toBe(true);
    expect(parse('halt').halts).toEqual([seeded]);
    expect(parse('gap:up').gap!.marketGap).toBeGreaterThanOrEqual(0.03);
    expect(parse('gap:down').gap!.marketGap).toBeLessThanOrEqual(-0.03);
    const combined = parse('gap, crash@14:00, halt:MSFT, halt:AAPL@10:00+5m');
    expect(combined.halts.map((h) => h.symbol)).toEqual(['MSFT', 'AAPL']);
    expect(combined.crash!.startMinute).toBe(270);
    expect(combined.gap).not.toBeNull();
  });

  it('parses outages with their defaults, in time order, and allows several that do not overlap', () => {
    expect(parse('').outages).toEqual([]);
    expect(parse('crash').outages).toEqual([]);
    expect(parse('outage').outages).toEqual([{ fromMinute: 90, toMinute: 110 }]); // 11:00 for 20 m
    expect(parse('outage@10:15').outages).toEqual([{ fromMinute: 45, toMinute: 65 }]);
    expect(parse('OUTAGE+5m').outages).toEqual([{ fromMinute: 90, toMinute: 95 }]);
    // Running into the close, it ends there.
    expect(parse('outage@15:50+30m').outages).toEqual([{ fromMinute: 380, toMinute: 390 }]);
    expect(parse('outage@14:00+1m, outage@10:00+5m, outage@10:05').outages).toEqual([
      { fromMinute: 30, toMinute: 35 },
      { fromMinute: 35, toMinute: 55 },
      { fromMinute: 270, toMinute: 271 },
    ]);
    const combined = parse('crash@13:00,outage@13:05+10m,halt:AAPL');
    expect(combined.crash!.startMinute).toBe(210);
    expect(combined.outages).toEqual([{ fromMinute: 215, toMinute: 225 }]);
    expect(combined.halts).toHaveLength(1);
  });

  it('rejects invalid outages with a message that says what is wrong', () => {
    const cases: Array<[string, RegExp]> = [
      ['outage@08:00', /time 08:00 is outside the session of 2026-03-10 \(09:30–15:59 ET\)/],
      ['outage@16:00', /outside the session/],
      ['outage@9:00+5m', /outside the session/],
      ['outage+0m', /outage duration must be at least 1 minute/],
      ['outage@10:00+5', /malformed arguments/],
      ['outage:AAPL', /malformed arguments/],
      ['outage@noon', /invalid time "noon", expected HH:MM/],
      ['outage@10:00+10m,outage@10:05', /outages overlap \(10:00–10:10 and 10:05–10:25 ET\)/],
      ['outage,outage', /outages overlap/],
      ['outage@10:00+90m,outage@11:00+1m', /outages overlap/],
    ];
    for (const [spec, problem] of cases) {
      expect(() => parse(spec), spec).toThrow(ScenarioError);
      expect(() => parse(spec), spec).toThrow(`invalid market scenario ${JSON.stringify(spec)}`);
      expect(() => parse(spec), spec).toThrow(problem);
      expect(() => parse(spec), spec).toThrow(/syntax: .*outage\[@HH:MM\]\[\+Nm\]/);
    }
  });

  it('rejects invalid specs with an error that names the spec', () => {
    const bad = [
      'meltdown',
      'crash@25:00',
      'crash@08:00',
      'crash@16:00',
      'crash,crash@12:00',
      'halt:NOPE123',
      'halt:AAPL@9:30',
      'halt:AAPL@10:30+0m',
      'gap:sideways',
      'crash@1300',
      'crash,',
    ];
    for (const spec of bad)
      expect(() => parse(spec), spec).toThrow(`invalid market scenario ${JSON.stringify(spec)}`);
    expect(() => parse('halt:NOPE123')).toThrow(/unknown symbol NOPE123/);
    // On a 13:00 early close the session has no 14:00.
    const early = makeSession(0, '2026-11-27');
    expect(() => parseScenario('crash@14:00', { seed: 1, universe, session: early })).toThrow(/09:30–12:59/);
  });

  it('joins a halt and a crash vacuum that overlap or touch into one pause', () => {
    expect(tradingPauses([null, { fromMinute: 90, toMinute: 92 }])).toEqual([
      { fromMinute: 90, toMinute: 92 },
    ]);
    expect(
      tradingPauses([
        { fromMinute: 91, toMinute: 120 },
        { fromMinute: 90, toMinute: 92 },
      ]),
    ).toEqual([{ fromMinute: 90, toMinute: 120 }]);
    expect(
      tradingPauses([
        { fromMinute: 60, toMinute: 90 },
        { fromMinute: 90, toMinute: 92 },
        { fromMinute: 200, toMinute: 201 },
      ]),
    ).toEqual([
      { fromMinute: 60, toMinute: 92 },
      { fromMinute: 200, toMinute: 201 },
    ]);
  });

  it('refuses to start a simulator on an invalid scenario', async () => {
    await expect(
      startSimulator({
        seed: 1,
        speed: 60,
        manualClock: true,
        date: DATE,
        market: { scenario: 'crash@noon' },
      }),
    ).rejects.toThrow(/invalid market scenario "crash@noon"/);
  });
});

describe('scenario: crash', () => {
  let sim: RunningSimulator;
  let calm: RunningSimulator;
  beforeAll(async () => {
    [sim, calm] = await Promise.all([
      startManual({ seed: 4, date: DATE, market: { scenario: 'crash@13:15' } }),
      startManual({ seed: 4, date: DATE }),
    ]);
    sim.advanceTo(at(DATE, '16:00'));
    calm.advanceTo(at(DATE, '16:00'));
  });
  afterAll(() => Promise.all([sim.close(), calm.close()]));

  it('sells the whole market off by roughly 7–10 % from the chosen time, and not before', async () => {
    const before = await closesAt(sim, bigCaps, '13:00');
    const start = await closesAt(sim, bigCaps, '13:14');
    const after = await closesAt(sim, bigCaps, '15:15');
    const calmStart = await closesAt(calm, bigCaps, '13:14');
    const calmAfter = await closesAt(calm, bigCaps, '15:15');
    const drop = median(bigCaps.map((s) => after[s]! / start[s]! - 1));
    const calmMove = median(bigCaps.map((s) => calmAfter[s]! / calmStart[s]! - 1));
    expect(drop - calmMove).toBeLessThan(-0.06);
    expect(drop - calmMove).toBeGreaterThan(-0.13);
    expect(Math.abs(median(bigCaps.map((s) => start[s]! / before[s]! - 1)))).toBeLessThan(0.02);
    // The morning is the same market as without the scenario.
    expect(await closesAt(sim, bigCaps, '13:00')).toEqual(await closesAt(calm, bigCaps, '13:00'));
    const losers = (await api(sim, 'GET', '/v1beta1/screener/stocks/movers?top=50')).body.losers;
    expect(losers).toHaveLength(50);
    const news = (await api(sim, 'GET', '/v1beta1/news?symbols=SPY&start=2026-03-10')).body.news;
    expect(news).toHaveLength(1);
    expect(Date.parse(news[0].created_at)).toBeGreaterThan(at(DATE, '13:15'));
  });
});

describe('scenario: crash is a flash crash', () => {
  const DROP_AT = '13:15';
  const { vacuumMinutes } = parse(`crash@${DROP_AT}`).crash!;
  const reopenMs = at(DATE, DROP_AT) + vacuumMinutes * 60_000;
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startManual({ seed: 3, date: DATE, market: { scenario: `crash@${DROP_AT}` } });
  });
  afterAll(() => sim.close());

  it('trades nothing for its first minute(s), reopens at a trough below where it settles, and fills resting stops at the reopening print', async () => {
    const symbol = bigCaps[0]!;
    sim.advanceTo(at(DATE, '13:00'));
    const buy = await api(sim, 'POST', '/v2/orders', {
      symbol,
      qty: '10',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
    });
    expect(buy.status).toBe(200);
    sim.advanceTo(at(DATE, '13:01') + 1_000);
    const entry = Number((await api(sim, 'GET', `/v2/orders/${buy.body.id}`)).body.filled_avg_price);
    const stopPrice = (Math.floor(entry * 0.98 * 100) / 100).toFixed(2);
    const stop = await api(sim, 'POST', '/v2/orders', {
      symbol,
      qty: '10',
      side: 'sell',
      type: 'stop',
      stop_price: stopPrice,
      time_in_force: 'day',
    });
    expect(stop.status).toBe(200);

    // During the vacuum the tape stands still at the last print before it.
    sim.advanceTo(reopenMs - 20_000);
    const frozen = (await api(sim, 'GET', `/v2/stocks/${symbol}/snapshot`)).body;
    expect(frozen.latestTrade.t).toBe(new Date(at(DATE, DROP_AT)).toISOString().replace('.000', ''));
    expect((await api(sim, 'GET', `/v2/orders/${stop.body.id}`)).body.status).toBe('new');

    sim.advanceTo(at(DATE, '15:16'));
    const iso = (ms: number) => new Date(ms).toISOString();
    const { body } = await api(
      sim,
      'GET',
      `/v2/stocks/bars?symbols=${bigCaps.join(',')}&timeframe=1Min&start=${iso(at(DATE, '13:14'))}&end=${iso(reopenMs)}&limit=10000`,
    );
    const gaps: number[] = [];
    for (const s of bigCaps) {
      const bars = body.bars[s] as Json[];
      // The minute before, then nothing until the reopening print.
      expect(bars.map((b) => b.t)).toEqual(
        [iso(at(DATE, '13:14')), iso(reopenMs)].map((t) => t.replace('.000', '')),
      );
      gaps.push(bars[1].o / bars[0].c - 1);
    }
    const before = await closesAt(sim, bigCaps, '13:14');
    const settled = await closesAt(sim, bigCaps, '15:15');
    const reopenGap = median(gaps);
    // Most of the drop, and more, is one gap; the market then recovers part of it.
    expect(reopenGap).toBeLessThan(-0.08);
    expect(reopenGap).toBeLessThan(median(bigCaps.map((s) => settled[s]! / before[s]! - 1)) - 0.01);

    // The stop was passed between two prints: it fills at the first one, far below its stop price.
    const filled = (await api(sim, 'GET', `/v2/orders/${stop.body.id}`)).body;
    expect(filled.status).toBe('filled');
    expect(filled.filled_at).toBe(iso(reopenMs));
    const reopenBar = (body.bars[symbol] as Json[])[1];
    expect(Number(filled.filled_avg_price)).toBeLessThan(reopenBar.o);
    expect(Number(filled.filled_avg_price)).toBeGreaterThan(reopenBar.o * 0.99);
    expect(Number(filled.filled_avg_price)).toBeLessThan(Number(stopPrice) * 0.95);
  });
});

describe('scenario: halt', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startManual({ seed: 6, date: DATE, market: { scenario: 'halt:AAPL@10:30+20m' } });
  });
  afterAll(() => sim.close());

  it('stops the symbol’s tape for the halt: no bars, a frozen last trade, a halt headline, then a reopening', async () => {
    sim.advanceTo(at(DATE, '10:40') + 30_000);
    const snap = (await api(sim, 'GET', '/v2/stocks/AAPL/snapshot')).body;
    expect(snap.latestTrade.t).toBe('2026-03-10T14:29:59Z');
    expect(snap.minuteBar.t).toBe('2026-03-10T14:29:00Z');
    expect(snap.latestTrade.p).toBe(snap.minuteBar.c);
    expect(snap.dailyBar.c).toBe(snap.latestTrade.p);
    const other = (await api(sim, 'GET', '/v2/stocks/MSFT/snapshot')).body;
    expect(other.latestTrade.t > '2026-03-10T14:40:00Z').toBe(true);
    const halted = (await api(sim, 'GET', `/v1beta1/news?symbols=AAPL&start=${DATE}`)).body.news;
    expect(halted.some((n: Json) => /Trading Halted in Apple/.test(n.headline))).toBe(true);

    // Orders on a halted symbol are accepted and held: nothing fills until the reopening print.
    const order = await api(sim, 'POST', '/v2/orders', {
      symbol: 'AAPL',
      qty: '5',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
    });
    expect(order.status).toBe(200);
    sim.advanceTo(at(DATE, '10:49') + 30_000);
    expect((await api(sim, 'GET', `/v2/orders/${order.body.id}`)).body.filled_at).toBeNull();
    sim.advanceTo(at(DATE, '10:51'));
    const filled = (await api(sim, 'GET', `/v2/orders/${order.body.id}`)).body;
    expect(filled.status).toBe('filled');
    expect(filled.filled_at).toBe('2026-03-10T14:50:00.000Z');

    sim.advanceTo(at(DATE, '11:30'));
    const bars = (
      await api(
        sim,
        'GET',
        `/v2/stocks/bars?symbols=AAPL&timeframe=1Min&start=2026-03-10T14:00:00Z&end=2026-03-10T15:30:00Z`,
      )
    ).body.bars.AAPL as Json[];
    const times = bars.map((b) => b.t);
    expect(times).toContain('2026-03-10T14:29:00Z');
    expect(times).toContain('2026-03-10T14:50:00Z');
    expect(times.filter((t) => t >= '2026-03-10T14:30:00Z' && t < '2026-03-10T14:50:00Z')).toEqual([]);
    expect(bars).toHaveLength(90 - 20);
    // The news the halt was pending came out during it.
    const during = (
      await api(sim, 'GET', `/v1beta1/news?symbols=AAPL&start=2026-03-10T14:31:00Z&end=2026-03-10T14:50:00Z`)
    ).body.news;
    expect(during.length).toBeGreaterThanOrEqual(1);
  });
});

describe('scenario: gap', () => {
  let gap: RunningSimulator;
  let calm: RunningSimulator;
  beforeAll(async () => {
    [gap, calm] = await Promise.all([
      startManual({ seed: 9, date: DATE, market: { scenario: 'gap:down' } }),
      startManual({ seed: 9, date: DATE }),
    ]);
    gap.advanceTo(at(DATE, '09:31'));
    calm.advanceTo(at(DATE, '09:31'));
  });
  afterAll(() => Promise.all([gap.close(), calm.close()]));

  it('opens many symbols with large gaps, with the stories to explain them', async () => {
    const symbols = universe.assets
      .filter((a) => a.tradable)
      .map((a) => a.symbol)
      .slice(0, 600);
    const gaps = async (sim: RunningSimulator): Promise<number[]> => {
      const { body } = await api(sim, 'GET', `/v2/stocks/snapshots?symbols=${symbols.join(',')}`);
      return Object.values<Json>(body).map((s) => s.dailyBar.o / s.prevDailyBar.c - 1);
    };
    const [g, c] = await Promise.all([gaps(gap), gaps(calm)]);
    const bigShare = (xs: number[]) => xs.filter((x) => Math.abs(x) > 0.03).length / xs.length;
    expect(bigShare(g)).toBeGreaterThan(0.5);
    expect(bigShare(c)).toBeLessThan(0.15);
    expect(median(g)).toBeLessThan(-0.03);
    const premarket = async (sim: RunningSimulator): Promise<number> => {
      let count = 0;
      let token: string | null = null;
      do {
        const page: Json = await api(
          sim,
          'GET',
          `/v1beta1/news?start=${DATE}&end=2026-03-10T13:30:00Z&limit=50${token ? `&page_token=${token}` : ''}`,
        );
        count += page.body.news.length;
        token = page.body.next_page_token;
      } while (token);
      return count;
    };
    expect(await premarket(gap)).toBeGreaterThan(2 * (await premarket(calm)));
  });
});
