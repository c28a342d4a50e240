/**
 * Temporal retries an activity whose answer it did not get, on the same worker or another one.
 * Each activity that writes rows is run here with the same input three times — twice on one
 * worker's activities (its caches warm) and once on a fresh set (another worker, caches cold) —
 * against the real simulator and PostgreSQL, and no table may gain a row after the first run.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MockActivityEnvironment } from '@temporalio/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, type Activities } from '../../src/activities';
import type { Candidate } from '../../src/activities/types';
import { rows } from '../../src/db/rows';
import { nyTimeToUtcMs } from '../../src/domain/calendar';
import { createSettingsSource, type SettingsSource } from '../../src/settings/settingsSource';
import type { RunningSimulator } from '../../src/sim/startSimulator';
import { brokerFor } from '../broker/brokerKit';
import { startManual } from '../sim/simKit';
import { createMigratedDatabase, type MigratedDatabase } from '../support/migratedDatabase';

const DATE = '2026-11-24';
const at = (hhmm: string): number => nyTimeToUtcMs(DATE, hhmm);
const CONFIG_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../config');
const TABLES = [
  'sectors',
  'securities',
  'time_dimension',
  'trading_days',
  'trading_cycles',
  'scan_results',
  'news_sentiment',
  'pattern_analysis',
  'technical_indicators',
  'orders',
  'positions',
  'risk_events',
] as const;
const SYMBOLS = ['AAPL', 'MSFT', 'NVDA'];

describe('recording activities run again with the same input', () => {
  let sim: RunningSimulator;
  let database: MigratedDatabase;
  let settings: SettingsSource;
  // One workflow run for every call, as a retry of the same activity would carry.
  const env = new MockActivityEnvironment({
    workflowExecution: { workflowId: `trading-day-${DATE}-idempotency`, runId: 'run-1' },
  });
  const run = <T>(f: () => Promise<T>): Promise<T> => env.run(f);

  const activities = (): Activities =>
    createActivities({
      broker: brokerFor(sim),
      db: database.db,
      accountId: 'acct-idempotency',
      venue: 'simulator',
      settings,
      outboxDir: '/tmp/catalyst-test-outbox',
      log: () => {},
    });

  const counts = async (): Promise<Record<string, number>> => {
    const result: Record<string, number> = {};
    for (const table of TABLES)
      result[table] = (
        await rows<{ n: number }>(database.db, sql`select count(*)::int as n from ${sql.identifier(table)}`)
      )[0]!.n;
    return result;
  };

  /** Runs `call` once on `first`, notes the counts, then again on `first` and on a fresh set. */
  const retried = async <T>(call: (a: Activities) => Promise<T>, first: Activities): Promise<T> => {
    const answer = await run(() => call(first));
    const after = await counts();
    await run(() => call(first));
    expect(await counts(), 'a retry on the same worker').toEqual(after);
    await run(() => call(activities()));
    expect(await counts(), 'a retry on another worker').toEqual(after);
    return answer;
  };

  beforeAll(async () => {
    sim = await startManual({ seed: 7, date: DATE, rateLimitPerMinute: 0 });
    database = await createMigratedDatabase();
    settings = createSettingsSource({ configDir: CONFIG_DIR, env: {}, log: () => {} });
  });
  afterAll(async () => {
    settings?.close();
    await sim?.close();
    await database?.dispose();
  });

  it('adds no row on a retry, stage by stage through a day', async () => {
    sim.advanceTo(at('10:00'));
    const acts = activities();
    const broker = brokerFor(sim);
    const ref = { cycleId: `${DATE}-c1-idempotency`, tradingDate: DATE, cycleNumber: 1 };

    await retried(
      (a) => a.recordDayStart({ tradingDate: DATE, mode: 'autonomous', venue: 'simulator', speed: 1 }),
      acts,
    );
    await retried((a) => a.beginCycle({ ...ref, marketTimeMs: at('10:00') }), acts);

    const snapshots = await broker.getSnapshots(SYMBOLS);
    const candidates: Candidate[] = SYMBOLS.map((symbol, i) => ({
      symbol,
      rank: i + 1,
      price: snapshots.get(symbol)!.latestTradePrice,
      volume: 1_000_000,
      gapPct: 1,
      momentumPct: 1,
      relativeVolume: 2,
      scanScore: 70,
      momentumScore: 70,
      volumeScore: 70,
    }));
    const stage = { ...ref, asOfMs: at('10:00') };
    await retried((a) => a.recordScan({ ...stage, candidates }), acts);
    const news = await retried((a) => a.scoreSentiment({ ...stage, candidates }), acts);
    const patterns = await retried((a) => a.detectPatterns({ ...stage, candidates: news.candidates }), acts);
    const technical = await retried(
      (a) => a.computeIndicators({ ...stage, candidates: patterns.candidates }),
      acts,
    );
    const scored = await retried(
      (a) => a.scoreCandidates({ ...stage, candidates: technical.candidates }),
      acts,
    );
    expect(scored.candidates.length + scored.belowMinimum).toBe(SYMBOLS.length);
    // The risk manager judges every symbol, whether or not the seeded scores cleared the minimum.
    const judged = SYMBOLS.map((symbol) => ({
      symbol,
      sector: 'Technology',
      price: snapshots.get(symbol)!.latestTradePrice.toFixed(2),
      compositeScore: 80,
      newsScore: 70,
      patternScore: 60,
      technicalScore: 70,
      momentumScore: 70,
      volumeScore: 70,
      atr: null,
    }));
    const risk = await retried(
      (a) => a.validateRisk({ ...ref, candidates: judged, cutoffMs: at('15:00') }),
      acts,
    );
    expect(risk.decisions).toHaveLength(SYMBOLS.length);
    await retried(
      (a) =>
        a.finishCycle({
          cycleId: ref.cycleId,
          status: 'completed',
          funnel: {
            universe: 3,
            scanned: 3,
            news: 3,
            patterns: 3,
            technical: 3,
            scored: 1,
            riskApproved: 1,
            ordersPlaced: 1,
          },
        }),
      acts,
    );

    const ask = snapshots.get('AAPL')!.askPrice;
    const placed = await retried(
      (a) =>
        a.placeBracketOrder({
          ...ref,
          deadlineMs: at('15:00'),
          decision: {
            symbol: 'AAPL',
            approved: true,
            qty: 5,
            entryPrice: ask.toFixed(2),
            limitPrice: (ask * 1.01).toFixed(2),
            stopPrice: (ask * 0.9).toFixed(2),
            takeProfitPrice: (ask * 1.2).toFixed(2),
            reasons: [],
          },
        }),
      acts,
    );
    expect(placed.status).toBe('placed');
    // The broker holds one entry for the three placements: the retry found the first.
    const entries = (await broker.listAllOrders({ status: 'all' })).filter(
      (o) => o.clientOrderId === placed.clientOrderId,
    );
    expect(entries).toHaveLength(1);

    sim.advanceTo(at('10:05'));
    const book = await retried((a) => a.recordBook({ tradingDate: DATE }), acts);
    expect(book.ordersWritten).toBeGreaterThan(0);
    expect((await counts()).positions).toBe(1);

    await retried(
      (a) =>
        a.recordRiskEvent({
          eventKey: `${ref.cycleId}/loss-warning`,
          tradingDate: DATE,
          eventType: 'daily_loss_warning',
          severity: 'WARNING',
          symbol: 'AAPL',
          message: 'daily loss at 75 % of the limit',
        }),
      acts,
    );
    await retried(
      (a) =>
        a.startCooldown({
          tradingDate: DATE,
          minutes: 30,
          reason: 'daily loss limit reached',
          eventKey: `${ref.cycleId}/cooldown`,
        }),
      acts,
    );
    await retried(
      (a) =>
        a.finishTradingDay({
          tradingDate: DATE,
          status: 'completed',
          cycles: 1,
          ordersSubmitted: 1,
          halted: false,
          haltReason: null,
        }),
      acts,
    );

    // Every table the day writes was written, once.
    const final = await counts();
    for (const table of TABLES.filter((t) => t !== 'pattern_analysis'))
      expect(final[table], table).toBeGreaterThan(0);
    expect(final.trading_days).toBe(1);
    expect(final.trading_cycles).toBe(1);
    expect(final.scan_results).toBe(SYMBOLS.length);
    expect(final.news_sentiment).toBe(SYMBOLS.length);
    const [decided] = await rows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from scan_results where risk_approved is not null`,
    );
    expect(decided!.n).toBe(SYMBOLS.length);
  });
});
