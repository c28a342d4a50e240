/**
 * Does the signal carry information? (issue 8 §8) Each funnel factor's information coefficient
 * (per cycle, the Spearman correlation of the factor with the 30-minute forward return over the
 * cycle's candidates; then mean and t across cycles) with the simulator's headlines carrying no
 * information (signalStrength 0) and carrying a lot of it (0.8). Optionally (`--pnl`) the
 * strategy's realized P&L per day over the same days at each strength, from full backtests.
 *
 *   node --import tsx bench/evaluate.ts [--days N] [--seed S] [--from YYYY-MM-DD]
 *                                       [--cycles-per-day C] [--pnl] [--json]
 *   npm run bench -- evaluate           (the IC part with the defaults)
 *
 * The IC part runs the simulator in-process with the funnel's activities called directly (see
 * src/stack/evaluateSignals.ts): 1.5–3 s per cycle (ten a day) on 2 cores, so the default five
 * days take about 1.5 minutes per strength, 3 in all. `--pnl` adds two backtests (the embedded
 * stack with its own Temporal dev server, 20–40 s per simulated day each): opt-in, since it more
 * than doubles the run time (8 minutes for the defaults on a busy machine) and needs the
 * Temporal CLI.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isIsoDate, isTradingDay, nextTradingDay } from '../src/domain/calendar';
import type { IcSummary } from '../src/domain/backtest/informationCoefficient';
import {
  FACTORS,
  evaluateSignals,
  type EvaluateSignalsResult,
  type Factor,
} from '../src/stack/evaluateSignals';
import { runBacktest } from '../src/stack/backtest';
import type { BenchOutcome, SubBench } from './index';

const PROJECT_DIR = resolve(import.meta.dirname, '..');
export const STRENGTHS = [0, 0.8] as const;
const DEFAULTS = { days: 5, seed: 5, from: '2026-11-02' };

export interface EvaluateBenchOptions {
  /** Trading days from `from` on (default 5). */
  days?: number;
  seed?: number;
  /** First day (default 2026-11-02, or the next trading day after it). */
  from?: string;
  /** At most this many cycles per day (default every cycle of the schedule). */
  cyclesPerDay?: number;
  /** Also the strategy's realized P&L per day at each strength (two backtests). */
  pnl?: boolean;
  log?: (line: string) => void;
}

export interface StrengthPnl {
  signalStrength: number;
  trades: number;
  realizedPnl: string;
  /** Per trading day, as the backtest recorded it. */
  perDay: { tradingDate: string; realizedPnl: string; fills: number }[];
  meanPerDay: number;
}

export interface EvaluateBenchResult {
  seed: number;
  from: string;
  to: string;
  days: number;
  cyclesPerDay: number | null;
  strengths: {
    signalStrength: number;
    cycles: number;
    candidatesPerCycle: number;
    withNewsPerCycle: number;
    wallSeconds: number;
    factors: Record<Factor, IcSummary>;
  }[];
  pnl: StrengthPnl[] | null;
}

/** The `days` trading days from `from` on: [first, last]. */
export function tradingRange(from: string, days: number): { from: string; to: string } {
  if (!isIsoDate(from)) throw new Error(`--from must be a date YYYY-MM-DD (got ${JSON.stringify(from)})`);
  if (!(Number.isInteger(days) && days >= 1))
    throw new Error(`--days must be a positive integer (got ${days})`);
  let first = from;
  if (!isTradingDay(first)) first = nextTradingDay(first);
  let last = first;
  for (let i = 1; i < days; i++) last = nextTradingDay(last);
  return { from: first, to: last };
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
    srv.on('error', fail);
  });
}

const fmt = (x: number | null, digits: number): string => (x === null ? '—' : x.toFixed(digits));

export function formatTable(r: EvaluateBenchResult): string {
  const [zero, strong] = r.strengths;
  const head = r.strengths.map((s) => `IC @ ${s.signalStrength} | t @ ${s.signalStrength}`).join(' | ');
  const lines = [
    `Seed ${r.seed}, ${r.from} → ${r.to} (${r.days} trading days), ` +
      `${r.strengths.map((s) => `${s.cycles} cycles at ${s.signalStrength}`).join(', ')}; ` +
      `${Math.round(zero?.candidatesPerCycle ?? 0)} candidates per cycle, ` +
      `${(strong?.withNewsPerCycle ?? 0).toFixed(1)} of them with headlines.`,
    '',
    `| factor | ${head} |`,
    `| --- | ${r.strengths.map(() => '---: | ---:').join(' | ')} |`,
    ...FACTORS.map(
      (f) =>
        `| ${f} | ${r.strengths.map((s) => `${fmt(s.factors[f].meanIc, 4)} | ${fmt(s.factors[f].t, 2)}`).join(' | ')} |`,
    ),
  ];
  if (r.pnl) {
    lines.push(
      '',
      '| signal strength | trades | realized P&L | mean per day | per day |',
      '| ---: | ---: | ---: | ---: | --- |',
    );
    for (const p of r.pnl)
      lines.push(
        `| ${p.signalStrength} | ${p.trades} | ${p.realizedPnl} | ${p.meanPerDay.toFixed(2)} | ${p.perDay.map((d) => d.realizedPnl).join(', ')} |`,
      );
  }
  return lines.join('\n');
}

export async function runEvaluateBench(
  opts: EvaluateBenchOptions = {},
): Promise<BenchOutcome & { result: EvaluateBenchResult }> {
  const log = opts.log ?? ((line: string) => console.error(line));
  const seed = opts.seed ?? DEFAULTS.seed;
  const range = tradingRange(opts.from ?? DEFAULTS.from, opts.days ?? DEFAULTS.days);
  const days = opts.days ?? DEFAULTS.days;
  const strengths: EvaluateBenchResult['strengths'] = [];
  for (const signalStrength of STRENGTHS) {
    const started = performance.now();
    const r: EvaluateSignalsResult = await evaluateSignals({
      seed,
      ...range,
      signalStrength,
      ...(opts.cyclesPerDay ? { cyclesPerDay: opts.cyclesPerDay } : {}),
      onProgress: (p) => {
        if (p.cyclesDone % 5 === 0 || p.cyclesDone === p.cyclesTotal)
          log(`evaluate @${signalStrength}: ${p.tradingDate} cycle ${p.cyclesDone}/${p.cyclesTotal}`);
      },
    });
    strengths.push({
      signalStrength,
      cycles: r.cycles,
      candidatesPerCycle: r.candidatesPerCycle,
      withNewsPerCycle: r.withNewsPerCycle,
      wallSeconds: Math.round((performance.now() - started) / 100) / 10,
      factors: r.factors,
    });
  }

  let pnl: StrengthPnl[] | null = null;
  if (opts.pnl) {
    pnl = [];
    for (const signalStrength of STRENGTHS) {
      const port = await freePort();
      log(`backtest @${signalStrength}: ${range.from} → ${range.to}`);
      const bt = await runBacktest({
        projectDir: PROJECT_DIR,
        homeDir: mkdtempSync(join(tmpdir(), 'catalyst-evaluate-')),
        env: {},
        ...range,
        seed,
        signalStrength,
        temporalPort: port,
        uiPort: await freePort(),
        log: () => {},
      });
      const perDay = bt.days.map((d) => ({
        tradingDate: d.tradingDate,
        realizedPnl: d.realizedPnl,
        fills: d.fills,
      }));
      pnl.push({
        signalStrength,
        trades: bt.figures.trades,
        realizedPnl: bt.figures.realizedPnl,
        perDay,
        meanPerDay: perDay.length ? perDay.reduce((s, d) => s + Number(d.realizedPnl), 0) / perDay.length : 0,
      });
    }
  }

  const result: EvaluateBenchResult = {
    seed,
    ...range,
    days,
    cyclesPerDay: opts.cyclesPerDay ?? null,
    strengths,
    pnl,
  };
  return { json: result as unknown as Record<string, unknown>, table: formatTable(result), result };
}

export const evaluateBench: SubBench = {
  name: 'evaluate',
  summary: 'issue 8: does the signal carry information? factor ICs at signal strength 0 and 0.8',
  run: (log) => runEvaluateBench({ log }),
};

function parseArgs(argv: readonly string[]): EvaluateBenchOptions & { json: boolean } {
  const out: EvaluateBenchOptions & { json: boolean } = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const int = (): number => {
      const v = value();
      const n = Number(v);
      if (!Number.isSafeInteger(n)) throw new Error(`${a} must be an integer (got ${v})`);
      return n;
    };
    if (a === '--json') out.json = true;
    else if (a === '--pnl') out.pnl = true;
    else if (a === '--days') out.days = int();
    else if (a === '--seed') out.seed = int();
    else if (a === '--cycles-per-day') out.cyclesPerDay = int();
    else if (a === '--from') out.from = value();
    else throw new Error(`unknown argument ${a}`);
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(
      `${(err as Error).message}\nusage: node --import tsx bench/evaluate.ts [--days N] [--seed S] [--from YYYY-MM-DD] [--cycles-per-day C] [--pnl] [--json]`,
    );
    process.exit(2);
  }
  const { json, ...opts } = args;
  const outcome = await runEvaluateBench({ ...opts, log: (line) => console.error(line) });
  // With --json, stdout carries the JSON line only and the table goes to stderr.
  if (json) {
    console.error(outcome.table);
    console.log(JSON.stringify(outcome.json));
  } else console.log(outcome.table);
  // The IC part leaves nothing running and the process ends by itself. After backtests the
  // bench exits explicitly, as bench/backtest.ts does (the Temporal runtime stays installed).
  if (opts.pnl) process.exit(0);
}
