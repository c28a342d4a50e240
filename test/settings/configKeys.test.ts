/**
 * Issue 9: every key of config/trading_config.yaml and config/risk_parameters.yaml does what its
 * comment says, with one test per key.
 *
 * The table below has one entry per leaf key of TradingConfigSchema and RiskParametersSchema, and
 * the first tests fail when a key has no entry or an entry names no key, so a key added later
 * without a test breaks the build. Each entry changes its key from the default, through the real
 * YAML parser (parseYamlConfig) or the real settings source over a temporary config directory,
 * and asserts that the behaviour it promises differs from the default's in the promised direction,
 * through the production code that reads the key:
 *
 *  - workflow timing: loadDayConfig → planDay / nextCycleMs (what TradingDayWorkflow runs on);
 *  - the funnel: the stage activities themselves (scanChunk, scoreSentiment, detectPatterns,
 *    computeIndicators, scoreCandidates) on a scripted venue and a real database;
 *  - risk and position sizing: riskLimitsFromConfig + validateRisk on a crafted context, and the
 *    risk activity where the activity itself reads the key (lookback_days, sector_overrides);
 *  - the monitor: guardPositions on a scripted book (max hold, loss levels, the loss-limit policy).
 *
 * Where a key's effect lives in workflow code, this file stops at the value the workflow receives
 * and names the workflow spec that covers the rest (the specs need a Temporal server).
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import type { ActivityDeps } from '../../src/activities/deps';
import { createMarketCache } from '../../src/activities/marketCache';
import { createNewsActivities } from '../../src/activities/news';
import { createPatternActivities } from '../../src/activities/patterns';
import { guardPositions } from '../../src/activities/reconciliation';
import { loadReferenceData, sectorOf, type ReferenceData } from '../../src/activities/referenceData';
import { createRiskActivities } from '../../src/activities/risk';
import { createScannerActivities } from '../../src/activities/scanner';
import { createScoringActivities } from '../../src/activities/scoring';
import { createSettingsActivities } from '../../src/activities/settings';
import { createTechnicalActivities } from '../../src/activities/technical';
import type { Candidate, ChunkScan, ScoredCandidate, StageRef } from '../../src/activities/types';
import { startCycle } from '../../src/db/repositories/tradingCycles';
import { dailyLossLevel } from '../../src/domain/positions';
import {
  datedCorrelation,
  validateRisk,
  type RiskCandidate,
  type RiskContext,
  type RiskDecision,
} from '../../src/domain/risk';
import { SettingsError } from '../../src/settings/loadSettings';
import { riskLimitsFromConfig } from '../../src/settings/riskLimits';
import { RISK_PARAMETERS_FILE, RiskParametersSchema } from '../../src/settings/riskParameters';
import type { SettingsSource } from '../../src/settings/settingsSource';
import { TRADING_CONFIG_FILE, TradingConfigSchema } from '../../src/settings/tradingConfig';
import { nextCycleMs, planDay } from '../../src/workflows/marketTime';
import type { MarketDay } from '../../src/workflows/messages';
import { bracket, catId, filled } from '../domain/bookKit';
import { createMigratedDatabase, type MigratedDatabase } from '../support/migratedDatabase';
import {
  keysSetIn,
  leafKeys,
  removeTempConfigDirs,
  riskWith,
  settingsWith,
  sourceWith,
  tradingWith,
  type ConfigOverrides,
  type Overrides,
} from './configKeysKit';
import {
  asset,
  at,
  brokerOrder,
  closesFromReturns,
  dailyBars,
  DATE,
  FakeVenue,
  MIN,
  minuteBars,
  position,
  snapshot,
  tradingDaysBefore,
  walsh,
} from './configKeysVenue';

const CONFIG_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../config');

// ───────────────────────────── shared harness ─────────────────────────────

let database: MigratedDatabase;
let reference: ReferenceData;
const activityEnv = new MockActivityEnvironment();
/** Stage activities heartbeat, which needs an activity context. */
const inActivity = <T>(f: () => Promise<T>): Promise<T> => activityEnv.run(f);

beforeAll(async () => {
  database = await createMigratedDatabase();
  reference = loadReferenceData();
});
afterAll(async () => {
  removeTempConfigDirs();
  await database?.dispose();
});

function depsFor(venue: FakeVenue, settings: SettingsSource): ActivityDeps {
  return {
    broker: venue,
    db: database.db,
    accountId: 'config-keys',
    venue: 'simulator',
    settings,
    outboxDir: join(tmpdir(), 'catalyst-config-keys-outbox'),
    log: () => {},
  };
}

let cycles = 0;
/** A trading_cycles row (the analysis tables reference it) and the stage reference for its minute. */
async function newCycle(asOfMs: number): Promise<StageRef> {
  cycles += 1;
  const ref = { cycleId: `${DATE}-config-keys-${cycles}`, tradingDate: DATE, cycleNumber: cycles, asOfMs };
  await startCycle(database.db, {
    cycleId: ref.cycleId,
    tradingDate: DATE,
    workflowId: 'config-keys',
    runId: 'config-keys',
    cycleNumber: cycles,
    marketTime: new Date(asOfMs),
    config: {},
  });
  return ref;
}

// ── the day's timing (loadDayConfig → planDay / nextCycleMs, as TradingDayWorkflow does) ──

const DAY: MarketDay = {
  tradingDate: DATE,
  isTradingDay: true,
  openMs: at('09:30'),
  closeMs: at('16:00'),
  earlyClose: false,
  nowMs: at('09:00'),
};
const EARLY_CLOSE: MarketDay = { ...DAY, closeMs: at('13:00'), earlyClose: true };

const dayConfig = (trading: Overrides = {}) =>
  createSettingsActivities({ settings: sourceWith({ trading }), venue: 'simulator' }).loadDayConfig();

/** The market minutes the day's cycles start at: from the first cycle, every period, before the cut-off. */
async function cycleTimes(trading: Overrides = {}): Promise<string[]> {
  const cfg = await dayConfig(trading);
  const plan = planDay(DAY, cfg);
  const out: string[] = [];
  for (let t = plan.firstCycleMs; t < plan.noNewEntriesMs; t = nextCycleMs(plan, t, cfg.scanFrequencyMinutes))
    out.push(hhmm(t));
  return out;
}
const hhmm = (ms: number): string =>
  new Date(ms).toLocaleTimeString('en-GB', {
    timeZone: 'America/New_York',
    hour: '2-digit',
    minute: '2-digit',
  });

// ── risk decisions (riskLimitsFromConfig + validateRisk) ──

/** An account of $100,000 with no positions and nothing lost today, at 10:00. */
function ctx(p: Partial<RiskContext> = {}): RiskContext {
  return {
    equity: '100000.00',
    buyingPower: '200000.00',
    cash: '100000.00',
    dailyPnl: '0.00',
    openPositions: [],
    openOrderSymbols: [],
    halted: false,
    entriesAllowed: true,
    nowMs: at('10:00'),
    ...p,
  };
}
/**
 * A candidate quoted at $100.00 whose daily returns are Walsh row `k`: candidates (and holdings)
 * of different rows are uncorrelated, so only the rule under test decides.
 */
function candidate(symbol: string, k: number, p: Partial<RiskCandidate> = {}): RiskCandidate {
  return {
    symbol,
    sector: 'Technology',
    entryPrice: '100.00',
    compositeScore: 70,
    recentCloses: closesFromReturns(walsh(k)),
    ...p,
  };
}

const decide = (o: ConfigOverrides, candidates: RiskCandidate[], c: RiskContext = ctx()): RiskDecision[] =>
  validateRisk(candidates, c, riskLimitsFromConfig(settingsWith(o)));
const decideOne = (o: ConfigOverrides, c: RiskCandidate, context: RiskContext = ctx()): RiskDecision =>
  decide(o, [c], context)[0]!;
const approvedSymbols = (ds: RiskDecision[]): string[] => ds.filter((d) => d.approved).map((d) => d.symbol);
const reasons = (d: RiskDecision): string => d.reasons.join(' | ');
const cents = (price: string | null): number => Math.round(Number(price) * 100);

// ── the risk activity on a scripted venue ──

function scored(symbol: string, price = '100.00'): ScoredCandidate {
  return {
    symbol,
    sector: 'unused: the activity looks the sector up itself',
    price,
    compositeScore: 70,
    newsScore: 60,
    patternScore: 60,
    technicalScore: 60,
    momentumScore: 60,
    volumeScore: 60,
    atr: null,
  };
}

async function riskActivity(
  o: ConfigOverrides,
  setup: (v: FakeVenue) => void,
  candidates: ScoredCandidate[],
  ref: ReferenceData,
) {
  const venue = new FakeVenue();
  setup(venue);
  const acts = createRiskActivities(depsFor(venue, sourceWith(o)), createMarketCache(), ref);
  const { decisions } = await acts.validateRisk({
    cycleId: `${DATE}-config-keys-risk`,
    tradingDate: DATE,
    cycleNumber: 1,
    candidates,
  });
  return { decisions, venue };
}

// ── the monitor's guard on a scripted book ──

/**
 * Catalyst's book on DATE: 100 LOSS bought at $100.00 at 10:00 (stop $80, target $120), priced at
 * `current` at noon. Its P&L is (current − 100) × 100.
 */
function bookAt(current: string) {
  return (v: FakeVenue): void => {
    v.nowMs = at('12:00');
    v.orders = [
      brokerOrder(
        bracket({ symbol: 'LOSS', qty: 100, price: '100.00', stop: '80.00', target: '120.00', at: 30 }),
      ),
    ];
    v.positions = [position('LOSS', 100, '100.00', current)];
  };
}

async function guard(o: ConfigOverrides, setup: (v: FakeVenue) => void) {
  const venue = new FakeVenue();
  setup(venue);
  const report = await guardPositions({ broker: venue, settings: sourceWith(o) }, { tradingDate: DATE });
  return { report, venue };
}
const lossLimitOf = async (risk: Overrides) => (await guard({ risk }, bookAt('99.00'))).report.lossLimit!;

// ── the funnel's stages ──

function scanRow(symbol: string, scanScore: number, p: Partial<Candidate> = {}): Candidate {
  return {
    symbol,
    rank: 1,
    price: 50,
    volume: 100_000,
    gapPct: 0,
    momentumPct: 0,
    relativeVolume: 1,
    scanScore,
    momentumScore: 50,
    volumeScore: 50,
    ...p,
  };
}
const symbols = (list: readonly { symbol: string }[]): string[] => list.map((c) => c.symbol);

interface ScanSymbol {
  symbol: string;
  price: number;
  /** The reference file's average daily volume. */
  avgVolume: number;
  /** Today's volume by 10:00. */
  volume?: number;
  /** Percent up since the open (orders the scan score). */
  momentumPct?: number;
}

/** One scan chunk at 10:00 over these symbols, with the config's overrides. */
async function scanChunk(trading: Overrides, list: readonly ScanSymbol[]): Promise<ChunkScan> {
  const venue = new FakeVenue();
  venue.nowMs = at('10:00');
  venue.assets = list.map((s) => asset(s.symbol));
  const ref = new Map(
    list.map((s) => [
      s.symbol,
      {
        name: s.symbol,
        exchange: 'NASDAQ',
        sector: 'Technology',
        industry: 'Software',
        avgVolume: s.avgVolume,
      },
    ]),
  );
  for (const s of list) {
    const open = s.price / (1 + (s.momentumPct ?? 1) / 100);
    venue.snapshots.set(
      s.symbol,
      snapshot(s.symbol, {
        price: s.price,
        open,
        prevClose: open,
        volume: s.volume ?? 50_000,
        prevVolume: s.avgVolume,
      }),
    );
  }
  const acts = createScannerActivities(depsFor(venue, sourceWith({ trading })), createMarketCache(), ref);
  return inActivity(() =>
    acts.scanChunk({
      cycleId: `${DATE}-config-keys-scan`,
      tradingDate: DATE,
      cycleNumber: 1,
      asOfMs: at('10:00'),
      chunk: 0,
      chunkSize: 500,
    }),
  );
}

/** Liquid symbols priced across the band, the highest scan score first. */
const PRICE_BAND: ScanSymbol[] = [
  { symbol: 'P3', price: 3, avgVolume: 50_000_000, momentumPct: 5 },
  { symbol: 'P8', price: 8, avgVolume: 50_000_000, momentumPct: 4 },
  { symbol: 'P20', price: 20, avgVolume: 50_000_000, momentumPct: 3 },
  { symbol: 'P450', price: 450, avgVolume: 50_000_000, momentumPct: 2 },
  { symbol: 'P600', price: 600, avgVolume: 50_000_000, momentumPct: 1 },
];

async function stage<T>(
  make: (deps: ActivityDeps) => (input: StageRef & { candidates: Candidate[] }) => Promise<T>,
  trading: Overrides,
  candidates: Candidate[],
  prepare: (v: FakeVenue) => void = () => {},
): Promise<T> {
  const venue = new FakeVenue();
  venue.nowMs = at('10:05');
  prepare(venue);
  const ref = await newCycle(at('10:05'));
  const run = make(depsFor(venue, sourceWith({ trading })));
  return inActivity(() => run({ ...ref, candidates }));
}

/** The ATR computeIndicators hands on for ATR stops, for one candidate at `asOf`. */
async function stopAtr(trading: Overrides, asOf: string): Promise<number | null> {
  const venue = new FakeVenue();
  venue.nowMs = at(asOf);
  venue.bars.set('ATRX/1Min', minuteBars(at(asOf)));
  const ref = await newCycle(at(asOf));
  const acts = createTechnicalActivities(
    depsFor(venue, sourceWith({ trading })),
    createMarketCache(),
    new Map(),
  );
  const out = await inActivity(() => acts.computeIndicators({ ...ref, candidates: [scanRow('ATRX', 60)] }));
  return out.candidates[0]!.atr ?? null;
}

/** A candidate at the scoring stage: each factor neutral (50) unless given. */
function factors(
  symbol: string,
  f: Partial<{ news: number; technical: number; momentum: number; volume: number }>,
): Candidate {
  return scanRow(symbol, 50, {
    newsScore: f.news ?? 50,
    technicalScore: f.technical ?? 50,
    momentumScore: f.momentum ?? 50,
    volumeScore: f.volume ?? 50,
    patternScore: 50,
    lastClose: 50,
  });
}
async function composite(trading: Overrides, candidates: Candidate[]) {
  return stage((deps) => createScoringActivities(deps, new Map()).scoreCandidates, trading, candidates);
}
async function compositeOf(trading: Overrides, c: Candidate): Promise<number> {
  const out = await composite({ 'scoring.min_composite_score': 0, ...trading }, [c]);
  return out.candidates[0]!.compositeScore;
}

// ───────────────────────────── the table ─────────────────────────────

interface KeyTest {
  /** What the YAML comment promises (the test title). */
  says: string;
  run: () => Promise<void> | void;
}

const TRADING: Record<string, KeyTest> = {
  'session.mode': {
    says: 'supervised waits for approval, autonomous executes without asking (the mode a scheduled day runs in)',
    async run() {
      // The approval wait itself is a workflow behaviour: test/workflows/specs/operator.test.ts.
      const planned = async (trading: Overrides) =>
        (
          await createSettingsActivities({
            settings: sourceWith({ trading }),
            venue: 'simulator',
          }).planScheduledDay(at('09:30'))
        ).mode;
      expect(await planned({})).toBe('autonomous');
      expect(await planned({ 'session.mode': 'supervised' })).toBe('supervised');
    },
  },

  'workflow.scan_frequency_minutes': {
    says: 'one scan cycle every N market minutes',
    async run() {
      const every30 = await cycleTimes();
      const every15 = await cycleTimes({ 'workflow.scan_frequency_minutes': 15 });
      expect(every30.slice(0, 3)).toEqual(['09:35', '10:05', '10:35']);
      expect(every15.slice(0, 3)).toEqual(['09:35', '09:50', '10:05']);
      expect(every30.at(-1)).toBe('14:35');
      expect(every15.at(-1)).toBe('14:50');
      expect(every15.length).toBe(2 * every30.length);
    },
  },

  'workflow.first_cycle_after_open_minutes': {
    says: 'the first scan N minutes after the open, letting the opening auction settle',
    async run() {
      expect((await cycleTimes())[0]).toBe('09:35');
      expect((await cycleTimes({ 'workflow.first_cycle_after_open_minutes': 20 }))[0]).toBe('09:50');
      expect((await cycleTimes({ 'workflow.first_cycle_after_open_minutes': 0 }))[0]).toBe('09:30');
    },
  },

  'workflow.execute_top_n': {
    says: 'max entries per cycle',
    async run() {
      const batch = [90, 80, 70, 60].map((score, i) =>
        candidate(`TOP${i + 1}`, i + 1, { compositeScore: score }),
      );
      const three = decide({}, batch);
      const one = decide({ trading: { 'workflow.execute_top_n': 1 } }, batch);
      expect(approvedSymbols(three)).toEqual(['TOP1', 'TOP2', 'TOP3']);
      expect(approvedSymbols(one)).toEqual(['TOP1']);
      expect(reasons(one[1]!)).toMatch(/execute_top_n reached: 1 already approved/);
      // The day's config carries it too (the workflow reads the cycle's limits from the risk activity).
      expect((await dayConfig({ 'workflow.execute_top_n': 1 })).executeTopN).toBe(1);
    },
  },

  'workflow.no_new_entries_before_close_minutes': {
    says: 'no new entries in the last N minutes: 15:00 ET, or 12:00 on a 13:00 early close',
    async run() {
      const cutoff = async (day: MarketDay, trading: Overrides = {}) =>
        hhmm(planDay(day, await dayConfig(trading)).noNewEntriesMs);
      expect(await cutoff(DAY)).toBe('15:00');
      expect(await cutoff(EARLY_CLOSE)).toBe('12:00');
      const ninety = { 'workflow.no_new_entries_before_close_minutes': 90 };
      expect(await cutoff(DAY, ninety)).toBe('14:30');
      expect(await cutoff(EARLY_CLOSE, ninety)).toBe('11:30');
      // No cycle starts at or after the cut-off.
      expect((await cycleTimes()).at(-1)).toBe('14:35');
      expect((await cycleTimes(ninety)).at(-1)).toBe('14:05');
    },
  },

  'workflow.flatten_before_close_minutes': {
    says: 'cancel orders and flatten N minutes before the close: 15:50 ET',
    async run() {
      // What the close-out does at that time: test/workflows/specs/closeOut.test.ts.
      const flatten = async (day: MarketDay, trading: Overrides = {}) =>
        hhmm(planDay(day, await dayConfig(trading)).flattenMs);
      expect(await flatten(DAY)).toBe('15:50');
      expect(await flatten(EARLY_CLOSE)).toBe('12:50');
      const thirty = { 'workflow.flatten_before_close_minutes': 30 };
      expect(await flatten(DAY, thirty)).toBe('15:30');
      expect(await flatten(EARLY_CLOSE, thirty)).toBe('12:30');
    },
  },

  'workflow.approval_timeout_minutes': {
    says: 'supervised mode: how long a cycle waits for approval',
    async run() {
      // The wait (min(timeout, the decision's deadline)) is workflow code in cycle.ts, covered by
      // test/workflows/specs/operator.test.ts ('silence until the approval timeout places nothing').
      // Here: the value the day hands its cycles.
      expect((await dayConfig()).approvalTimeoutMinutes).toBe(10);
      expect((await dayConfig({ 'workflow.approval_timeout_minutes': 25 })).approvalTimeoutMinutes).toBe(25);
    },
  },

  'monitor.alert_after_failed_ticks': {
    says: 'CRITICAL alert after this many failed monitor ticks in a row',
    async run() {
      // The counting and the alert are PositionMonitorWorkflow's, covered by
      // test/workflows/specs/positionMonitor.test.ts ('raises one CRITICAL alert when it goes blind').
      expect((await dayConfig()).alertAfterFailedTicks).toBe(3);
      expect((await dayConfig({ 'monitor.alert_after_failed_ticks': 7 })).alertAfterFailedTicks).toBe(7);
    },
  },

  'monitor.emergency_stop_after_failed_ticks': {
    says: 'emergency stop (flatten as soon as it can) after this many failed monitor ticks in a row',
    async run() {
      // The stop is PositionMonitorWorkflow's, covered by test/workflows/specs/positionMonitor.test.ts
      // ('… and halts the day when it stays blind').
      expect((await dayConfig()).emergencyAfterFailedTicks).toBe(10);
      expect(
        (await dayConfig({ 'monitor.emergency_stop_after_failed_ticks': 30 })).emergencyAfterFailedTicks,
      ).toBe(30);
    },
  },

  'scan.universe_top_n': {
    says: 'all tradable US equities → the top N by momentum, relative volume and gap',
    async run() {
      const list = [1, 2, 3, 4, 5, 6].map((i) => ({
        symbol: `U${i}`,
        price: 50,
        avgVolume: 5_000_000,
        momentumPct: 7 - i,
      }));
      const all = await scanChunk({}, list);
      const two = await scanChunk(
        {
          'scan.universe_top_n': 2,
          // The funnel narrows stage by stage: the later sizes may not exceed the scan's.
          'filters.news_top_n': 2,
          'filters.pattern_top_n': 2,
          'filters.technical_top_n': 2,
          'workflow.execute_top_n': 2,
        },
        list,
      );
      expect(symbols(all.top)).toEqual(['U1', 'U2', 'U3', 'U4', 'U5', 'U6']);
      expect([all.topN, two.topN]).toEqual([200, 2]);
      expect(symbols(two.top)).toEqual(['U1', 'U2']);
      expect(two.eligible).toBe(6);
    },
  },

  'scan.min_price': {
    says: 'the price band in dollars: nothing cheaper is scanned',
    async run() {
      expect(symbols((await scanChunk({}, PRICE_BAND)).top)).toEqual(['P8', 'P20', 'P450']);
      expect(symbols((await scanChunk({ 'scan.min_price': 10 }, PRICE_BAND)).top)).toEqual(['P20', 'P450']);
    },
  },

  'scan.max_price': {
    says: 'the price band in dollars: nothing dearer is scanned',
    async run() {
      expect(symbols((await scanChunk({}, PRICE_BAND)).top)).toEqual(['P8', 'P20', 'P450']);
      expect(symbols((await scanChunk({ 'scan.max_price': 1000 }, PRICE_BAND)).top)).toEqual([
        'P8',
        'P20',
        'P450',
        'P600',
      ]);
      expect(symbols((await scanChunk({ 'scan.max_price': 400 }, PRICE_BAND)).top)).toEqual(['P8', 'P20']);
    },
  },

  'scan.min_dollar_volume': {
    says: 'minimum typical full-day dollar volume: price × the larger of average and projected volume',
    async run() {
      const list: ScanSymbol[] = [
        // $10 × 600,000 average = $6M; today's 10,000 by 10:00 projects far less.
        { symbol: 'AVG6M', price: 10, avgVolume: 600_000, volume: 10_000, momentumPct: 3 },
        // $10 × 100,000 average = $1M, but 300,000 by 10:00 projects over 2M shares a day: > $20M.
        { symbol: 'PROJ', price: 10, avgVolume: 100_000, volume: 300_000, momentumPct: 2 },
        // $10 × 300,000 average = $3M.
        { symbol: 'AVG3M', price: 10, avgVolume: 300_000, volume: 10_000, momentumPct: 1 },
      ];
      const kept = async (trading: Overrides) => symbols((await scanChunk(trading, list)).top).sort();
      expect(await kept({})).toEqual(['AVG6M', 'PROJ']);
      expect(await kept({ 'scan.min_dollar_volume': 10_000_000 })).toEqual(['PROJ']);
      expect(await kept({ 'scan.min_dollar_volume': 1_000_000 })).toEqual(['AVG3M', 'AVG6M', 'PROJ']);
    },
  },

  'filters.news_top_n': {
    says: 'the news-sentiment stage keeps the best N',
    async run() {
      const list = Array.from({ length: 40 }, (_, i) => scanRow(`N${String(i).padStart(2, '0')}`, 90 - i));
      // The weakest scan has the best news: the stage ranks by its own evidence first.
      const withNews = (v: FakeVenue): void => {
        v.news = [
          {
            id: 1,
            headline: 'N39 beats third-quarter estimates and raises full-year guidance',
            summary: '',
            createdAt: new Date(at('09:45')).toISOString(),
            symbols: ['N39'],
            source: 'test',
          },
        ];
      };
      const run = (trading: Overrides) =>
        stage(
          (deps) => createNewsActivities(deps, createMarketCache()).scoreSentiment,
          trading,
          list,
          withNews,
        );
      const thirtyFive = await run({});
      const five = await run({
        'filters.news_top_n': 5,
        'filters.pattern_top_n': 5,
        'filters.technical_top_n': 5,
      });
      expect(thirtyFive.candidates).toHaveLength(35);
      expect(five.candidates).toHaveLength(5);
      expect(five.candidates[0]!.newsScore!).toBeGreaterThan(50);
      expect(symbols(five.candidates)).toEqual(['N39', 'N00', 'N01', 'N02', 'N03']);
    },
  },

  'filters.pattern_top_n': {
    says: 'the pattern stage keeps the best N of the news stage’s',
    async run() {
      const list = Array.from({ length: 25 }, (_, i) => scanRow(`Q${String(i).padStart(2, '0')}`, 90 - i));
      const run = (trading: Overrides) =>
        stage((deps) => createPatternActivities(deps, createMarketCache()).detectPatterns, trading, list);
      expect((await run({})).candidates).toHaveLength(20);
      const four = await run({ 'filters.pattern_top_n': 4, 'filters.technical_top_n': 4 });
      expect(symbols(four.candidates)).toEqual(['Q00', 'Q01', 'Q02', 'Q03']);
    },
  },

  'filters.technical_top_n': {
    says: 'the technical stage keeps the best N of the pattern stage’s',
    async run() {
      const list = Array.from({ length: 15 }, (_, i) => scanRow(`T${String(i).padStart(2, '0')}`, 90 - i));
      const run = (trading: Overrides) =>
        stage(
          (deps) => createTechnicalActivities(deps, createMarketCache(), new Map()).computeIndicators,
          trading,
          list,
        );
      expect((await run({})).candidates).toHaveLength(10);
      expect((await run({ 'filters.technical_top_n': 4 })).candidates).toHaveLength(4);
    },
  },

  // Each weight test moves weight onto its factor from one the probe candidate holds at neutral
  // (50), so only the tested weight moves its composite: by Δweight × (its factor − 50).
  'scoring.weights.news': {
    says: 'composite score weight of the news factor',
    async run() {
      const strongNews = factors('NEWS', { news: 100 });
      expect(await compositeOf({}, strongNews)).toBe(65);
      expect(
        await compositeOf({ 'scoring.weights.news': 0.5, 'scoring.weights.momentum': 0 }, strongNews),
      ).toBe(75);
    },
  },

  'scoring.weights.technical': {
    says: 'composite score weight of the technical factor',
    async run() {
      const strongTech = factors('TECH', { technical: 100 });
      expect(await compositeOf({}, strongTech)).toBe(65);
      expect(
        await compositeOf({ 'scoring.weights.technical': 0.5, 'scoring.weights.momentum': 0 }, strongTech),
      ).toBe(75);
    },
  },

  'scoring.weights.momentum': {
    says: 'composite score weight of the momentum factor',
    async run() {
      const strongMomentum = factors('MOM', { momentum: 100 });
      expect(await compositeOf({}, strongMomentum)).toBe(60);
      expect(
        await compositeOf({ 'scoring.weights.momentum': 0.4, 'scoring.weights.news': 0.1 }, strongMomentum),
      ).toBe(70);
    },
  },

  'scoring.weights.volume': {
    says: 'composite score weight of the volume factor',
    async run() {
      const strongVolume = factors('VOL', { volume: 100 });
      expect(await compositeOf({}, strongVolume)).toBe(60);
      expect(
        await compositeOf({ 'scoring.weights.volume': 0.4, 'scoring.weights.news': 0.1 }, strongVolume),
      ).toBe(70);
      // The weights must sum to 1: a config that does not is refused.
      expect(() => tradingWith({ 'scoring.weights.volume': 0.4 })).toThrow(/must sum to 1/);
    },
  },

  'scoring.min_composite_score': {
    says: 'nothing scoring below this is bought: a cycle of poor candidates places no order',
    async run() {
      const good = factors('GOOD', { news: 100 }); // 65
      const poor = factors('POOR', { news: 40 }); // 47
      const outcome = async (trading: Overrides) => {
        const o = await composite(trading, [good, poor]);
        return { kept: symbols(o.candidates), belowMinimum: o.belowMinimum };
      };
      expect(await outcome({})).toEqual({ kept: ['GOOD'], belowMinimum: 1 });
      expect(await outcome({ 'scoring.min_composite_score': 40 })).toEqual({
        kept: ['GOOD', 'POOR'],
        belowMinimum: 0,
      });
      expect(await outcome({ 'scoring.min_composite_score': 70 })).toEqual({ kept: [], belowMinimum: 2 });
    },
  },

  'positions.default_stop_loss_pct': {
    says: 'stop 2 % below the entry',
    async run() {
      const two = decideOne({}, candidate('STOP', 1));
      const five = decideOne({ trading: { 'positions.default_stop_loss_pct': 5 } }, candidate('STOP', 1));
      expect([two.stopPrice, five.stopPrice]).toEqual(['98.00', '95.00']);
      // The same 49 shares (the max position size binds) now risk $5.50 each from the $100.50 limit.
      expect([two.riskAmount, five.riskAmount]).toEqual(['122.50', '269.50']);

      // The risk activity also prices a holding of Catalyst's whose stop is unknown (no stop leg) as
      // if its stop sat this far below its price: 1,000 OLD at $100 commit $2,000 at 2 % (the whole
      // $2,000 daily loss budget), $1,000 at 1 %.
      const stoplessHolding = (v: FakeVenue): void => {
        v.orders = [
          brokerOrder(
            filled(
              {
                symbol: 'OLD',
                side: 'buy',
                type: 'limit',
                limitPrice: '100.00',
                clientOrderId: catId('OLD'),
              },
              1000,
              '100.00',
              30,
            ),
          ),
        ];
        v.positions = [position('OLD', 1000, '100.00', '100.00')];
        v.bars.set('OLD/1Day', dailyBars(closesFromReturns(walsh(1))));
        v.bars.set('AAPL/1Day', dailyBars(closesFromReturns(walsh(2))));
      };
      const atTwo = await riskActivity({}, stoplessHolding, [scored('AAPL')], reference);
      const atOne = await riskActivity(
        { trading: { 'positions.default_stop_loss_pct': 1 } },
        stoplessHolding,
        [scored('AAPL')],
        reference,
      );
      expect(atTwo.decisions[0]!.approved).toBe(false);
      expect(atTwo.decisions[0]!.reasons.join(' | ')).toMatch(
        /daily loss budget used up: .*open stop risk \$2,000\.00/,
      );
      expect(atOne.decisions[0]!.approved).toBe(true);
      expect(atOne.decisions[0]!.stopPrice).toBe('99.00');
    },
  },

  'positions.default_take_profit_pct': {
    says: 'target 6 % above the entry',
    run() {
      const six = decideOne({}, candidate('TGT', 1));
      const ten = decideOne({ trading: { 'positions.default_take_profit_pct': 10 } }, candidate('TGT', 1));
      expect([six.takeProfitPrice, ten.takeProfitPrice]).toEqual(['106.00', '110.00']);
      expect(ten.stopPrice).toBe(six.stopPrice);
    },
  },

  'positions.use_atr_stops': {
    says: 'true: the stop sits atr_multiplier × ATR(14) below the entry and the target keeps the ratio above',
    run() {
      const withAtr = candidate('ATR', 1, { atr: 1 });
      const percent = decideOne({}, withAtr);
      const atr = decideOne({ trading: { 'positions.use_atr_stops': true } }, withAtr);
      expect([percent.stopPrice, percent.takeProfitPrice]).toEqual(['98.00', '106.00']);
      // 1.5 × $1 below, and 3 × that above (6 % : 2 %).
      expect([atr.stopPrice, atr.takeProfitPrice]).toEqual(['98.50', '104.50']);
      // Without an ATR the percent stop stays.
      const noAtr = decideOne(
        { trading: { 'positions.use_atr_stops': true } },
        candidate('ATR', 1, { atr: null }),
      );
      expect(noAtr.stopPrice).toBe('98.00');
    },
  },

  'positions.atr_multiplier': {
    says: 'the ATR stop’s distance in ATRs (with use_atr_stops)',
    run() {
      const withAtr = candidate('MULT', 1, { atr: 1 });
      const atrStops = { 'positions.use_atr_stops': true };
      const x15 = decideOne({ trading: atrStops }, withAtr);
      const x3 = decideOne({ trading: { ...atrStops, 'positions.atr_multiplier': 3 } }, withAtr);
      expect([x15.stopPrice, x15.takeProfitPrice]).toEqual(['98.50', '104.50']);
      expect([x3.stopPrice, x3.takeProfitPrice]).toEqual(['97.00', '109.00']);
    },
  },

  'positions.atr_timeframe': {
    says: 'bars the ATR(14) is computed on (minute bars aggregated); fewer than 15 complete bars: no ATR (percent stop)',
    async run() {
      const fiveMin = await stopAtr({}, '10:05');
      const oneMin = await stopAtr({ 'positions.atr_timeframe': '1Min' }, '10:05');
      const fifteenMin = await stopAtr({ 'positions.atr_timeframe': '15Min' }, '10:05');
      expect(fiveMin).toBeGreaterThan(0);
      // Longer bars span more of the path: a wider true range.
      expect(oneMin!).toBeLessThan(fiveMin!);
      expect(fifteenMin!).toBeGreaterThan(fiveMin!);
      // 30Min: the previous session's 13 bars + today's 09:30 bar = 14 before 10:30, 15 at 10:30.
      expect(await stopAtr({ 'positions.atr_timeframe': '30Min' }, '10:05')).toBeNull();
      expect(await stopAtr({ 'positions.atr_timeframe': '30Min' }, '10:30')).toBeGreaterThan(0);
      // 1Hour: 7 a session, so never 15.
      expect(await stopAtr({ 'positions.atr_timeframe': '1Hour' }, '15:55')).toBeNull();
    },
  },

  'positions.entry_limit_offset_pct': {
    says: 'entries are limit orders this percent above the quote; sizing assumes the fill at the limit',
    run() {
      const limits = [undefined, 2, 0].map((pct) =>
        decideOne(
          { trading: pct === undefined ? {} : { 'positions.entry_limit_offset_pct': pct } },
          candidate('LMT', 1),
        ),
      );
      expect(limits.map((d) => d.limitPrice)).toEqual(['100.50', '102.00', '100.00']);
      // Sized at the limit: the $5,000 max position size buys 49 at $100.50 or $102, 50 at $100.
      expect(limits.map((d) => d.qty)).toEqual([49, 49, 50]);
      for (const d of limits) {
        expect(d.qty * cents(d.limitPrice)).toBeLessThanOrEqual(500_000);
        // The risk is measured from the limit to the stop ($98.00 whatever the offset).
        expect(d.stopPrice).toBe('98.00');
        expect(cents(d.riskAmount)).toBe(d.qty * (cents(d.limitPrice) - cents(d.stopPrice)));
      }
    },
  },

  'positions.max_hold_time_minutes': {
    says: 'exit positions held longer than this, in market minutes',
    async run() {
      // Bought at 10:00, checked at noon: 120 minutes held.
      const held = bookAt('101.00');
      const kept = await guard({}, held);
      const sold = await guard({ trading: { 'positions.max_hold_time_minutes': 60 } }, held);
      expect(kept.report.exits).toEqual([]);
      expect(kept.venue.sent).toEqual([]);
      expect(sold.report.exits).toEqual([
        expect.objectContaining({ symbol: 'LOSS', qty: 100, reason: 'max_hold_exit' }),
      ]);
      expect(sold.venue.sent).toEqual([
        expect.objectContaining({ symbol: 'LOSS', side: 'sell', qty: '100', type: 'market' }),
      ]);
    },
  },

  'positions.close_all_at_market_close': {
    says: 'only true is accepted: bracket stops are day orders',
    run() {
      expect(tradingWith({}).positions.close_all_at_market_close).toBe(true);
      expect(
        tradingWith({ 'positions.close_all_at_market_close': true }).positions.close_all_at_market_close,
      ).toBe(true);
      let error: unknown;
      try {
        tradingWith({ 'positions.close_all_at_market_close': false });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(SettingsError);
      expect((error as SettingsError).issues).toEqual([
        expect.stringMatching(
          /^trading_config\.yaml: positions\.close_all_at_market_close must be true: Catalyst flattens its book before every close \(its bracket stops are day orders/,
        ),
      ]);
    },
  },
};

const RISK: Record<string, KeyTest> = {
  'daily_limits.max_loss': {
    says: 'dollars of realized + unrealized loss per day: entries stop at it, and the monitor grades against it',
    async run() {
      const down1500 = ctx({ dailyPnl: '-1500.00' });
      expect(decideOne({}, candidate('MAXL', 1), down1500).approved).toBe(true);
      const refused = decideOne({ risk: { 'daily_limits.max_loss': 1500 } }, candidate('MAXL', 1), down1500);
      expect(refused.approved).toBe(false);
      expect(reasons(refused)).toMatch(/daily loss limit reached: P&L -\$1,500\.00 at or below -\$1,500\.00/);
      // The monitor's grade of the same loss, from the book: 75 % of $2,000 is the warning; $1,500 is the limit.
      const graded = async (risk: Overrides) => (await guard({ risk }, bookAt('85.00'))).report;
      const atDefault = await graded({});
      const atLower = await graded({ 'daily_limits.max_loss': '1500.00' });
      expect([atDefault.dailyPnl, atDefault.dailyLossLevel, atDefault.lossLimit!.maxLoss]).toEqual([
        expect.stringMatching(/^-1500(\.0+)?$/),
        'warning',
        '2000.00',
      ]);
      expect([atLower.dailyLossLevel, atLower.lossLimit!.maxLoss]).toEqual(['limit', '1500.00']);
    },
  },

  'daily_limits.warning_threshold_pct': {
    says: 'WARNING alert at this percent of max_loss: $1,500',
    async run() {
      const level = async (risk: Overrides, price: string) =>
        (await guard({ risk }, bookAt(price))).report.dailyLossLevel;
      // $1,500 lost: the warning at 75 %, not at 80 %; $1,400: not at 75 %, the warning at 70 %.
      expect(await level({}, '85.00')).toBe('warning');
      expect(await level({ 'daily_limits.warning_threshold_pct': 80 }, '85.00')).toBe('ok');
      expect(await level({}, '86.00')).toBe('ok');
      expect(await level({ 'daily_limits.warning_threshold_pct': 70 }, '86.00')).toBe('warning');
      // The same grading, as the pure rule the guard calls.
      const r = riskWith({ 'daily_limits.warning_threshold_pct': 80 });
      expect(dailyLossLevel('-1500.00', r.daily_limits.max_loss, r.daily_limits.warning_threshold_pct)).toBe(
        'ok',
      );
    },
  },

  'daily_limits.emergency_stop_at_100': {
    says: 'emergency stop at 100 %; new entries stop at the limit either way',
    async run() {
      // What the monitor does with the policy: test/workflows/specs/positionMonitor.test.ts
      // ('at the loss limit with emergency_stop_at_100 off: one CRITICAL alert, no stop, no halt').
      const at100 = async (risk: Overrides) => (await guard({ risk }, bookAt('79.00'))).report;
      const on = await at100({});
      const off = await at100({ 'daily_limits.emergency_stop_at_100': false });
      expect([on.dailyLossLevel, off.dailyLossLevel]).toEqual(['limit', 'limit']);
      expect([on.lossLimit!.emergencyStop, off.lossLimit!.emergencyStop]).toEqual([true, false]);
      // Either way the risk gate refuses entries at the limit.
      for (const risk of [{}, { 'daily_limits.emergency_stop_at_100': false }]) {
        const d = decideOne({ risk }, candidate('HALT', 1), ctx({ dailyPnl: '-2000.00' }));
        expect(d.approved).toBe(false);
        expect(reasons(d)).toMatch(/daily loss limit reached/);
      }
    },
  },

  'position_limits.max_positions': {
    says: 'concurrent positions, pending entries included',
    run() {
      // Two of Catalyst's entries are pending: they count.
      const pending = ctx({
        pendingEntries: [
          {
            symbol: 'PEND1',
            sector: 'Energy',
            notional: '4000.00',
            recentCloses: closesFromReturns(walsh(5)),
          },
          {
            symbol: 'PEND2',
            sector: 'Utilities',
            notional: '4000.00',
            recentCloses: closesFromReturns(walsh(6)),
          },
        ],
      });
      const batch = [90, 80, 70].map((score, i) =>
        candidate(`POS${i + 1}`, i + 1, { compositeScore: score }),
      );
      const five = decide({}, batch, pending);
      const three = decide({ risk: { 'position_limits.max_positions': 3 } }, batch, pending);
      expect(approvedSymbols(five)).toEqual(['POS1', 'POS2', 'POS3']);
      expect(approvedSymbols(three)).toEqual(['POS1']);
      expect(reasons(three[1]!)).toMatch(
        /max concurrent positions reached: 2 open or pending \+ 1 approved of 3/,
      );
    },
  },

  'position_limits.max_position_size': {
    says: 'dollars per position',
    run() {
      const at5000 = decideOne({}, candidate('SIZE', 1));
      const at2000 = decideOne({ risk: { 'position_limits.max_position_size': 2000 } }, candidate('SIZE', 1));
      // $100.50 limit: 49 shares = $4,924.50; 19 shares = $1,909.50.
      expect([at5000.qty, at5000.notional]).toEqual([49, '4924.50']);
      expect([at2000.qty, at2000.notional]).toEqual([19, '1909.50']);
      expect(reasons(at2000)).toMatch(/limited by max position size/);
    },
  },

  'position_limits.min_position_size': {
    says: 'smaller positions are refused',
    run() {
      // The $5,000 max position size buys 49 shares at the $100.50 limit: $4,924.50.
      const at100 = decideOne({}, candidate('MIN', 1));
      const at4950 = decideOne({ risk: { 'position_limits.min_position_size': 4950 } }, candidate('MIN', 1));
      expect([at100.approved, at100.notional]).toEqual([true, '4924.50']);
      expect(at4950.approved).toBe(false);
      expect(reasons(at4950)).toMatch(
        /position \$4,924\.50 \(49 shares, limited by max position size\) is below the min position size \$4,950\.00/,
      );
    },
  },

  'position_limits.risk_per_trade_pct': {
    says: 'percent of equity lost if the stop fills; sets the share count',
    run() {
      // $2.50 a share from the $100.50 limit to the $98.00 stop. 1 % of $100,000 would buy 400 (the
      // $5,000 max size caps it at 49); 0.1 % buys 40 and 0.05 % 20.
      const pct = (p: number | undefined) =>
        decideOne(
          { risk: p === undefined ? {} : { 'position_limits.risk_per_trade_pct': p } },
          candidate('RISK', 1),
        );
      const [one, tenth, twentieth] = [pct(undefined), pct(0.1), pct(0.05)];
      expect([one.qty, one.riskAmount]).toEqual([49, '122.50']);
      expect(reasons(one)).toMatch(/limited by max position size/);
      expect([tenth.qty, tenth.riskAmount]).toEqual([40, '100.00']);
      expect([twentieth.qty, twentieth.riskAmount]).toEqual([20, '50.00']);
      expect(reasons(tenth)).toMatch(/risk \$100\.00 = 0\.1% of equity \(budget 0\.1%\).*limited by risk/);
    },
  },

  'position_limits.margin_buying_power_pct': {
    says: '0: cash only, less the account’s open buy orders, never margin; N: up to N % of the buying power',
    run() {
      // $3,000 cash of which $1,000 is promised to an open buy; $40,000 of buying power (margin).
      const account = ctx({ cash: '3000.00', pendingBuyNotional: '1000.00', buyingPower: '40000.00' });
      const cashOnly = decideOne({}, candidate('MRGN', 1), account);
      const margin = decideOne(
        { risk: { 'position_limits.margin_buying_power_pct': 50 } },
        candidate('MRGN', 1),
        account,
      );
      // $2,000 / $100.50 = 19 shares; with half of $40,000 the $5,000 max size binds first.
      expect([cashOnly.qty, margin.qty]).toEqual([19, 49]);
      expect(reasons(cashOnly)).toMatch(/limited by cash/);
      const tooPoor = ctx({ cash: '50.00', buyingPower: '40000.00' });
      expect(decideOne({}, candidate('MRGN', 1), tooPoor).approved).toBe(false);
      expect(
        decideOne({ risk: { 'position_limits.margin_buying_power_pct': 10 } }, candidate('MRGN', 1), tooPoor)
          .approved,
      ).toBe(true);
    },
  },

  'sector_limits.max_exposure_pct': {
    says: 'max percent of equity in one sector, open positions included',
    run() {
      // $38,000 of Technology held; the candidate adds $4,924.50: 42.9 %.
      const held = ctx({
        openPositions: [
          {
            symbol: 'HELD',
            sector: 'Technology',
            marketValue: '38000.00',
            recentCloses: closesFromReturns(walsh(7)),
          },
        ],
      });
      const at40 = decideOne({}, candidate('SECT', 1), held);
      const at50 = decideOne({ risk: { 'sector_limits.max_exposure_pct': 50 } }, candidate('SECT', 1), held);
      expect(at40.approved).toBe(false);
      expect(reasons(at40)).toMatch(/sector Technology 42\.9% of equity with this trade, over the 40% limit/);
      expect(at50.approved).toBe(true);
    },
  },

  'sector_limits.sectors_to_limit': {
    says: 'empty: the limit applies to every sector; or only to the sectors listed',
    run() {
      const held = ctx({
        openPositions: [
          {
            symbol: 'HELD',
            sector: 'Technology',
            marketValue: '38000.00',
            recentCloses: closesFromReturns(walsh(7)),
          },
        ],
      });
      const every = decideOne({}, candidate('SECT', 1), held);
      const others = decideOne(
        { risk: { 'sector_limits.sectors_to_limit': ['Financial Services', 'Healthcare'] } },
        candidate('SECT', 1),
        held,
      );
      const tech = decideOne(
        { risk: { 'sector_limits.sectors_to_limit': ['Technology'] } },
        candidate('SECT', 1),
        held,
      );
      expect([every.approved, others.approved, tech.approved]).toEqual([false, true, false]);
    },
  },

  'sector_limits.sector_overrides': {
    says: 'symbol → sector, over the bundled 2023 reference file',
    async run() {
      // The file says AAPL is Technology and JPM Financial Services; $38,000 of JPM is held.
      expect(sectorOf(reference, {}, 'AAPL')).toBe('Technology');
      expect(sectorOf(reference, { AAPL: 'Financial Services' }, 'AAPL')).toBe('Financial Services');
      const venue = (v: FakeVenue): void => {
        v.positions = [position('JPM', 380, '100.00', '100.00')];
        v.bars.set('AAPL/1Day', dailyBars(closesFromReturns(walsh(1))));
        v.bars.set('JPM/1Day', dailyBars(closesFromReturns(walsh(2))));
      };
      const asFiled = await riskActivity({}, venue, [scored('AAPL')], reference);
      const overridden = await riskActivity(
        { risk: { 'sector_limits.sector_overrides': { AAPL: 'Financial Services' } } },
        venue,
        [scored('AAPL')],
        reference,
      );
      expect(asFiled.decisions[0]!.approved).toBe(true);
      expect(asFiled.decisions[0]!.reasons.join(' | ')).toMatch(/sector Technology 4\.9%/);
      expect(overridden.decisions[0]!.approved).toBe(false);
      expect(overridden.decisions[0]!.reasons.join(' | ')).toMatch(
        /sector Financial Services 42\.9% .* over the 40% limit/,
      );
    },
  },

  'correlation.max_correlation': {
    says: 'refuse a candidate whose daily returns correlate above this with a holding',
    run() {
      // Returns 0.8·a + 0.6·b against a holding's a (a, b orthogonal): r = 0.8 exactly.
      const a = walsh(1);
      const b = walsh(2);
      const mixed = closesFromReturns(a.map((x, i) => 0.8 * x + 0.6 * b[i]!));
      const heldCloses = closesFromReturns(a);
      expect((datedCorrelation(mixed, heldCloses) as { r: number }).r).toBeCloseTo(0.8, 9);
      const held = ctx({
        openPositions: [
          { symbol: 'HELD', sector: 'Energy', marketValue: '1000.00', recentCloses: heldCloses },
        ],
      });
      const c = candidate('CORR', 0, { recentCloses: mixed });
      const at07 = decideOne({}, c, held);
      const at09 = decideOne({ risk: { 'correlation.max_correlation': 0.9 } }, c, held);
      expect(at07.approved).toBe(false);
      expect(reasons(at07)).toMatch(/correlation 0\.80 with HELD exceeds 0\.7/);
      expect(at09.approved).toBe(true);
      expect(reasons(at09)).toMatch(/highest correlation 0\.80 with HELD \(limit 0\.9\)/);
    },
  },

  'correlation.check_enabled': {
    says: '(no comment) whether the correlation limit is checked at all',
    run() {
      const twin = closesFromReturns(walsh(1));
      const held = ctx({
        openPositions: [{ symbol: 'HELD', sector: 'Energy', marketValue: '1000.00', recentCloses: twin }],
      });
      const on = decideOne({}, candidate('TWIN', 0, { recentCloses: twin }), held);
      const off = decideOne(
        { risk: { 'correlation.check_enabled': false } },
        candidate('TWIN', 0, { recentCloses: twin }),
        held,
      );
      expect(on.approved).toBe(false);
      expect(reasons(on)).toMatch(/correlation 1\.00 with HELD/);
      expect(off.approved).toBe(true);
      expect(reasons(off)).not.toMatch(/correlation/);
    },
  },

  'correlation.lookback_days': {
    says: 'daily closes the returns are computed from',
    async run() {
      // 40 daily closes: for 35 days CAND moved against HELD, for the last 4 exactly with it. The last
      // 20 closes (19 returns) are mostly opposite; the last 5 (4 returns) are identical.
      const dates = tradingDaysBefore(40);
      const early = Array.from({ length: 35 }, (_, i) => (i % 2 ? 0.01 : -0.01) * (1 + (i % 3) / 2));
      const late = [0.02, -0.01, 0.015, -0.02];
      const held = closesFromReturns([...early, ...late], dates);
      const cand = closesFromReturns([...early.map((r) => -r), ...late], dates);
      const r = (n: number) => (datedCorrelation(cand.slice(-n), held.slice(-n)) as { r: number }).r;
      expect(r(20)).toBeLessThan(0.7);
      expect(r(5)).toBeCloseTo(1, 9);
      const venue = (v: FakeVenue): void => {
        v.positions = [position('HELD', 10, '100.00', '100.00')];
        v.bars.set('HELD/1Day', dailyBars(held));
        v.bars.set('CAND/1Day', dailyBars(cand));
      };
      const twenty = await riskActivity({}, venue, [scored('CAND')], new Map());
      const five = await riskActivity(
        { risk: { 'correlation.lookback_days': 5 } },
        venue,
        [scored('CAND')],
        new Map(),
      );
      expect(twenty.decisions[0]!.approved).toBe(true);
      expect(five.decisions[0]!.approved).toBe(false);
      expect(five.decisions[0]!.reasons.join(' | ')).toMatch(/correlation 1\.00 with HELD exceeds 0\.7/);
    },
  },

  'correlation.missing_data': {
    says: 'when the correlation cannot be computed: reject refuses the candidate; allow lets it through with a note',
    run() {
      const unknown = ctx({ openPositions: [{ symbol: 'NEW', sector: 'Energy', marketValue: '1000.00' }] });
      const reject = decideOne({}, candidate('MISS', 1), unknown);
      const allow = decideOne(
        { risk: { 'correlation.missing_data': 'allow' } },
        candidate('MISS', 1),
        unknown,
      );
      expect(reject.approved).toBe(false);
      expect(reasons(reject)).toMatch(
        /correlation with NEW unknown \(no recent closes for NEW\); refused by correlation\.missing_data: reject/,
      );
      expect(allow.approved).toBe(true);
      expect(reasons(allow)).toMatch(/allowed by correlation\.missing_data: allow/);
    },
  },

  // What the monitor and the emergency stop do with these (the guard's report carries them as its
  // lossLimit policy, read from the config each tick): test/workflows/specs/positionMonitor.test.ts.
  'emergency_actions.close_all_positions_on_limit': {
    says: '(no comment) the loss limit’s emergency stop closes Catalyst’s positions; false cancels its entries only',
    async run() {
      expect((await lossLimitOf({})).closePositions).toBe(true);
      expect(
        (await lossLimitOf({ 'emergency_actions.close_all_positions_on_limit': false })).closePositions,
      ).toBe(false);
    },
  },

  'emergency_actions.send_email_alert': {
    says: '(no comment) the loss limit’s CRITICAL alert is emailed',
    async run() {
      expect((await lossLimitOf({})).sendAlert).toBe(true);
      expect((await lossLimitOf({ 'emergency_actions.send_email_alert': false })).sendAlert).toBe(false);
    },
  },

  'emergency_actions.halt_new_trades': {
    says: '(no comment) the loss limit’s emergency stop halts new entries for the rest of the day',
    async run() {
      expect((await lossLimitOf({})).haltNewTrades).toBe(true);
      expect((await lossLimitOf({ 'emergency_actions.halt_new_trades': false })).haltNewTrades).toBe(false);
    },
  },

  'emergency_actions.cooldown_period_minutes': {
    says: 'after an emergency stop, no entries for this long',
    async run() {
      expect((await lossLimitOf({})).cooldownMinutes).toBe(60);
      expect((await lossLimitOf({ 'emergency_actions.cooldown_period_minutes': 15 })).cooldownMinutes).toBe(
        15,
      );
      // The risk gate refuses entries while a cooldown runs (the cooldown's end comes from the database).
      const cooling = ctx({ cooldownUntilMs: at('10:00') + 15 * MIN });
      expect(decideOne({}, candidate('COOL', 1), cooling).approved).toBe(false);
      expect(decideOne({}, candidate('COOL', 1), { ...cooling, nowMs: at('10:15') }).approved).toBe(true);
    },
  },
};

// ───────────────────────────── the tests ─────────────────────────────

describe('config keys: the table covers both schemas exactly', () => {
  it(`${TRADING_CONFIG_FILE}: one test per key of TradingConfigSchema, none for a key it lacks`, () => {
    expect(Object.keys(TRADING).sort()).toEqual(leafKeys(TradingConfigSchema));
  });
  it(`${RISK_PARAMETERS_FILE}: one test per key of RiskParametersSchema, none for a key it lacks`, () => {
    expect(Object.keys(RISK).sort()).toEqual(leafKeys(RiskParametersSchema));
  });
  it('the shipped config files set every key (so each is documented where it is edited)', () => {
    const set = (file: string, schema: typeof TradingConfigSchema | typeof RiskParametersSchema) =>
      keysSetIn(schema, parseDocument(readFileSync(join(CONFIG_DIR, file), 'utf8')).toJS());
    expect(set(TRADING_CONFIG_FILE, TradingConfigSchema)).toEqual(leafKeys(TradingConfigSchema));
    expect(set(RISK_PARAMETERS_FILE, RiskParametersSchema)).toEqual(leafKeys(RiskParametersSchema));
  });
});

describe(`config keys: ${TRADING_CONFIG_FILE}`, () => {
  for (const [key, t] of Object.entries(TRADING)) it(`${TRADING_CONFIG_FILE} ${key}: ${t.says}`, t.run);
});

describe(`config keys: ${RISK_PARAMETERS_FILE}`, () => {
  for (const [key, t] of Object.entries(RISK)) it(`${RISK_PARAMETERS_FILE} ${key}: ${t.says}`, t.run);
});
