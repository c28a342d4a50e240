/**
 * The funnel's stages against the real simulator (through the real Alpaca client) and the local
 * PostgreSQL: each stage's cut and records, and the as-of contract — a stage asked about a minute
 * gives the same answer when the venue's clock has moved on, so nothing later than the minute
 * reaches a decision.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, type Activities } from '../../src/activities';
import type { Candidate, StageRef } from '../../src/activities/types';
import type { BrokerBar } from '../../src/broker/port';
import { rows } from '../../src/db/rows';
import { scanResultsForCycle } from '../../src/db/repositories/scanResults';
import { nyTimeToUtcMs, previousTradingDay } from '../../src/domain/calendar';
import { atrSeries, ohlcvFromArrays } from '../../src/domain/indicators/kernels';
import { mergeChunkScans, SCAN_CHUNK_SIZE } from '../../src/domain/scan';
import { createSettingsSource, type SettingsSource } from '../../src/settings/settingsSource';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { brokerFor } from '../broker/brokerKit';
import { startManual } from '../sim/simKit';
import { createMigratedDatabase, type MigratedDatabase } from '../support/migratedDatabase';

const DATE = '2026-11-24';
const at = (hhmm: string): number => nyTimeToUtcMs(DATE, hhmm);
const CONFIG_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../config');

describe('the signal pipeline against the simulator', () => {
  let sim: RunningSimulator;
  let database: MigratedDatabase;
  let settings: SettingsSource;
  let acts: Activities;
  const env = new MockActivityEnvironment();
  const run = <T>(f: () => Promise<T>): Promise<T> => env.run(f);

  beforeAll(async () => {
    sim = await startManual({ seed: 13, date: DATE, rateLimitPerMinute: 0 });
    database = await createMigratedDatabase();
    settings = createSettingsSource({ configDir: CONFIG_DIR, env: {}, log: () => {} });
    acts = createActivities({
      broker: brokerFor(sim),
      db: database.db,
      accountId: 'test-account',
      venue: 'simulator',
      settings,
      outboxDir: '/tmp/catalyst-test-outbox',
      log: () => {},
    });
  });
  afterAll(async () => {
    settings?.close();
    await sim?.close();
    await database?.close();
  });

  async function scan(ref: StageRef, a: Activities = acts): Promise<Candidate[]> {
    await run(() => a.beginCycle({ ...ref, marketTimeMs: ref.asOfMs }));
    const universe = await run(() => a.listUniverse({ ...ref, chunkSize: SCAN_CHUNK_SIZE }));
    const chunks = await Promise.all(
      Array.from({ length: universe.chunks }, (_, chunk) =>
        run(() => a.scanChunk({ ...ref, chunk, chunkSize: universe.chunkSize })),
      ),
    );
    expect(universe.universe).toBeGreaterThanOrEqual(4000);
    const merged = mergeChunkScans(chunks, 200);
    await run(() => a.recordScan({ ...ref, candidates: merged.candidates }));
    return merged.candidates;
  }

  it('narrows 200 → 35 → 20 → 10 and records every stage', async () => {
    sim.advanceTo(at('10:05'));
    const ref = { cycleId: `${DATE}-t1`, tradingDate: DATE, cycleNumber: 1, asOfMs: at('10:05') };
    const candidates = await scan(ref);
    expect(candidates).toHaveLength(200);
    const news = await run(() => acts.scoreSentiment({ ...ref, candidates }));
    const patterns = await run(() => acts.detectPatterns({ ...ref, candidates: news.candidates }));
    const technical = await run(() => acts.computeIndicators({ ...ref, candidates: patterns.candidates }));
    const scored = await run(() => acts.scoreCandidates({ ...ref, candidates: technical.candidates }));
    expect([news.candidates.length, patterns.candidates.length, technical.candidates.length]).toEqual([
      35, 20, 10,
    ]);
    // Each stage keeps its best by its own factor.
    const newsScores = news.candidates.map((c) => c.newsScore!);
    expect(newsScores).toEqual([...newsScores].sort((a, b) => b - a));
    const recorded = await scanResultsForCycle(database.db, ref.cycleId);
    const left = recorded.filter((r) => !news.candidates.some((n) => n.symbol === r.symbol));
    expect(Math.min(...newsScores)).toBeGreaterThanOrEqual(Math.max(...left.map((r) => Number(r.newsScore))));
    expect(news.candidates.some((c) => (c.headlines ?? 0) > 0)).toBe(true);
    expect(
      scored.candidates.every(
        (c) => c.compositeScore >= settings.current().trading.scoring.min_composite_score,
      ),
    ).toBe(true);
    expect(scored.candidates.length + scored.belowMinimum).toBe(10);

    const count = async (table: string): Promise<number> =>
      (
        await rows<{ n: number }>(
          database.db,
          sql`select count(*)::int as n from ${sql.identifier(table)} where cycle_id = ${ref.cycleId}`,
        )
      )[0]!.n;
    expect(await count('news_sentiment')).toBe(200);
    expect(await count('technical_indicators')).toBe(20);
    expect(await count('pattern_analysis')).toBeGreaterThan(0);
    expect(recorded.filter((r) => r.finalRank !== null)).toHaveLength(10);
    expect(recorded.filter((r) => r.stageReached === 'technical' || r.stageReached === 'scored').length).toBe(
      10,
    );
    const tech = await rows<{ rsi: string | null; macd: string | null }>(
      database.db,
      sql`select rsi, macd from technical_indicators where cycle_id = ${ref.cycleId}`,
    );
    // The previous session's bars warm the indicators up: at 10:05 every symbol has an RSI and a MACD.
    expect(tech.every((t) => t.rsi !== null && t.macd !== null)).toBe(true);
  });

  it('gives the same answers for a minute after the venue has moved on (no look-ahead)', async () => {
    sim.advanceTo(at('11:05'));
    const asOfMs = at('11:05');
    const first = { cycleId: `${DATE}-t2`, tradingDate: DATE, cycleNumber: 2, asOfMs };
    const candidates = await scan(first);
    const stages = async (ref: StageRef) => {
      const news = await run(() => acts.scoreSentiment({ ...ref, candidates }));
      const patterns = await run(() => acts.detectPatterns({ ...ref, candidates }));
      const technical = await run(() =>
        acts.computeIndicators({ ...ref, candidates: candidates.slice(0, 40) }),
      );
      return { news, patterns, technical };
    };
    const then = await stages(first);
    sim.advanceTo(at('12:35')); // ninety minutes of new bars and news the 11:05 decision must not see
    const second = { ...first, cycleId: `${DATE}-t3`, cycleNumber: 3 };
    await run(() => acts.beginCycle({ ...second, marketTimeMs: asOfMs }));
    await run(() => acts.recordScan({ ...second, candidates }));
    const later = await stages(second);
    expect(later).toEqual(then);
  });
  it('hands on the ATR of atr_timeframe and the sectors of the overrides in force, hot-reloaded', async () => {
    // A config of its own, edited on disk and reloaded as an operator's edit would be.
    const dir = mkdtempSync(join(tmpdir(), 'catalyst-config-'));
    const edit = (file: string, from: string, to: string): void => {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text).toContain(from);
      writeFileSync(join(dir, file), text.replace(from, to));
    };
    for (const f of ['trading_config.yaml', 'risk_parameters.yaml'])
      writeFileSync(join(dir, f), readFileSync(join(CONFIG_DIR, f), 'utf8'));
    edit('trading_config.yaml', 'atr_timeframe: 5Min', 'atr_timeframe: 15Min');
    // Every candidate is scored, so the sector check below always has one.
    edit('trading_config.yaml', 'min_composite_score: 55', 'min_composite_score: 0');
    const source = createSettingsSource({ configDir: dir, env: {}, log: () => {} });
    const broker = brokerFor(sim);
    const a = createActivities({
      broker,
      db: database.db,
      accountId: 'test-account',
      venue: 'simulator',
      settings: source,
      outboxDir: '/tmp/catalyst-test-outbox',
      log: () => {},
    });
    try {
      const asOfMs = at('14:05');
      sim.advanceTo(asOfMs);
      const ref = { cycleId: `${DATE}-t4`, tradingDate: DATE, cycleNumber: 4, asOfMs };
      const candidates = await scan(ref, a);
      const technical = await run(() => a.computeIndicators({ ...ref, candidates: candidates.slice(0, 40) }));
      expect(technical.candidates.length).toBeGreaterThan(0);

      // By hand: the previous session's and today's minute bars cut at 09:30 + k·15 min, the
      // 14:00 bar (still forming at 14:05) left out; ATR(14) over them. (The simulator serves no
      // minute bars before its first day, so today's 18 bars are all there are here.)
      const prior = previousTradingDay(DATE);
      const sessions = [
        { openMs: nyTimeToUtcMs(prior, '09:30'), closeMs: nyTimeToUtcMs(prior, '16:00') },
        { openMs: at('09:30'), closeMs: at('16:00') },
      ];
      const minute = await broker.getBars({
        symbols: technical.candidates.map((c) => c.symbol),
        timeframe: '1Min',
        start: new Date(sessions[0]!.openMs).toISOString(),
        end: new Date(asOfMs - 1).toISOString(),
      });
      const STEP = 15 * 60_000;
      const fifteenMinuteAtr = (list: readonly BrokerBar[]): { atr: number; bars: number } => {
        const groups = new Map<number, BrokerBar[]>();
        for (const b of list) {
          const t = Date.parse(b.t);
          const s = sessions.find((x) => t >= x.openMs && t < x.closeMs);
          if (!s) continue;
          const start = s.openMs + Math.floor((t - s.openMs) / STEP) * STEP;
          if (start + STEP > asOfMs) continue;
          groups.set(start, [...(groups.get(start) ?? []), b]);
        }
        const g = [...groups.entries()].sort(([x], [y]) => x - y).map(([, bars]) => bars);
        const bars = ohlcvFromArrays({
          open: g.map((m) => m[0]!.o),
          high: g.map((m) => Math.max(...m.map((b) => b.h))),
          low: g.map((m) => Math.min(...m.map((b) => b.l))),
          close: g.map((m) => m[m.length - 1]!.c),
          volume: g.map((m) => m.reduce((v, b) => v + b.v, 0)),
        });
        const out = new Float64Array(bars.length);
        atrSeries(bars, out);
        return { atr: out[bars.length - 1]!, bars: bars.length };
      };
      for (const c of technical.candidates) {
        const byHand = fifteenMinuteAtr(minute.get(c.symbol) ?? []);
        expect(byHand.bars).toBeGreaterThanOrEqual(15);
        expect(c.atr).toBe(byHand.atr);
      }
      const recorded = await rows<{ timeframe: string; bars: number }>(
        database.db,
        sql`select details->>'stopAtrTimeframe' as timeframe, (details->>'stopAtrBars')::int as bars
            from technical_indicators where cycle_id = ${ref.cycleId}`,
      );
      expect(recorded.length).toBe(40);
      expect(recorded.every((r) => r.timeframe === '15Min')).toBe(true);

      // 1Hour: a session has at most 7 bars (the last one 15:30–16:00), and today's 4 complete ones
      // (09:30 … 12:30) are fewer than the 15 ATR(14) needs: no ATR, so the bracket keeps the
      // percent stop (bracketPrices with atr null; test/domain/bracketPrices.test.ts).
      edit('trading_config.yaml', 'atr_timeframe: 15Min', 'atr_timeframe: 1Hour');
      expect(source.reload().status).toBe('applied');
      const hourly = await run(() => a.computeIndicators({ ...ref, candidates: candidates.slice(0, 40) }));
      expect(hourly.candidates.map((c) => c.atr)).toEqual(hourly.candidates.map(() => null));

      // Sectors: the file's, until an override for one symbol is reloaded; then the scored
      // candidate the risk manager is given and the scan's rows carry the override.
      const sectorRows = async (): Promise<Map<string, string | null>> =>
        new Map(
          (
            await rows<{ symbol: string; sector: string | null }>(
              database.db,
              sql`select s.symbol, x.name as sector from scan_results r
                  join securities s on s.id = r.security_id left join sectors x on x.id = s.sector_id
                  where r.cycle_id = ${ref.cycleId}`,
            )
          ).map((r) => [r.symbol, r.sector]),
        );
      const before = await run(() => a.scoreCandidates({ ...ref, candidates: technical.candidates }));
      const target = before.candidates[0]!;
      const other = before.candidates[1];
      expect(target.sector).not.toBe('Zeta Sector');
      expect((await sectorRows()).get(target.symbol)).toBe(
        target.sector === 'Unknown' ? null : target.sector,
      );

      edit(
        'risk_parameters.yaml',
        'sector_overrides: {}',
        `sector_overrides: {${target.symbol}: Zeta Sector}`,
      );
      expect(source.reload().status).toBe('applied');
      const after = await run(() => a.scoreCandidates({ ...ref, candidates: technical.candidates }));
      const sectorIn = (o: typeof after) => new Map(o.candidates.map((c) => [c.symbol, c.sector]));
      expect(sectorIn(after).get(target.symbol)).toBe('Zeta Sector');
      if (other) expect(sectorIn(after).get(other.symbol)).toBe(other.sector);
      await run(() => a.recordScan({ ...ref, candidates }));
      const recordedSectors = await sectorRows();
      expect(recordedSectors.get(target.symbol)).toBe('Zeta Sector');
      if (other)
        expect(recordedSectors.get(other.symbol)).toBe(other.sector === 'Unknown' ? null : other.sector);
    } finally {
      source.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
