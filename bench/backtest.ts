/**
 * Backtest speed on this machine: one full simulated day, a ten-day backtest, the 1-minute bars
 * of the universe a day moves through per wall second, and the history events of every workflow
 * run (the server warns at 10,240). Run: `node --import tsx bench/backtest.ts` (see RESULTS.md).
 * It starts its own embedded stack on free ports and sends traffic to 127.0.0.1 only.
 */
import { mkdtempSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sessionBoundsMs, tradingDaysBetween } from '../src/domain/calendar';
import { loadSimulatorUniverse } from '../src/sim/startSimulator';
import { runBacktest, type BacktestSummary } from '../src/stack/backtest';

const PROJECT_DIR = resolve(import.meta.dirname, '..');
const SEED = 5;

interface Measured {
  label: string;
  summary: BacktestSummary;
  /** History events of each workflow run of the backtest, largest first. */
  historyEvents: { workflowId: string; events: number }[];
}

async function measure(label: string, from: string, to: string, port: number): Promise<Measured> {
  const historyEvents: Measured['historyEvents'] = [];
  const summary = await runBacktest({
    projectDir: PROJECT_DIR,
    homeDir: mkdtempSync(join(tmpdir(), 'catalyst-bench-')),
    env: {},
    from,
    to,
    seed: SEED,
    temporalPort: port,
    uiPort: port + 1,
    log: () => {},
    beforeShutdown: async (stack, workflowId) => {
      const run = workflowId.replace(/^backtest-/, '');
      const query = `CatalystAccount = '${run}' OR WorkflowId = '${workflowId}'`;
      for await (const wf of stack.client.workflow.list({ query }))
        historyEvents.push({
          workflowId: `${wf.workflowId} ${wf.runId.slice(0, 8)}`,
          events: wf.historyLength,
        });
      historyEvents.sort((a, b) => b.events - a.events);
    },
  });
  return { label, summary, historyEvents };
}

const sessionMinutes = (dates: string[]): number =>
  dates.reduce((sum, d) => {
    const { openMs, closeMs } = sessionBoundsMs(d)!;
    return sum + (closeMs - openMs) / 60_000;
  }, 0);

const oneDay = await measure('one full simulated day (2026-11-02)', '2026-11-02', '2026-11-02', 47411);
const tenDays = await measure(
  'ten-day backtest (2026-11-02 → 2026-11-13)',
  '2026-11-02',
  '2026-11-13',
  47421,
);

const symbols = loadSimulatorUniverse().assets.filter((a) => a.tradable).length;
const bars = (m: Measured): number =>
  symbols * sessionMinutes(tradingDaysBetween(m.summary.from, m.summary.to));

const rows = [oneDay, tenDays].map((m) => ({
  what: m.label,
  days: m.summary.days.length,
  trades: m.summary.figures.trades,
  realizedPnl: m.summary.figures.realizedPnl,
  runSeconds: m.summary.runSeconds,
  startupSeconds: m.summary.startupSeconds,
  secondsPerDay: Math.round((m.summary.runSeconds / m.summary.days.length) * 10) / 10,
  barsPerSecond: Math.round(bars(m) / m.summary.runSeconds),
  maxHistoryEvents: m.historyEvents[0]?.events ?? 0,
  largestRun: m.historyEvents[0]?.workflowId ?? '-',
  workflowRuns: m.historyEvents.length,
}));
console.log(
  JSON.stringify(
    {
      machine: `${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()}`,
      node: process.version,
      symbols,
      rows,
    },
    null,
    2,
  ),
);
process.exit(0);
