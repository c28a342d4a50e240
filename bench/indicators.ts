/**
 * The indicator pass of issue 8 §10: RSI 14, EMA 9, EMA 21, MACD 12/26/9, ATR 14, Bollinger 20/2 and
 * VWAP over 4,129 symbols × 390 one-minute bars, for our kernels, technicalindicators and TA-Lib's C
 * code through the `talib` binding, measured side by side in one run.
 *
 * How it is measured:
 * - The universe is a seeded random walk (OHLCV), generated once by the parent and written to one
 *   temporary file of doubles, so every implementation reads the same bytes.
 * - Each implementation runs in its own child process (so one library's JIT state, heap and GC
 *   debt cannot slow another), one after the other, never two at once. A child converts the bars
 *   to its library's input format before any timing: Float64Array views for ours, plain number
 *   arrays for the two libraries.
 * - A timed run is the whole universe: every indicator's full series for every symbol, the last
 *   values copied out. A child runs warm-up passes first (JIT tiering: the first pass after one
 *   warm-up ran about 2× slower), then the timed passes; it collects garbage before each pass
 *   (outside the timing), so garbage a pass makes is paid inside that pass, not by the next.
 *   Reported: the median of the timed passes, and their min–max.
 * - The last values of ours are checked against technicalindicators' (the oracle): within 1e-9
 *   relative (MACD, signal and histogram relative to the price, since they cross zero), RSI within
 *   the oracle's 2-decimal rounding. A mismatch fails the bench, so it cannot time a wrong kernel.
 *   TA-Lib's agreement is reported, not enforced.
 *
 * talib is an optional dependency (a native build: allowed by package.json's allowScripts, and
 * `npm install` goes on without it where it cannot build); when it is missing, talibMs is null
 * and the reason is given. TA-Lib has no VWAP, so its pass computes VWAP with a plain loop.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ATR, BollingerBands, EMA, MACD, RSI, VWAP } from 'technicalindicators';
import {
  allocateSeries,
  atrSeries,
  bollingerSeries,
  computeSeries,
  emaCrossSeries,
  KERNEL_PERIODS,
  lastValues,
  macdSeries,
  rsiSeries,
  vwapSeries,
  type OhlcvBars,
} from '../src/domain/indicators/kernels';
import type { BenchOutcome, SubBench } from './index';
import { mulberry32 } from '../test/support/mulberry32';

export const SYMBOLS = 4129;
export const BARS = 390;
const SEED = 20_260_811;
const FIELDS = 5; // open, high, low, close, volume: the data file is [symbol][field][bar]
const P = KERNEL_PERIODS;

/** The last values compared across implementations, in this order (K per symbol). */
const COLUMNS = [
  'rsi14',
  'ema9',
  'ema21',
  'macd',
  'macdSignal',
  'macdHistogram',
  'atr14',
  'bbMiddle',
  'bbUpper',
  'bbLower',
  'vwap',
] as const;
const K = COLUMNS.length;
/** Columns that cross zero: compared relative to the price level instead of to themselves. */
const PRICE_SCALED = new Set<string>(['macd', 'macdSignal', 'macdHistogram']);

/** The indicator groups timed alone for the breakdown. */
const PARTS = ['RSI 14', 'EMA 9 + 21', 'MACD 12/26/9', 'ATR 14', 'Bollinger 20/2', 'VWAP'] as const;
type Part = (typeof PARTS)[number];

type Lib = 'ours' | 'technicalindicators' | 'talib';
const LIBS: readonly Lib[] = ['ours', 'technicalindicators', 'talib'];

/** Warm-up and timed passes per child; ours is cheap, so it gets more of both. */
const COUNTS: Record<Lib, { warmups: number; runs: number; partWarmups: number; partRuns: number }> = {
  ours: { warmups: 20, runs: 21, partWarmups: 10, partRuns: 11 },
  technicalindicators: { warmups: 2, runs: 5, partWarmups: 1, partRuns: 3 },
  talib: { warmups: 2, runs: 5, partWarmups: 1, partRuns: 3 },
};

// ---------------------------------------------------------------------------------------------
// The universe

/**
 * A random walk per symbol: start price log-uniform in $2–$500, per-minute volatility 0.05–0.25 %,
 * small opening gaps, wicks above and below the body, volume around a per-symbol level with 1 % of
 * bars (never the first) at zero volume.
 */
export function generateUniverse(symbols = SYMBOLS, bars = BARS, seed = SEED): Float64Array {
  const data = new Float64Array(symbols * FIELDS * bars);
  const rnd = mulberry32(seed);
  for (let s = 0; s < symbols; s++) {
    const base = s * FIELDS * bars;
    let prev = Math.exp(Math.log(2) + rnd() * Math.log(250));
    const vol = 0.0005 + rnd() * 0.002;
    const volumeLevel = 1_000 + rnd() * 100_000;
    for (let i = 0; i < bars; i++) {
      const open = prev * (1 + (rnd() - 0.5) * vol * 0.2);
      const close = prev * (1 + (rnd() - 0.5) * vol * 3.46); // uniform with σ ≈ vol
      data[base + i] = open;
      data[base + bars + i] = Math.max(open, close) * (1 + rnd() * vol);
      data[base + 2 * bars + i] = Math.min(open, close) * (1 - rnd() * vol);
      data[base + 3 * bars + i] = close;
      data[base + 4 * bars + i] = i > 0 && rnd() < 0.01 ? 0 : Math.floor(volumeLevel * (0.2 + rnd() * 1.6));
      prev = close;
    }
  }
  return data;
}

const field = (data: Float64Array, s: number, f: number): Float64Array =>
  data.subarray((s * FIELDS + f) * BARS, (s * FIELDS + f + 1) * BARS);

// ---------------------------------------------------------------------------------------------
// The three implementations. Each `prepare` converts the bars to its input format (not timed) and
// returns the timed passes: `full` writes K last values per symbol into `last`.

interface Passes {
  version: string;
  full(last: Float64Array): void;
  parts: Record<Part, () => void>;
  /** Further variants timed like the full pass (shown in the human table only). */
  extras?: Record<string, () => void>;
}

const requireHere = createRequire(import.meta.url);
const versionOf = (pkg: string): string =>
  (requireHere(`${pkg}/package.json`) as { version: string }).version;

function prepareOurs(data: Float64Array): Passes {
  const bars: OhlcvBars[] = Array.from({ length: SYMBOLS }, (_, s) => ({
    open: field(data, s, 0),
    high: field(data, s, 1),
    low: field(data, s, 2),
    close: field(data, s, 3),
    volume: field(data, s, 4),
    length: BARS,
  }));
  // One allocation at the session's capacity, reused for every symbol (as series.ts intends).
  const out = allocateSeries(BARS);
  const i = BARS - 1;
  const each = (f: (b: OhlcvBars) => void) => () => {
    for (let s = 0; s < SYMBOLS; s++) f(bars[s]!);
  };
  const lastRsi = new Float64Array(SYMBOLS);
  return {
    version: 'kernels',
    full(last) {
      for (let s = 0; s < SYMBOLS; s++) {
        computeSeries(bars[s]!, out);
        const j = s * K;
        last[j] = out.rsi14[i]!;
        last[j + 1] = out.ema9[i]!;
        last[j + 2] = out.ema21[i]!;
        last[j + 3] = out.macd[i]!;
        last[j + 4] = out.macdSignal[i]!;
        last[j + 5] = out.macdHistogram[i]!;
        last[j + 6] = out.atr14[i]!;
        last[j + 7] = out.bbMiddle[i]!;
        last[j + 8] = out.bbUpper[i]!;
        last[j + 9] = out.bbLower[i]!;
        last[j + 10] = out.vwap[i]!;
      }
    },
    parts: {
      'RSI 14': each((b) => rsiSeries(b, out.rsi14)),
      'EMA 9 + 21': each((b) =>
        emaCrossSeries(b, { fast: out.ema9, slow: out.ema21, state: out.emaState, cross: out.emaCross }),
      ),
      'MACD 12/26/9': each((b) =>
        macdSeries(b, { macd: out.macd, signal: out.macdSignal, histogram: out.macdHistogram }),
      ),
      'ATR 14': each((b) => atrSeries(b, out.atr14)),
      'Bollinger 20/2': each((b) =>
        bollingerSeries(b, { middle: out.bbMiddle, upper: out.bbUpper, lower: out.bbLower }),
      ),
      VWAP: each((b) => vwapSeries(b, out.vwap)),
    },
    extras: {
      'last values only (lastValues, one pass, no series written)': () => {
        for (let s = 0; s < SYMBOLS; s++) lastRsi[s] = lastValues(bars[s]!).rsi14;
      },
    },
  };
}

interface PlainBars {
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}

function preparePlain(data: Float64Array): PlainBars[] {
  return Array.from({ length: SYMBOLS }, (_, s) => ({
    high: Array.from(field(data, s, 1)),
    low: Array.from(field(data, s, 2)),
    close: Array.from(field(data, s, 3)),
    volume: Array.from(field(data, s, 4)),
  }));
}

const lastOf = <T>(xs: readonly T[]): T => xs[xs.length - 1]!;

function prepareTechnicalIndicators(data: Float64Array): Passes {
  const bars = preparePlain(data);
  const rsi = (b: PlainBars) => RSI.calculate({ period: P.rsi, values: b.close });
  const ema = (b: PlainBars, period: number) => EMA.calculate({ period, values: b.close });
  const macd = (b: PlainBars) =>
    MACD.calculate({
      values: b.close,
      fastPeriod: P.macdFast,
      slowPeriod: P.macdSlow,
      signalPeriod: P.macdSignal,
      SimpleMAOscillator: false,
      SimpleMASignal: false,
    });
  const atr = (b: PlainBars) => ATR.calculate({ period: P.atr, high: b.high, low: b.low, close: b.close });
  const bb = (b: PlainBars) =>
    BollingerBands.calculate({ period: P.bollinger, stdDev: P.bollingerStdDev, values: b.close });
  const vwap = (b: PlainBars) =>
    VWAP.calculate({ high: b.high, low: b.low, close: b.close, volume: b.volume });
  const each = (f: (b: PlainBars) => unknown) => () => {
    for (let s = 0; s < SYMBOLS; s++) f(bars[s]!);
  };
  return {
    version: versionOf('technicalindicators'),
    full(last) {
      for (let s = 0; s < SYMBOLS; s++) {
        const b = bars[s]!;
        const j = s * K;
        const m = lastOf(macd(b));
        const band = lastOf(bb(b));
        last[j] = lastOf(rsi(b));
        last[j + 1] = lastOf(ema(b, P.emaFast));
        last[j + 2] = lastOf(ema(b, P.emaSlow));
        last[j + 3] = m.MACD ?? NaN;
        last[j + 4] = m.signal ?? NaN;
        last[j + 5] = m.histogram ?? NaN;
        last[j + 6] = lastOf(atr(b));
        last[j + 7] = band.middle;
        last[j + 8] = band.upper;
        last[j + 9] = band.lower;
        last[j + 10] = lastOf(vwap(b));
      }
    },
    parts: {
      'RSI 14': each(rsi),
      'EMA 9 + 21': each((b) => [ema(b, P.emaFast), ema(b, P.emaSlow)]),
      'MACD 12/26/9': each(macd),
      'ATR 14': each(atr),
      'Bollinger 20/2': each(bb),
      VWAP: each(vwap),
    },
  };
}

interface TalibResult {
  begIndex: number;
  nbElement: number;
  result: Record<string, number[]>;
}
interface Talib {
  version: string;
  execute(params: Record<string, unknown>): TalibResult;
}

/** Cumulative VWAP of the typical price for the talib pass (TA-Lib has none); same as ours. */
function plainVwap(b: PlainBars): Float64Array {
  const out = new Float64Array(b.close.length);
  let pv = 0;
  let v = 0;
  for (let i = 0; i < out.length; i++) {
    const vol = b.volume[i]!;
    pv += vol * ((b.high[i]! + b.low[i]! + b.close[i]!) / 3);
    v += vol;
    out[i] = pv / v;
  }
  return out;
}

function prepareTalib(data: Float64Array, talib: Talib): Passes {
  const bars = preparePlain(data);
  const endIdx = BARS - 1;
  const run = (params: Record<string, unknown>) => talib.execute({ startIdx: 0, endIdx, ...params }).result;
  const rsi = (b: PlainBars) => run({ name: 'RSI', inReal: b.close, optInTimePeriod: P.rsi });
  const ema = (b: PlainBars, period: number) =>
    run({ name: 'EMA', inReal: b.close, optInTimePeriod: period });
  const macd = (b: PlainBars) =>
    run({
      name: 'MACD',
      inReal: b.close,
      optInFastPeriod: P.macdFast,
      optInSlowPeriod: P.macdSlow,
      optInSignalPeriod: P.macdSignal,
    });
  const atr = (b: PlainBars) =>
    run({ name: 'ATR', high: b.high, low: b.low, close: b.close, optInTimePeriod: P.atr });
  const bb = (b: PlainBars) =>
    run({
      name: 'BBANDS',
      inReal: b.close,
      optInTimePeriod: P.bollinger,
      optInNbDevUp: P.bollingerStdDev,
      optInNbDevDn: P.bollingerStdDev,
      optInMAType: 0, // SMA
    });
  const each = (f: (b: PlainBars) => unknown) => () => {
    for (let s = 0; s < SYMBOLS; s++) f(bars[s]!);
  };
  return {
    version: talib.version,
    full(last) {
      for (let s = 0; s < SYMBOLS; s++) {
        const b = bars[s]!;
        const j = s * K;
        const m = macd(b);
        const band = bb(b);
        const vw = plainVwap(b);
        last[j] = lastOf(rsi(b).outReal!);
        last[j + 1] = lastOf(ema(b, P.emaFast).outReal!);
        last[j + 2] = lastOf(ema(b, P.emaSlow).outReal!);
        last[j + 3] = lastOf(m.outMACD!);
        last[j + 4] = lastOf(m.outMACDSignal!);
        last[j + 5] = lastOf(m.outMACDHist!);
        last[j + 6] = lastOf(atr(b).outReal!);
        last[j + 7] = lastOf(band.outRealMiddleBand!);
        last[j + 8] = lastOf(band.outRealUpperBand!);
        last[j + 9] = lastOf(band.outRealLowerBand!);
        last[j + 10] = vw[endIdx]!;
      }
    },
    parts: {
      'RSI 14': each(rsi),
      'EMA 9 + 21': each((b) => [ema(b, P.emaFast), ema(b, P.emaSlow)]),
      'MACD 12/26/9': each(macd),
      'ATR 14': each(atr),
      'Bollinger 20/2': each(bb),
      VWAP: each(plainVwap),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The child: one implementation, measured.

interface Timing {
  warmupMs: number[];
  runsMs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
}

type WorkerReply =
  | {
      ok: true;
      version: string;
      full: Timing;
      parts: Record<string, Timing>;
      extras: Record<string, Timing>;
      last: Float64Array;
    }
  | { ok: false; reason: string };

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function time(fn: () => void, warmups: number, runs: number): Timing {
  const gc = (globalThis as { gc?: () => void }).gc;
  const once = (): number => {
    gc?.();
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };
  const warmupMs = Array.from({ length: warmups }, once);
  const runsMs = Array.from({ length: runs }, once);
  return {
    warmupMs,
    runsMs,
    medianMs: median(runsMs),
    minMs: Math.min(...runsMs),
    maxMs: Math.max(...runsMs),
  };
}

// talib 1.1.6: the newest that builds on Node 20 (2.0.5 needs Node 24; its link fails here), so no tulind.
function loadTalib(): Talib | string {
  try {
    return requireHere('talib') as Talib;
  } catch (e) {
    const first = String((e as Error).message).split('\n')[0];
    return `talib is not installed or did not build (it is an optional dependency): ${first}`;
  }
}

function worker(lib: Lib, dataPath: string): WorkerReply {
  const buf = readFileSync(dataPath);
  const data = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
  if (data.length !== SYMBOLS * FIELDS * BARS) throw new Error(`data file has ${data.length} doubles`);
  let passes: Passes;
  if (lib === 'ours') passes = prepareOurs(data);
  else if (lib === 'technicalindicators') passes = prepareTechnicalIndicators(data);
  else {
    const talib = loadTalib();
    if (typeof talib === 'string') return { ok: false, reason: talib };
    passes = prepareTalib(data, talib);
  }
  const c = COUNTS[lib];
  const last = new Float64Array(SYMBOLS * K);
  const full = time(() => passes.full(last), c.warmups, c.runs);
  const parts: Record<string, Timing> = {};
  for (const p of PARTS) parts[p] = time(passes.parts[p], c.partWarmups, c.partRuns);
  const extras: Record<string, Timing> = {};
  for (const [name, fn] of Object.entries(passes.extras ?? {})) extras[name] = time(fn, c.warmups, c.runs);
  return { ok: true, version: passes.version, full, parts, extras, last };
}

const WORKER_FLAG = '--indicator-bench-worker';
const THIS_FILE = fileURLToPath(import.meta.url);
const PROJECT_DIR = resolve(import.meta.dirname, '..');

if (process.argv[2] === WORKER_FLAG && process.send) {
  const reply = worker(process.argv[3] as Lib, process.argv[4]!);
  process.send(reply, () => process.exit(0));
}

function runChild(lib: Lib, dataPath: string): Promise<WorkerReply> {
  return new Promise((ok, fail) => {
    const child = fork(THIS_FILE, [WORKER_FLAG, lib, dataPath], {
      cwd: PROJECT_DIR,
      execArgv: ['--import', 'tsx', '--expose-gc'],
      serialization: 'advanced',
      // The child's output goes to stderr, so `--json` keeps stdout to its one line.
      stdio: ['ignore', 2, 2, 'ipc'],
    });
    let reply: WorkerReply | undefined;
    child.on('message', (m) => (reply = m as WorkerReply));
    child.on('error', fail);
    child.on('exit', (code, signal) =>
      reply ? ok(reply) : fail(new Error(`${lib} child exited (${signal ?? code}) without a result`)),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// The cross-check

interface Agreement {
  /** Largest |a − b| / max(|b|, scale) over all symbols, per column (RSI: largest |a − b|). */
  worst: Record<string, number>;
  failures: string[];
}

/**
 * Compares `a` with the oracle `b`, symbol by symbol. RSI: the oracle rounds to 2 decimals, so
 * |a − b| ≤ 0.005 (+ 1e-9 for the rounding of the rounding); others relative, `tol`.
 */
export function compareLast(a: Float64Array, b: Float64Array, data: Float64Array, tol = 1e-9): Agreement {
  const worst: Record<string, number> = Object.fromEntries(COLUMNS.map((c) => [c, 0]));
  const failures: string[] = [];
  for (let s = 0; s < SYMBOLS; s++) {
    const closes = field(data, s, 3);
    let price = 0;
    for (let i = 0; i < BARS; i++) price += Math.abs(closes[i]!);
    price /= BARS;
    for (let k = 0; k < K; k++) {
      const col = COLUMNS[k]!;
      const x = a[s * K + k]!;
      const y = b[s * K + k]!;
      if (Number.isNaN(x) || Number.isNaN(y)) {
        if (Number.isNaN(x) !== Number.isNaN(y)) failures.push(`symbol ${s} ${col}: ${x} vs oracle ${y}`);
        continue;
      }
      const diff =
        col === 'rsi14'
          ? Math.abs(x - y)
          : Math.abs(x - y) / Math.max(Math.abs(y), PRICE_SCALED.has(col) ? price : 0);
      worst[col] = Math.max(worst[col]!, diff);
      const bound = col === 'rsi14' ? 0.005 + 1e-9 : tol;
      if (!(diff <= bound) && failures.length < 10)
        failures.push(`symbol ${s} ${col}: ${x} vs oracle ${y} (${diff.toExponential(2)} > ${bound})`);
    }
  }
  return { worst, failures };
}

// ---------------------------------------------------------------------------------------------
// The sub-bench

const fmt = (ms: number): string =>
  ms >= 100 ? Math.round(ms).toLocaleString('en-US') : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
const ratio = (x: number): string => (x >= 10 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
const round1 = (ms: number): number => Math.round(ms * 10) / 10;

export async function runIndicatorBench(log: (line: string) => void): Promise<BenchOutcome> {
  const load0 = loadavg();
  log(`indicators: generating ${SYMBOLS} × ${BARS} bars (seed ${SEED})`);
  const data = generateUniverse();
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-bench-indicators-'));
  const dataPath = join(dir, 'universe.f64');
  writeFileSync(dataPath, data);
  const replies = {} as Record<Lib, WorkerReply>;
  try {
    for (const lib of LIBS) {
      log(`indicators: ${lib} (own process)…`);
      replies[lib] = await runChild(lib, dataPath);
      const r = replies[lib];
      log(`indicators: ${lib} ${r.ok ? `median ${fmt(r.full.medianMs)} ms` : `skipped: ${r.reason}`}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const load1 = loadavg();
  const ours = replies.ours;
  const ti = replies.technicalindicators;
  const talib = replies.talib;
  if (!ours.ok) throw new Error(`our kernels did not run: ${ours.reason}`);
  if (!ti.ok) throw new Error(`technicalindicators did not run: ${ti.reason}`);

  const check = compareLast(ours.last, ti.last, data);
  if (check.failures.length > 0)
    throw new Error(`ours disagrees with technicalindicators:\n  ${check.failures.join('\n  ')}`);
  const talibCheck = talib.ok ? compareLast(talib.last, ti.last, data) : undefined;

  const json: Record<string, unknown> = {
    symbols: SYMBOLS,
    bars: BARS,
    oursMs: round1(ours.full.medianMs),
    technicalindicatorsMs: round1(ti.full.medianMs),
    talibMs: talib.ok ? round1(talib.full.medianMs) : null,
  };
  if (!talib.ok) json.talibReason = talib.reason;

  const tiMs = ti.full.medianMs;
  const row = (name: string, t: Timing, counts: string): string =>
    `| ${name} | ${fmt(t.medianMs)} | ${fmt(t.minMs)}–${fmt(t.maxMs)} | ${ratio(tiMs / t.medianMs)} | ${counts} |`;
  const counts = (lib: Lib): string => `${COUNTS[lib].warmups} + ${COUNTS[lib].runs}`;
  const lines = [
    `Indicator pass: ${SYMBOLS.toLocaleString('en-US')} symbols × ${BARS} one-minute bars; RSI 14, EMA 9, EMA 21,`,
    `MACD 12/26/9, ATR 14, Bollinger 20/2, VWAP; every series in full; each implementation in its own process.`,
    `Machine: ${cpus()[0]?.model.trim() ?? 'cpu'} × ${availableParallelism()}, Node ${process.version}; load average ` +
      `(1/5/15 min) ${load0.map((x) => x.toFixed(2)).join(' ')} before, ${load1.map((x) => x.toFixed(2)).join(' ')} after.`,
    '',
    '| implementation | median ms | min–max ms | × technicalindicators | warm-up + timed passes |',
    '| --- | ---: | ---: | ---: | ---: |',
    row('ours: kernels, computeSeries per symbol (13 series)', ours.full, counts('ours')),
    ...Object.entries(ours.extras).map(([name, t]) => row(`ours: ${name}`, t, counts('ours'))),
    row(`technicalindicators ${ti.version}`, ti.full, counts('technicalindicators')),
    talib.ok
      ? row(`talib ${talib.version} (TA-Lib C; VWAP in a JS loop)`, talib.full, counts('talib'))
      : `| talib | – | – | – | not run: ${talib.reason} |`,
    '',
    `ours = ${ratio(tiMs / ours.full.medianMs)}× technicalindicators (target ≥ 50×)` +
      (talib.ok
        ? `, ${ratio(talib.full.medianMs / ours.full.medianMs)}× talib (target > 1×); ` +
          `talib = ${ratio(tiMs / talib.full.medianMs)}× technicalindicators.`
        : '.'),
    '',
    'Each indicator group alone over the universe (median ms; ' +
      `passes ${COUNTS.ours.partWarmups} + ${COUNTS.ours.partRuns} for ours, ` +
      `${COUNTS.technicalindicators.partWarmups} + ${COUNTS.technicalindicators.partRuns} for the libraries):`,
    '',
    `| indicator | ours | technicalindicators |${talib.ok ? ' talib |' : ''}`,
    `| --- | ---: | ---: |${talib.ok ? ' ---: |' : ''}`,
    ...PARTS.map(
      (p) =>
        `| ${p} | ${fmt(ours.parts[p]!.medianMs)} | ${fmt(ti.parts[p]!.medianMs)} |` +
        (talib.ok ? ` ${fmt(talib.parts[p]!.medianMs)} |` : ''),
    ),
    `| sum | ${fmt(sumParts(ours))} | ${fmt(sumParts(ti))} |${talib.ok ? ` ${fmt(sumParts(talib))} |` : ''}`,
    '',
    `Cross-check of the last values (${SYMBOLS.toLocaleString('en-US')} symbols × ${K}), largest deviation from technicalindicators`,
    '(RSI: absolute, against its 2-decimal rounding; MACD/signal/histogram: relative to the price; others relative):',
    `  ours:  ${formatWorst(check.worst)} (passed: ≤ 1e-9, RSI ≤ 0.005)`,
    talibCheck
      ? `  talib: ${formatWorst(talibCheck.worst)}${talibCheck.failures.length ? ' (outside 1e-9; not enforced)' : ''}`
      : '  talib: not run',
  ];
  return { json, table: lines.join('\n') };
}

function sumParts(r: Extract<WorkerReply, { ok: true }>): number {
  return PARTS.reduce((s, p) => s + r.parts[p]!.medianMs, 0);
}

function formatWorst(w: Record<string, number>): string {
  return COLUMNS.map((c) => `${c} ${w[c]! === 0 ? '0' : w[c]!.toExponential(1)}`).join(', ');
}

export const indicatorBench: SubBench = {
  name: 'indicators',
  summary: 'issue 8: the indicator pass over the universe, ours vs technicalindicators vs talib',
  run: runIndicatorBench,
};
