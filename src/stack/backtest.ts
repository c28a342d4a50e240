/**
 * `catalyst backtest`: the embedded stack on the simulator's driven clock (its own PGlite, task
 * queue and ids; a dev server already running is reused), one BacktestWorkflow over the range,
 * its progress while it runs, and its figures at the end.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isIsoDate, isTradingDay, tradingDaysBetween } from '../domain/calendar';
import { backtestProgressQuery, type BacktestProgress, type BacktestResult } from '../workflows/messages';
import { BacktestWorkflow } from '../workflows/backtest';
import { startEmbeddedStack, type RunningStack } from './embeddedStack';

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Retry intervals and wall-clock bounds only: on the driven clock a market minute takes no wall time. */
const BACKTEST_SPEED = 600;
const PROGRESS_POLL_MS = 250;

export interface BacktestOptions {
  projectDir: string;
  homeDir: string;
  env: NodeJS.ProcessEnv;
  from: string;
  to: string;
  seed: number;
  /** Default <project>/config. */
  configDir?: string;
  /** The simulator's market.signalStrength (how often a headline's tone matches its move); default the simulator's. */
  signalStrength?: number;
  temporalPort?: number;
  uiPort?: number;
  /** A prebuilt workflow bundle (scripts/bundleWorkflows.ts); otherwise src/workflows is bundled at start. */
  workflowBundlePath?: string;
  log: (line: string) => void;
  onProgress?: (progress: BacktestProgress) => void;
  /** Aborted (Ctrl-C): the backtest's workflows are terminated, the stack stops, and runBacktest throws BacktestAbortedError. */
  signal?: AbortSignal;
  /** Before the stack stops: a look at what the run left (the bench counts history events here). */
  beforeShutdown?: (stack: RunningStack, workflowId: string) => Promise<void>;
}

export interface BacktestSummary extends BacktestResult {
  wallSeconds: number;
  /** Starting the embedded stack (dev server, database, simulator, worker) and stopping it. */
  startupSeconds: number;
  /** The BacktestWorkflow itself, start to result. */
  runSeconds: number;
  workflowId: string;
  uiUrl: string;
}

export class BacktestInputError extends Error {
  override name = 'BacktestInputError';
}

export class BacktestAbortedError extends Error {
  override name = 'BacktestAbortedError';
}

/** The trading days of the range, or one clear error naming what is wrong. */
export function backtestDays(from: string, to: string): string[] {
  const problems: string[] = [];
  for (const [name, v] of [
    ['--from', from],
    ['--to', to],
  ] as const)
    if (!isIsoDate(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)))
      problems.push(`${name} must be a date YYYY-MM-DD (got ${JSON.stringify(v)})`);
  if (!problems.length && to < from) problems.push(`--to ${to} is before --from ${from}`);
  if (problems.length) throw new BacktestInputError(problems.join('; '));
  const days = tradingDaysBetween(from, to).filter(isTradingDay);
  if (!days.length) throw new BacktestInputError(`no NYSE trading day between ${from} and ${to}`);
  return days;
}

export async function runBacktest(opts: BacktestOptions): Promise<BacktestSummary> {
  const days = backtestDays(opts.from, opts.to);
  if (!Number.isSafeInteger(opts.seed))
    throw new BacktestInputError(`--seed must be an integer (got ${opts.seed})`);
  const run = `bt${opts.seed >>> 0}-${randomBytes(3).toString('hex')}`;
  // A backtest never trades a broker account, whatever the environment holds.
  const env = { ...opts.env };
  for (const k of Object.keys(env)) if (k.startsWith('ALPACA_')) delete env[k];
  const pgliteDir = join(opts.homeDir, 'backtests', run, 'pgdata');
  mkdirSync(dirname(pgliteDir), { recursive: true });
  const started = performance.now();
  const stack = await startEmbeddedStack({
    projectDir: opts.projectDir,
    homeDir: opts.homeDir,
    env,
    speed: BACKTEST_SPEED,
    seed: opts.seed,
    date: days[0]!,
    live: false,
    marketClock: 'driven',
    run,
    ...(opts.workflowBundlePath !== undefined ? { workflowBundlePath: opts.workflowBundlePath } : {}),
    configDir: opts.configDir,
    signalStrength: opts.signalStrength,
    pgliteDir,
    reuseRunningServer: true,
    noSchedule: true,
    // Nothing to resume after a crash (the simulator lived in this process too): in memory, no
    // workflow step waits for the disk.
    ephemeralServer: true,
    // A backtest's market minutes take no wall time: its figures are the summary, not a scrape.
    metrics: false,
    temporalPort: opts.temporalPort,
    uiPort: opts.uiPort,
    log: opts.log,
  });
  try {
    const workflowId = `backtest-${run}`;
    const runStarted = performance.now();
    const handle = await stack.client.workflow.start(BacktestWorkflow, {
      taskQueue: stack.taskQueue,
      workflowId,
      staticSummary: `Backtest ${opts.from} → ${opts.to} (seed ${opts.seed})`,
      args: [{ from: opts.from, to: opts.to, seed: opts.seed, run, speed: BACKTEST_SPEED }],
    });
    opts.log(`backtest ${workflowId}: ${days.length} trading days (Web UI ${stack.uiUrl || 'none'})`);
    let done = false;
    const follow = (async () => {
      while (!done) {
        const p = await handle.query(backtestProgressQuery).catch(() => null);
        if (p && !done) opts.onProgress?.(p);
        await new Promise((r) => setTimeout(r, PROGRESS_POLL_MS));
      }
    })();
    // Terminating the backtest terminates its day (parent close policy); the day's monitor is only
    // cancelled with it, and nothing else polls this run's task queue, so it is ended here too.
    const stop = async (): Promise<void> => {
      const reason = 'catalyst backtest stopped';
      await handle.terminate(reason).catch(() => undefined);
      const open = stack.client.workflow.list({
        query: `TaskQueue = '${stack.taskQueue}' AND ExecutionStatus = 'Running'`,
      });
      for await (const wf of open)
        await stack.client.workflow
          .getHandle(wf.workflowId)
          .terminate(reason)
          .catch(() => undefined);
    };
    const stopTwice = async (): Promise<void> => {
      await stop();
      // A monitor continuing-as-new in that moment starts a new run: look once more.
      await new Promise((r) => setTimeout(r, 1_000));
      await stop();
    };
    let stopping: Promise<void> | null = null;
    const onAbort = (): void => void (stopping ??= stopTwice().catch(() => undefined));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) onAbort();
    const result = await handle
      .result()
      .catch((err: unknown) => {
        throw opts.signal?.aborted ? new BacktestAbortedError('the backtest was stopped') : err;
      })
      .finally(async () => {
        done = true;
        opts.signal?.removeEventListener('abort', onAbort);
        await follow; // no progress query may still be in flight when the stack stops
        await stopping;
      });
    const runSeconds = (performance.now() - runStarted) / 1000;
    await opts.beforeShutdown?.(stack, workflowId);
    await stack.shutdown();
    const wallSeconds = (performance.now() - started) / 1000;
    return {
      ...result,
      wallSeconds: round1(wallSeconds),
      startupSeconds: round1(wallSeconds - runSeconds),
      runSeconds: round1(runSeconds),
      workflowId,
      uiUrl: stack.uiUrl,
    };
  } catch (err) {
    await stack.shutdown();
    throw err;
  }
}
