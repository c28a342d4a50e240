/**
 * Does the signal carry information? The funnel's factors against what the price did next.
 *
 * The simulator runs in this process on loopback with a frozen market clock (manualClock) that
 * only this evaluation moves. For every NYSE trading day of the range and every cycle minute of
 * the guide's schedule, the clock goes to the minute and the cycle's funnel stages run exactly as
 * a trading day runs them (the real activities from `createActivities`, the real Alpaca adapter
 * pointed at the simulator, an in-memory PGlite) — called directly inside a mock activity context
 * instead of through Temporal. Each candidate's factors and its price at the decision (the close
 * of the last bar that started before the minute) are recorded; the clock then moves to
 * minute + HORIZON_MINUTES and the symbol's last close before that minute gives the forward return
 * log(p30 / p0). A factor's information coefficient (IC) in a cycle is the Spearman correlation of
 * the factor with the forward return over the cycle's candidates; across cycles its mean, spread
 * and t-statistic say whether the factor predicts anything.
 *
 * Nothing is ever read past the decision minute: the venue itself stands at the minute while the
 * stages run (it answers nothing later), and every read of theirs ends at the minute anyway.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createActivities, type Activities } from '../activities';
import type { Candidate, ScoredCandidate, StageRef } from '../activities/types';
import type { Broker } from '../broker/port';
import { createDatabase, type Database } from '../db/createDatabase';
import { spearman, summarizeIc, type IcSummary } from '../domain/backtest/informationCoefficient';
import { mergeChunkScans, SCAN_CHUNK_SIZE } from '../domain/scan/mergeChunks';
import { settingsSnapshot, type Settings } from '../settings/loadSettings';
import { createSettingsSource, settingsVersion, type SettingsSource } from '../settings/settingsSource';
import { startSimulator, type RunningSimulator } from '../sim/startSimulator';
import { MINUTE_MS, planDay } from '../workflows/marketTime';
import { backtestDays, BacktestInputError } from './backtest';
import { brokerForSimulator } from './simulatorBroker';

const PROJECT_DIR = resolve(import.meta.dirname, '../..');

/** Minutes between the decision and the price the forward return is measured to. */
export const HORIZON_MINUTES = 30;

export const FACTORS = ['news', 'pattern', 'technical', 'momentum', 'volume', 'composite'] as const;
export type Factor = (typeof FACTORS)[number];

export interface EvaluateSignalsOptions {
  seed: number;
  /** First and last date of the range (YYYY-MM-DD); its NYSE trading days are evaluated. */
  from: string;
  to: string;
  /** The simulator's market.signalStrength: 0 = headline tone independent of the move, 1 = always agrees. */
  signalStrength: number;
  /** At most this many cycles per day, the first ones of the schedule; default every one. */
  cyclesPerDay?: number;
  /** Default <project>/config. */
  configDir?: string;
  onProgress?: (progress: EvaluateProgress) => void;
  /**
   * After the last cycle, before everything stops, with the clock past every recorded minute (so
   * the whole range's bars are readable): tests check the recorded prices against the bars here.
   */
  beforeClose?: (venue: {
    broker: Broker;
    sim: RunningSimulator;
    cycles: readonly CycleEvaluation[];
  }) => Promise<void>;
}

export interface EvaluateProgress {
  tradingDate: string;
  cyclesDone: number;
  cyclesTotal: number;
  /** Candidates of the cycle just finished (with a price at the decision and one at the horizon). */
  candidates: number;
}

/** One candidate of one cycle: its factors at the decision and what the price did next. */
export interface Observation {
  symbol: string;
  scanScore: number;
  news: number;
  /** Headlines the news factor was scored from (0: the neutral 50). */
  headlines: number;
  pattern: number;
  technical: number;
  momentum: number;
  volume: number;
  composite: number;
  /** Close of the last 1-minute bar that started before the decision minute. */
  priceAtDecision: number;
  /** Start (epoch ms) of that bar. */
  priceBarMs: number;
  /** Close of the last bar that started before decision + HORIZON_MINUTES (p0 when none traded since). */
  priceAtHorizon: number;
  /** log(priceAtHorizon / priceAtDecision). */
  forwardReturn: number;
}

export interface CycleEvaluation {
  tradingDate: string;
  cycleNumber: number;
  asOfMs: number;
  horizonMs: number;
  /** Candidates the scan passed on (universe_top_n at most). */
  scanned: number;
  /** Of them, those with a bar before the minute (the rest have no price to measure from). */
  observations: Observation[];
  /** Per factor, this cycle's IC (undefined: fewer than 3 candidates, or no spread in the factor). */
  ic: Record<Factor, number | undefined>;
}

export interface EvaluateSignalsResult {
  seed: number;
  signalStrength: number;
  from: string;
  to: string;
  /** Trading days evaluated. */
  days: number;
  /** Cycles evaluated. */
  cycles: number;
  /** Per factor, its per-cycle ICs summarised across cycles. */
  factors: Record<Factor, IcSummary>;
  /** Mean candidates per cycle, and how many of them had headlines. */
  candidatesPerCycle: number;
  withNewsPerCycle: number;
  cycleDetails: CycleEvaluation[];
}

/**
 * The configuration the evaluation runs with: the project's, with every funnel cut-off after the
 * scan raised to the scan's size (news_top_n = pattern_top_n = technical_top_n = universe_top_n)
 * and no minimum composite score, so every factor is measured on the same candidates, the whole
 * scanned list. With the trading cut-offs each later factor would be measured only on what the
 * earlier ones kept, a selected sample whose IC says little about the factor itself.
 */
export function evaluationSettings(settings: Settings): Settings {
  const topN = settings.trading.scan.universe_top_n;
  return {
    ...settings,
    trading: {
      ...settings.trading,
      filters: { news_top_n: topN, pattern_top_n: topN, technical_top_n: topN },
      scoring: { ...settings.trading.scoring, min_composite_score: 0 },
    },
  };
}

function fixedSettings(base: SettingsSource): SettingsSource {
  const settings = evaluationSettings(base.current());
  return {
    ...base,
    current: () => settings,
    version: () => settingsVersion(settings),
    at: () => settings,
    snapshot: () => settingsSnapshot(settings),
    reload: () => ({ status: 'unchanged' }),
    watch: () => {},
  };
}

/** The decision minutes of a day: from open + first_cycle_after_open_minutes, every scan_frequency_minutes, while a whole horizon fits before the entry cut-off. */
export function cycleMinutes(
  plan: { firstCycleMs: number; noNewEntriesMs: number },
  frequencyMinutes: number,
): number[] {
  const out: number[] = [];
  for (
    let t = plan.firstCycleMs;
    t + HORIZON_MINUTES * MINUTE_MS <= plan.noNewEntriesMs;
    t += frequencyMinutes * MINUTE_MS
  )
    out.push(t);
  return out;
}

/** Each symbol's last bar that started in [startMs, endMs). */
async function lastBars(
  broker: Broker,
  symbols: readonly string[],
  startMs: number,
  endMs: number,
): Promise<Map<string, { t: number; c: number }>> {
  const out = new Map<string, { t: number; c: number }>();
  if (symbols.length === 0) return out;
  const bars = await broker.getBars({
    symbols: [...symbols],
    timeframe: '1Min',
    start: new Date(startMs).toISOString(),
    end: new Date(endMs - 1).toISOString(),
  });
  for (const [symbol, list] of bars) {
    let last: { t: number; c: number } | undefined;
    for (const b of list) {
      const t = Date.parse(b.t);
      if (t >= startMs && t < endMs && (!last || t > last.t)) last = { t, c: b.c };
    }
    if (last) out.set(symbol, last);
  }
  return out;
}

interface PendingCycle {
  tradingDate: string;
  cycleNumber: number;
  asOfMs: number;
  scanned: number;
  /** Decided, waiting for the horizon's price. */
  rows: Omit<Observation, 'priceAtHorizon' | 'forwardReturn'>[];
}

export async function evaluateSignals(opts: EvaluateSignalsOptions): Promise<EvaluateSignalsResult> {
  const days = backtestDays(opts.from, opts.to);
  if (!Number.isSafeInteger(opts.seed))
    throw new BacktestInputError(`seed must be an integer (got ${opts.seed})`);
  if (!(opts.signalStrength >= 0 && opts.signalStrength <= 1))
    throw new BacktestInputError(`signalStrength must be in [0, 1] (got ${opts.signalStrength})`);
  if (opts.cyclesPerDay !== undefined && !(Number.isInteger(opts.cyclesPerDay) && opts.cyclesPerDay >= 1))
    throw new BacktestInputError(`cyclesPerDay must be a positive integer (got ${opts.cyclesPerDay})`);

  const cleanups: (() => Promise<void>)[] = [];
  try {
    const base = createSettingsSource({ configDir: opts.configDir ?? join(PROJECT_DIR, 'config'), env: {} });
    const settings = fixedSettings(base);
    const database: Database = await createDatabase({ pgliteDir: 'memory://' });
    cleanups.push(() => database.close());
    const sim = await startSimulator({
      seed: opts.seed,
      speed: 1,
      date: days[0]!,
      manualClock: true,
      // The clock stands still between requests: a per-minute request budget would only stall.
      rateLimitPerMinute: 0,
      market: { signalStrength: opts.signalStrength },
    });
    cleanups.push(() => sim.close());
    const broker = brokerForSimulator(sim, { rateLimitPerMinute: false });
    const account = await broker.getAccount();
    const activities: Activities = createActivities({
      broker,
      db: database.db,
      accountId: account.id,
      accountNumber: account.accountNumber || account.id,
      venue: 'simulator',
      settings,
      // No alert is sent (no orders, no risk events), but the deps want a place for them.
      outboxDir: join(tmpdir(), 'catalyst-evaluate-outbox'),
      log: () => {},
    });
    // The activities heartbeat and key their rows by the workflow run: a mock context gives them one.
    const runId = `eval-${opts.seed >>> 0}-${Math.round(opts.signalStrength * 1000)}`;
    const env = new MockActivityEnvironment({
      activityType: 'evaluateSignals',
      workflowType: 'EvaluateSignals',
      workflowExecution: { workflowId: `evaluate-${runId}`, runId: '00000000-0000-4000-8000-000000000000' },
    });
    const act = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
      env.run(fn as (...a: A) => Promise<R>, ...args);

    // Every decision and every horizon read of the range, in market-time order (cycles may come
    // more often than the horizon: the clock only moves forward, so they interleave).
    const cfg = await activities.loadDayConfig();
    const events: { atMs: number; kind: 'decide' | 'settle'; cycle: PendingCycle }[] = [];
    for (const tradingDate of days) {
      const day = await activities.getMarketDay(tradingDate);
      if (!day.isTradingDay) continue; // the venue's calendar has the last word
      const minutes = cycleMinutes(planDay(day, cfg), cfg.scanFrequencyMinutes).slice(0, opts.cyclesPerDay);
      minutes.forEach((asOfMs, i) => {
        const cycle: PendingCycle = { tradingDate, cycleNumber: i + 1, asOfMs, scanned: 0, rows: [] };
        events.push({ atMs: asOfMs, kind: 'decide', cycle });
        events.push({ atMs: asOfMs + HORIZON_MINUTES * MINUTE_MS, kind: 'settle', cycle });
      });
    }
    events.sort((a, b) => a.atMs - b.atMs || (a.kind === b.kind ? 0 : a.kind === 'settle' ? -1 : 1));
    const cyclesTotal = events.length / 2;

    const done: CycleEvaluation[] = [];
    const evaluatedDays = new Set<string>();
    for (const ev of events) {
      if (ev.atMs > sim.nowMs()) sim.advanceTo(ev.atMs);
      const c = ev.cycle;
      if (ev.kind === 'decide') {
        await decide(
          activities,
          act,
          broker,
          c,
          `${runId}-${c.tradingDate}-c${String(c.cycleNumber).padStart(2, '0')}`,
        );
        continue;
      }
      const horizonMs = ev.atMs;
      const later = await lastBars(
        broker,
        c.rows.map((r) => r.symbol),
        c.asOfMs,
        horizonMs,
      );
      const observations: Observation[] = c.rows.map((r) => {
        const p30 = later.get(r.symbol)?.c ?? r.priceAtDecision;
        return { ...r, priceAtHorizon: p30, forwardReturn: Math.log(p30 / r.priceAtDecision) };
      });
      const returns = observations.map((o) => o.forwardReturn);
      const ic = Object.fromEntries(
        FACTORS.map((f) => [
          f,
          spearman(
            observations.map((o) => o[f]),
            returns,
          ),
        ]),
      ) as Record<Factor, number | undefined>;
      done.push({
        tradingDate: c.tradingDate,
        cycleNumber: c.cycleNumber,
        asOfMs: c.asOfMs,
        horizonMs,
        scanned: c.scanned,
        observations,
        ic,
      });
      evaluatedDays.add(c.tradingDate);
      opts.onProgress?.({
        tradingDate: c.tradingDate,
        cyclesDone: done.length,
        cyclesTotal,
        candidates: observations.length,
      });
    }
    done.sort((a, b) => a.asOfMs - b.asOfMs);
    await opts.beforeClose?.({ broker, sim, cycles: done });

    const perCycle = (f: (c: CycleEvaluation) => number): number =>
      done.length ? done.reduce((s, c) => s + f(c), 0) / done.length : 0;
    return {
      seed: opts.seed,
      signalStrength: opts.signalStrength,
      from: opts.from,
      to: opts.to,
      days: evaluatedDays.size,
      cycles: done.length,
      factors: Object.fromEntries(FACTORS.map((f) => [f, summarizeIc(done.map((c) => c.ic[f]))])) as Record<
        Factor,
        IcSummary
      >,
      candidatesPerCycle: perCycle((c) => c.observations.length),
      withNewsPerCycle: perCycle((c) => c.observations.filter((o) => o.headlines > 0).length),
      cycleDetails: done,
    };
  } finally {
    while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
  }
}

/** One cycle's funnel at its minute (the clock stands there), as the cycle workflow runs it. */
async function decide(
  activities: Activities,
  act: <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A) => Promise<R>,
  broker: Broker,
  cycle: PendingCycle,
  cycleId: string,
): Promise<void> {
  const ref = { cycleId, tradingDate: cycle.tradingDate, cycleNumber: cycle.cycleNumber };
  const asOf: StageRef = { ...ref, asOfMs: cycle.asOfMs };
  await act(activities.beginCycle, { ...ref, marketTimeMs: cycle.asOfMs });
  const universe = await act(activities.listUniverse, { ...asOf, chunkSize: SCAN_CHUNK_SIZE });
  const chunks = await Promise.all(
    Array.from({ length: universe.chunks }, (_, chunk) =>
      act(activities.scanChunk, { ...asOf, chunk, chunkSize: universe.chunkSize }),
    ),
  );
  const topN = Math.min(...chunks.map((c) => c.topN));
  const scan = mergeChunkScans(chunks, Number.isFinite(topN) ? topN : 0);
  await act(activities.recordScan, { ...asOf, candidates: scan.candidates });
  const news = await act(activities.scoreSentiment, { ...asOf, candidates: scan.candidates });
  const patterns = await act(activities.detectPatterns, { ...asOf, candidates: news.candidates });
  const technical = await act(activities.computeIndicators, { ...asOf, candidates: patterns.candidates });
  const scored = await act(activities.scoreCandidates, { ...asOf, candidates: technical.candidates });
  await act(activities.finishCycle, {
    cycleId,
    status: 'completed',
    funnel: {
      universe: universe.universe,
      scanned: scan.candidates.length,
      news: news.candidates.length,
      patterns: patterns.candidates.length,
      technical: technical.candidates.length,
      scored: scored.candidates.length,
      riskApproved: 0,
      ordersPlaced: 0,
    },
  });

  const bySymbol = new Map<string, Candidate>(technical.candidates.map((c) => [c.symbol, c]));
  const symbols = scored.candidates.map((c) => c.symbol);
  const day = await activities.getMarketDay(cycle.tradingDate);
  const before = await lastBars(broker, symbols, day.openMs, cycle.asOfMs);
  cycle.scanned = scan.candidates.length;
  cycle.rows = scored.candidates.flatMap((s: ScoredCandidate) => {
    const bar = before.get(s.symbol);
    const c = bySymbol.get(s.symbol);
    if (!bar || !c || !(bar.c > 0)) return []; // no trade yet today: no price to measure from
    return [
      {
        symbol: s.symbol,
        scanScore: c.scanScore,
        news: s.newsScore,
        headlines: c.headlines ?? 0,
        pattern: s.patternScore,
        technical: s.technicalScore,
        momentum: s.momentumScore,
        volume: s.volumeScore,
        composite: s.compositeScore,
        priceAtDecision: bar.c,
        priceBarMs: bar.t,
      },
    ];
  });
}
