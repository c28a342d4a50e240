/**
 * The funnel's stages against the real simulator (through the real Alpaca client) and the local
 * PostgreSQL: each stage's cut and records, and the as-of contract — a stage asked about a minute
 * gives the same answer when the venue's clock has moved on, so nothing later than the minute
 * reaches a decision.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, type Activities } from '../../src/activities';
import type { Candidate, StageRef } from '../../src/activities/types';
import { rows } from '../../src/db/rows';
import { scanResultsForCycle } from '../../src/db/repositories/scanResults';
import { nyTimeToUtcMs } from '../../src/domain/calendar';
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

  async function scan(ref: StageRef): Promise<Candidate[]> {
    await run(() => acts.beginCycle({ ...ref, marketTimeMs: ref.asOfMs }));
    const universe = await run(() => acts.listUniverse({ ...ref, chunkSize: SCAN_CHUNK_SIZE }));
    const chunks = await Promise.all(
      Array.from({ length: universe.chunks }, (_, chunk) =>
        run(() => acts.scanChunk({ ...ref, chunk, chunkSize: universe.chunkSize })),
      ),
    );
    expect(universe.universe).toBeGreaterThanOrEqual(4000);
    const merged = mergeChunkScans(chunks, 200);
    await run(() => acts.recordScan({ ...ref, candidates: merged.candidates }));
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
});
