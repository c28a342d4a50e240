/**
 * History events per workflow run for one full simulated day (seed 5, 2026-11-02): the trading day
 * and each run of its position monitor (it continues as new past 2,000 events), as the server
 * counts them (the server warns at 10,240 events in one run). Two ways of running the day:
 *
 *  - driven: a one-day backtest on the embedded stack and the simulator's driven clock (the method
 *    of the older "History events per workflow run" figure; the BacktestWorkflow's run is listed too);
 *  - wall: `catalyst worker` against the simulator in its own process at ×600 on the wall clock,
 *    as a paper day on an Alpaca-compatible endpoint runs.
 *
 * Run: `npm run bench -- history-events`. Each starts its own servers on 127.0.0.1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { positionMonitorWorkflowId } from '../src/shared';
import { runBacktest } from '../src/stack/backtest';
import type { PositionMonitorResult, TradingDayResult } from '../src/workflows/messages';
import { freePort } from '../test/support/freePort';
import type { BenchOutcome, SubBench } from './index';
import { describeLoad, onMachine } from './machine';
import { PROJECT_DIR, startProcessStack } from './processStack';

const DATE = '2026-11-02';
const SEED = 5;
const WALL_SPEED = 600;
const SERVER_WARNS_AT = 10_240;

interface DayRuns {
  runs: RunEvents[];
  /** The monitor's ticks over the day (one per market minute it managed to guard). */
  monitorTicks: number;
}

interface RunEvents {
  workflowType: string;
  workflowId: string;
  runId: string;
  status: string;
  events: number;
}

/** Every run the query finds, oldest first, with its history length as the server reports it. */
async function runsOf(client: Client, query: string): Promise<RunEvents[]> {
  const found: { workflowId: string; runId: string; type: string; start: number }[] = [];
  for await (const wf of client.workflow.list({ query }))
    found.push({ workflowId: wf.workflowId, runId: wf.runId, type: wf.type, start: wf.startTime.getTime() });
  found.sort((a, b) => a.start - b.start);
  const runs: RunEvents[] = [];
  for (const f of found) {
    const d = await client.workflow.getHandle(f.workflowId, f.runId).describe();
    runs.push({
      workflowType: f.type,
      workflowId: f.workflowId,
      runId: f.runId,
      status: d.status.name,
      events: d.historyLength,
    });
  }
  return runs;
}

/** The monitor's ticks, from its last run's result. */
async function monitorTicks(client: Client, dayWorkflowId: string): Promise<number> {
  const result = (await client.workflow
    .getHandle(positionMonitorWorkflowId(dayWorkflowId))
    .result()) as PositionMonitorResult;
  return result.ticks;
}

async function drivenDay(log: (line: string) => void): Promise<DayRuns> {
  log(`history-events: one backtest day (${DATE}, seed ${SEED}) on the driven clock…`);
  const home = mkdtempSync(join(tmpdir(), 'catalyst-bench-history-'));
  let day: DayRuns = { runs: [], monitorTicks: 0 };
  try {
    const port = await freePort();
    await runBacktest({
      projectDir: PROJECT_DIR,
      homeDir: home,
      env: {},
      from: DATE,
      to: DATE,
      seed: SEED,
      temporalPort: port,
      uiPort: await freePort(),
      log: () => {},
      beforeShutdown: async (stack, workflowId) => {
        const run = workflowId.replace(/^backtest-/, '');
        const runs = await runsOf(stack.client, `CatalystAccount = '${run}' OR WorkflowId = '${workflowId}'`);
        const dayId = runs.find((r) => r.workflowType === 'TradingDayWorkflow')?.workflowId;
        day = { runs, monitorTicks: dayId ? await monitorTicks(stack.client, dayId) : 0 };
      },
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  return day;
}

async function wallDay(log: (line: string) => void): Promise<DayRuns> {
  log(
    `history-events: one day (${DATE}, seed ${SEED}) at ×${WALL_SPEED} on the wall clock, \`catalyst worker\`…`,
  );
  const stack = await startProcessStack({ seed: SEED, speed: WALL_SPEED, date: DATE, log });
  try {
    await stack.addWorker();
    await stack.toBeforeOpen(DATE);
    const handle = await stack.startDay(DATE, 'autonomous');
    (await handle.result()) as TradingDayResult;
    const monitor = positionMonitorWorkflowId(handle.workflowId);
    return {
      runs: await runsOf(stack.client, `WorkflowId = '${handle.workflowId}' OR WorkflowId = '${monitor}'`),
      monitorTicks: await monitorTicks(stack.client, handle.workflowId),
    };
  } finally {
    await stack.close();
  }
}

const summarize = ({ runs, monitorTicks }: DayRuns) => {
  const of = (type: string) => runs.filter((r) => r.workflowType === type).map((r) => r.events);
  const day = of('TradingDayWorkflow');
  const monitor = of('PositionMonitorWorkflow');
  return {
    runs: runs.length,
    largest: Math.max(...runs.map((r) => r.events)),
    tradingDay: day,
    monitorRuns: monitor,
    backtest: of('BacktestWorkflow'),
    monitorTicks,
  };
};

export async function runHistoryEventsBench(log: (line: string) => void): Promise<BenchOutcome> {
  const { result, machine } = await onMachine(async () => ({
    driven: await drivenDay(log),
    wall: await wallDay(log),
  }));
  for (const [clock, { runs }] of Object.entries(result))
    if (!runs.some((r) => r.workflowType === 'TradingDayWorkflow'))
      throw new Error(`history-events: no trading day among the ${clock} day's runs`);
  const driven = summarize(result.driven);
  const wall = summarize(result.wall);
  const json = {
    date: DATE,
    seed: SEED,
    serverWarnsAt: SERVER_WARNS_AT,
    driven: { ...driven, perRun: result.driven.runs },
    wall: { ...wall, speed: WALL_SPEED, perRun: result.wall.runs },
    machine,
  };
  const row = (label: string, s: ReturnType<typeof summarize>) =>
    `| ${label} | ${s.tradingDay.join(', ')} | ${s.monitorRuns.join(', ')} (${s.monitorRuns.length} runs) | ${s.monitorTicks} | ${s.backtest.join(', ') || '–'} | ${s.largest} |`;
  const table = [
    `### History events per workflow run, one day (${DATE}, seed ${SEED}; ${describeLoad(machine)})`,
    '',
    '| clock | trading day | position monitor, run by run | monitor ticks | backtest | largest run |',
    '| --- | --: | --- | --: | --: | --: |',
    row('driven (backtest)', driven),
    row(`wall, ×${WALL_SPEED} (\`catalyst worker\`)`, wall),
    '',
    `The server warns at ${SERVER_WARNS_AT.toLocaleString('en-US')} events in one run.`,
  ].join('\n');
  return { json, table };
}

export const historyEventsBench: SubBench = {
  name: 'history-events',
  summary: 'history events per workflow run (the day, each monitor run) for one full day',
  run: runHistoryEventsBench,
};
