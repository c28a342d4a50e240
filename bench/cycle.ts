/**
 * One cycle's funnel through Temporal on the simulator: the wall time from the scan's first
 * activity being scheduled to the composite score's completion, for every cycle of a simulated day
 * (seed 5, the driven clock, so no cycle waits for the market), and where that time goes, stage by
 * stage, from the day's workflow history. Run: `npm run bench -- cycle`. Starts its own embedded stack; traffic stays on 127.0.0.1.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { runBacktest } from '../src/stack/backtest';
import type { BenchOutcome, SubBench } from './index';

const PROJECT_DIR = resolve(import.meta.dirname, '..');
const DATE = '2026-11-02';
const SEED = 5;
const FUNNEL = [
  'listUniverse',
  'scanChunk',
  'recordScan',
  'scoreSentiment',
  'detectPatterns',
  'computeIndicators',
  'scoreCandidates',
] as const;
type Stage = (typeof FUNNEL)[number];
const EventType = proto.temporal.api.enums.v1.EventType;

export interface CycleTiming {
  totalMs: number;
  stages: Record<Stage, number>;
}

const ms = (t: proto.temporal.api.history.v1.IHistoryEvent['eventTime']): number =>
  Number(t?.seconds ?? 0) * 1000 + Math.round((t?.nanos ?? 0) / 1e6);

/** Each cycle's funnel span and each stage's span (first scheduled → last completed) from a day's history. */
export async function cycleTimings(client: Client, workflowId: string): Promise<CycleTiming[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const scheduled = new Map<number, { stage: Stage; at: number }>();
  const cycles: CycleTiming[] = [];
  let current: { start: number; spans: Map<Stage, [number, number]> } | null = null;
  for (const e of history.events ?? []) {
    if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
      const name = e.activityTaskScheduledEventAttributes?.activityType?.name as Stage;
      if (!FUNNEL.includes(name)) continue;
      if (name === 'listUniverse') current = { start: ms(e.eventTime), spans: new Map() };
      scheduled.set(Number(e.eventId), { stage: name, at: ms(e.eventTime) });
    } else if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED && current) {
      const s = scheduled.get(Number(e.activityTaskCompletedEventAttributes?.scheduledEventId));
      if (!s) continue;
      const span = current.spans.get(s.stage) ?? [s.at, 0];
      span[1] = Math.max(span[1], ms(e.eventTime));
      current.spans.set(s.stage, span);
      if (s.stage === 'scoreCandidates') {
        const stages = Object.fromEntries(
          FUNNEL.map((f) => {
            const sp = current!.spans.get(f);
            return [f, sp ? sp[1] - sp[0] : 0];
          }),
        ) as Record<Stage, number>;
        cycles.push({ totalMs: ms(e.eventTime) - current.start, stages });
        current = null;
      }
    }
  }
  return cycles;
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
};

export async function runCycleBench(log: (line: string) => void): Promise<BenchOutcome> {
  let cycles: CycleTiming[] = [];
  log(`cycle: one simulated day (${DATE}, seed ${SEED}) on the embedded stack…`);
  const summary = await runBacktest({
    projectDir: PROJECT_DIR,
    homeDir: mkdtempSync(join(tmpdir(), 'catalyst-bench-cycle-')),
    env: {},
    from: DATE,
    to: DATE,
    seed: SEED,
    log: () => {},
    beforeShutdown: async (stack, backtestId) => {
      const run = backtestId.replace(/^backtest-/, '');
      const query = `WorkflowType = 'TradingDayWorkflow' AND CatalystAccount = '${run}'`;
      for await (const wf of stack.client.workflow.list({ query }))
        cycles = cycles.concat(await cycleTimings(stack.client, wf.workflowId));
    },
  });
  if (cycles.length === 0) throw new Error('no cycle found in the day’s history');
  const totals = cycles.map((c) => c.totalMs);
  const p50 = quantile(totals, 0.5);
  const p95 = quantile(totals, 0.95);
  const stageP50 = Object.fromEntries(
    FUNNEL.map((f) => [
      f,
      quantile(
        cycles.map((c) => c.stages[f]),
        0.5,
      ),
    ]),
  ) as Record<Stage, number>;
  const json = {
    date: DATE,
    seed: SEED,
    cycles: cycles.length,
    p50Ms: p50,
    p95Ms: p95,
    maxMs: Math.max(...totals),
    stageP50Ms: stageP50,
    trades: summary.figures.trades,
    realizedPnl: summary.figures.realizedPnl,
  };
  const table = [
    `### One cycle's funnel through Temporal (${cycles.length} cycles of ${DATE}, seed ${SEED})`,
    '',
    '| p50 | p95 | max | target p50 |',
    '| --: | --: | --: | --- |',
    `| ${p50} ms | ${p95} ms | ${json.maxMs} ms | ≤ 500 ms |`,
    '',
    '| stage (first scheduled → last completed) | p50 |',
    '| --- | --: |',
    ...FUNNEL.map((f) => `| ${f} | ${stageP50[f]} ms |`),
  ].join('\n');
  return { json, table };
}

export const cycleBench: SubBench = {
  name: 'cycle',
  summary: "one cycle's funnel through Temporal on the simulator: p50/p95 wall time over a day",
  run: runCycleBench,
};
