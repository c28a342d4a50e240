/**
 * `catalyst backtest`: a date range of simulated trading days on the driven clock (runBacktest),
 * with a progress bar on a terminal and the figures at the end; `--compare` runs the same range
 * and seed with two config directories, one after the other, and prints them side by side.
 * Everything is checked before anything starts; Ctrl-C terminates the backtest's workflow so
 * runBacktest shuts its stack down, and exits 130.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BacktestInputError, backtestDays, runBacktest, type BacktestSummary } from '../stack/backtest';
import { temporalTargetFromEnv } from '../stack/temporalConnection';
import { SettingsError, loadRiskParameters, loadTradingConfig } from '../settings/loadSettings';
import { RISK_PARAMETERS_FILE } from '../settings/riskParameters';
import { TRADING_CONFIG_FILE } from '../settings/tradingConfig';
import type { BacktestDay, BacktestProgress } from '../workflows/messages';
import { UsageError, checkWorkflowBundle } from './cliErrors';
import { colour, createOutput, table, type Output } from './output';
import { projectDir } from './projectDir';

export interface BacktestCommandOptions {
  from: string;
  to: string;
  seed: number;
  /** One config directory (default <project>/config). */
  configDir?: string;
  /** Two config directories to run side by side. */
  compare?: string[];
  json: boolean;
  port?: number;
  uiPort?: number;
  /** A prebuilt workflow bundle instead of bundling src/workflows at start. */
  workflowBundle?: string;
}

/** What `--json` prints for one run. */
export interface BacktestJson {
  days: number;
  trades: number;
  realizedPnl: string;
  winRate: number;
  maxDrawdown: string;
  profitFactor: number | null;
  wallSeconds: number;
  seed: number;
  from: string;
  to: string;
  failedDays: number;
}

interface PlannedRun {
  /** "A" / "B" under --compare, else null. */
  label: string | null;
  /** As given on the command line (for people); configDir is it resolved. */
  shown: string;
  configDir: string;
}

/** Stopped by a signal: exit code 128 + signal number. */
class Interrupted extends Error {
  override name = 'Interrupted';
}

export async function backtestCommand(opts: BacktestCommandOptions): Promise<void> {
  // Everything is checked before anything starts.
  const bundle = checkWorkflowBundle(opts.workflowBundle);
  if (opts.configDir !== undefined && opts.compare !== undefined)
    throw new UsageError(
      '--config-dir and --compare cannot be used together: --compare names both config directories',
    );
  if (opts.compare !== undefined && opts.compare.length !== 2)
    throw new UsageError(
      `--compare takes exactly two config directories, DIR_A DIR_B (got ${opts.compare.length}: ${opts.compare.map((d) => JSON.stringify(d)).join(' ')})`,
    );
  let dates: string[];
  try {
    dates = backtestDays(opts.from, opts.to);
  } catch (err) {
    if (err instanceof BacktestInputError) throw new UsageError(err.message);
    throw err;
  }
  const runs: PlannedRun[] = opts.compare
    ? opts.compare.map((dir, i) => ({
        label: i === 0 ? 'A' : 'B',
        shown: dir,
        configDir: checkConfigDir(`--compare ${i === 0 ? 'DIR_A' : 'DIR_B'}`, dir),
      }))
    : [
        opts.configDir !== undefined
          ? { label: null, shown: opts.configDir, configDir: checkConfigDir('--config-dir', opts.configDir) }
          : {
              label: null,
              shown: 'config/',
              configDir: checkConfigDir('the default config directory', join(projectDir(), 'config')),
            },
      ];

  const out = createOutput(opts.json);
  const progress = createProgressDisplay(out, Boolean(process.stderr.isTTY) && !opts.json, dates);
  const stop = interruptOnSignals(progress.log);
  const results: { run: PlannedRun; summary: BacktestSummary }[] = [];
  try {
    for (const run of runs) {
      if (stop.signal) break;
      if (run.label) progress.log(`backtest ${run.label}: config ${run.shown}`);
      progress.start(run.label);
      const summary = await runBacktest({
        projectDir: projectDir(),
        homeDir: process.env.CATALYST_HOME ?? resolve(projectDir(), '.catalyst'),
        env: process.env,
        from: opts.from,
        to: opts.to,
        seed: opts.seed,
        configDir: run.configDir,
        temporalPort: opts.port,
        uiPort: opts.uiPort,
        ...(bundle !== undefined ? { workflowBundlePath: bundle } : {}),
        signal: stop.abort,
        log: (line) => progress.log(line),
        onProgress: (p) => progress.update(p),
      }).catch((err: unknown) => {
        throw stop.signal ? new Interrupted(stop.signal) : err;
      });
      progress.update(summary); // the last day ends after the last poll
      progress.finish();
      if (stop.signal) break;
      results.push({ run, summary });
    }
  } catch (err) {
    progress.finish();
    if (!(err instanceof Interrupted)) throw err;
  } finally {
    stop.dispose();
  }
  if (stop.signal) {
    // The stack is down; only the broker client's idle request deadlines could keep the process up.
    process.stderr.write('backtest stopped\n', () => process.exit(stop.signal === 'SIGTERM' ? 143 : 130));
    return;
  }

  if (!opts.compare) {
    const [{ summary }] = results as [(typeof results)[0]];
    out.result(toJson(summary, opts), () => printSummary(out, summary, runs[0]!, opts));
  } else {
    const [a, b] = results as [(typeof results)[0], (typeof results)[0]];
    out.result(
      {
        a: { ...toJson(a.summary, opts), configDir: a.run.configDir },
        b: { ...toJson(b.summary, opts), configDir: b.run.configDir },
      },
      () => printComparison(out, a, b, opts),
    );
  }
}

/** The directory, resolved, once it holds both config files that parse; else one clear error. */
function checkConfigDir(what: string, dir: string): string {
  const path = resolve(dir);
  if (!existsSync(path)) throw new UsageError(`${what}: ${dir} does not exist`);
  if (!statSync(path).isDirectory()) throw new UsageError(`${what}: ${dir} is not a directory`);
  const missing = [TRADING_CONFIG_FILE, RISK_PARAMETERS_FILE].filter((f) => !existsSync(join(path, f)));
  if (missing.length)
    throw new UsageError(
      `${what}: ${dir} has no ${missing.join(' and no ')} (a config directory holds ${TRADING_CONFIG_FILE} and ${RISK_PARAMETERS_FILE}, like config/)`,
    );
  const problems: string[] = [];
  for (const load of [loadTradingConfig, loadRiskParameters]) {
    try {
      load(path);
    } catch (err) {
      if (!(err instanceof SettingsError)) throw err;
      problems.push(...err.issues);
    }
  }
  if (problems.length) throw new UsageError(`${what} ${dir}: ${problems.join(`\n${what} ${dir}: `)}`);
  return path;
}

export function toJson(s: BacktestSummary, opts: { from: string; to: string; seed: number }): BacktestJson {
  return {
    days: s.days.length,
    trades: s.figures.trades,
    realizedPnl: s.figures.realizedPnl,
    winRate: s.figures.winRate,
    maxDrawdown: s.figures.maxDrawdown,
    profitFactor: s.figures.profitFactor,
    wallSeconds: s.wallSeconds,
    seed: opts.seed,
    from: opts.from,
    to: opts.to,
    failedDays: s.days.filter((d) => d.status === 'failed').length,
  };
}

// ---------------------------------------------------------------------------------------------
// Ctrl-C

interface Stopper {
  /** The signal that stopped the run, once one came. */
  readonly signal: NodeJS.Signals | null;
  /** Aborted by the first SIGINT/SIGTERM: runBacktest terminates its workflows and stops its stack. */
  readonly abort: AbortSignal;
  dispose(): void;
}

/** The wall seconds the stack gets to stop after a signal before the process exits anyway. */
const STOP_GRACE_MS = 30_000;

/** The first SIGINT/SIGTERM stops the run cleanly; a second, or a stack that does not stop in time, exits at once. */
function interruptOnSignals(log: (line: string) => void): Stopper {
  let signal: NodeJS.Signals | null = null;
  const controller = new AbortController();
  let graceTimer: NodeJS.Timeout | undefined;
  const exitCode = (): number => (signal === 'SIGTERM' ? 143 : 130);
  const onSignal = (s: NodeJS.Signals): void => {
    if (signal) {
      process.stderr.write('\nstopping without waiting\n');
      process.exit(exitCode());
    }
    signal = s;
    log(colour.yellow('stopping the backtest… (again to exit at once)'));
    graceTimer = setTimeout(() => {
      process.stderr.write(`the backtest did not stop within ${STOP_GRACE_MS / 1000} s; exiting\n`);
      process.exit(exitCode());
    }, STOP_GRACE_MS);
    graceTimer.unref();
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    get signal() {
      return signal;
    },
    abort: controller.signal,
    dispose() {
      clearTimeout(graceTimer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Progress

interface ProgressDisplay {
  /** A diagnostic line (stderr), printed above the bar. */
  log(line: string): void;
  start(label: string | null): void;
  update(p: BacktestProgress): void;
  /** Clears the bar. */
  finish(): void;
}

const BAR_WIDTH = 24;

/**
 * On a terminal: one line on stderr redrawn in place. Otherwise: one plain line per finished day
 * (stdout, or stderr under --json).
 */
function createProgressDisplay(out: Output, tty: boolean, dates: readonly string[]): ProgressDisplay {
  let bar = '';
  let label: string | null = null;
  let reportedDays = 0;
  let started = performance.now();
  const clear = (): void => {
    if (bar) process.stderr.write('\r\x1b[K');
  };
  const draw = (): void => {
    if (bar) process.stderr.write(bar);
  };
  return {
    log(line) {
      clear();
      out.log(line);
      draw();
    },
    start(l) {
      label = l;
      started = performance.now();
      reportedDays = 0;
    },
    update(p) {
      const prefix = label ? `${label} ` : '';
      if (tty) {
        const total = p.daysTotal || dates.length;
        const filled = total ? Math.round((p.daysDone / total) * BAR_WIDTH) : 0;
        const line =
          `${prefix}[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${p.daysDone}/${total} days` +
          ` · ${p.currentDate ?? (p.daysDone === total ? 'done' : '…')}` +
          ` · ${p.figures.trades} trades · P&L ${p.figures.realizedPnl}` +
          ` · ${Math.round((performance.now() - started) / 1000)} s`;
        const width = Math.max(20, (process.stderr.columns || 100) - 1);
        const next = line.length > width ? line.slice(0, width) : line;
        if (next === bar) return;
        clear();
        bar = next;
        draw();
        return;
      }
      for (; reportedDays < p.daysDone; reportedDays++) {
        const date = dates[reportedDays] ?? `day ${reportedDays + 1}`;
        out.info(
          `${prefix}${date} done (${reportedDays + 1}/${p.daysTotal || dates.length}) · ${p.figures.trades} trades so far · realized P&L ${p.figures.realizedPnl}`,
        );
      }
    },
    finish() {
      clear();
      bar = '';
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Human output

const percent = (rate: number): string => `${(rate * 100).toFixed(1)} %`;
const factor = (f: number | null, trades: number): string =>
  f !== null ? f.toFixed(2) : trades ? 'n/a (no losing trade)' : 'n/a (no trades)';

function dayNote(d: BacktestDay): string {
  if (d.status === 'failed') return `FAILED${d.error ? `: ${d.error}` : ''}`;
  const notes = [d.status === 'market_closed' ? 'market closed' : '', d.halted ? 'halted' : ''];
  return notes.filter(Boolean).join(', ');
}

function figureRows(s: BacktestSummary): [string, string][] {
  const f = s.figures;
  const failed = s.days.filter((d) => d.status === 'failed').length;
  return [
    ['days', `${s.days.length}${failed ? ` (${failed} failed)` : ''}`],
    ['trades', String(f.trades)],
    ['wins / losses', `${f.wins} / ${f.losses}`],
    ['win rate', percent(f.winRate)],
    ['realized P&L', f.realizedPnl],
    ['max drawdown', f.maxDrawdown],
    ['profit factor', factor(f.profitFactor, f.trades)],
    ['wall seconds', String(s.wallSeconds)],
  ];
}

function printSummary(out: Output, s: BacktestSummary, run: PlannedRun, opts: BacktestCommandOptions): void {
  out.info(colour.bold(`backtest ${opts.from} → ${opts.to} · seed ${opts.seed} · config ${run.shown}`));
  out.info(table([...figureRows(s), ['seed', String(opts.seed)]]));
  out.info('');
  out.info(
    table([
      ['date', 'cycles', 'orders', 'fills', 'P&L', 'halted/failed'],
      ...s.days.map((d) => [d.tradingDate, d.cycles, d.ordersSubmitted, d.fills, d.realizedPnl, dayNote(d)]),
    ]),
  );
  const namespace = temporalTargetFromEnv(process.env).namespace;
  out.info(
    colour.dim(
      `details: ${s.uiUrl ? `${s.uiUrl}/namespaces/${namespace}/workflows/${s.workflowId}` : s.workflowId}`,
    ),
  );
}

function printComparison(
  out: Output,
  a: { run: PlannedRun; summary: BacktestSummary },
  b: { run: PlannedRun; summary: BacktestSummary },
  opts: BacktestCommandOptions,
): void {
  out.info(colour.bold(`backtest ${opts.from} → ${opts.to} · seed ${opts.seed}`));
  const ra = figureRows(a.summary);
  const rb = figureRows(b.summary);
  out.info(
    table([
      ['', 'A', 'B'],
      ['config', a.run.shown, b.run.shown],
      ...ra.map(([name, va], i) => [name, va, rb[i]![1]]),
    ]),
  );
  out.info('');
  const byDate = new Map(b.summary.days.map((d) => [d.tradingDate, d]));
  out.info(
    table([
      ['date', 'A orders', 'A P&L', 'B orders', 'B P&L', 'halted/failed'],
      ...a.summary.days.map((d) => {
        const other = byDate.get(d.tradingDate);
        const notes = [dayNote(d) && `A ${dayNote(d)}`, other && dayNote(other) && `B ${dayNote(other)}`];
        return [
          d.tradingDate,
          d.ordersSubmitted,
          d.realizedPnl,
          other?.ordersSubmitted ?? '',
          other ? other.realizedPnl : '',
          notes.filter(Boolean).join('; '),
        ];
      }),
    ]),
  );
}
