/**
 * Activity throughput of one worker against two: the same day (seed 5, 2026-11-02, autonomous, the
 * simulator at ×600 on the wall clock) run twice in one bench run, first with one `catalyst worker`
 * process on the venue's task queue, then with two, each run on fresh servers and a fresh database.
 *
 * At ×600 the day's schedule sets its length (a cycle every 30 market minutes is 3 s of wall time),
 * so activities per second of the whole day say little about the workers. What they change is how
 * fast a burst goes: each cycle's scan, nine scanChunk activities at once over the 4,125 symbols
 * (scheduled → last completed, from the day's history; chunks per second = 9 / that span), and the
 * cycle's funnel end to end. Both are reported with the day's totals and which worker ran what.
 *
 * Run: `npm run bench -- worker-throughput [--speed 600] [--rounds 1]`.
 */
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { positionMonitorWorkflowId } from '../src/shared';
import type { TradingDayResult } from '../src/workflows/messages';
import { cycleTimings } from './cycle';
import type { BenchOutcome, SubBench } from './index';
import { describeLoad, onMachine } from './machine';
import { startProcessStack } from './processStack';
import { quantile, round } from './stats';

const DATE = '2026-11-02';
const SEED = 5;
const EventType = proto.temporal.api.enums.v1.EventType;

interface ActivityCounts {
  completed: number;
  /** Activity starts by worker identity (pid@host): every activity, and the scan chunks alone. */
  byWorker: Record<string, number>;
  scanChunksByWorker: Record<string, number>;
  scanChunksPerCycle: number;
}

/** Activities completed in the day's history and its monitor's runs, and who started them. */
async function activityCounts(client: Client, dayId: string): Promise<ActivityCounts> {
  const ids = [dayId, positionMonitorWorkflowId(dayId)];
  const runs: { workflowId: string; runId: string }[] = [];
  for await (const wf of client.workflow.list({
    query: ids.map((id) => `WorkflowId = '${id}'`).join(' OR '),
  }))
    runs.push({ workflowId: wf.workflowId, runId: wf.runId });
  const out: ActivityCounts = { completed: 0, byWorker: {}, scanChunksByWorker: {}, scanChunksPerCycle: 0 };
  let chunks = 0;
  let cycles = 0;
  for (const run of runs) {
    const { events } = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
    const types = new Map<string, string>();
    for (const e of events ?? []) {
      const scheduled = e.activityTaskScheduledEventAttributes;
      if (scheduled) {
        const type = scheduled.activityType?.name ?? '?';
        types.set(String(e.eventId), type);
        if (type === 'scanChunk') chunks += 1;
        if (type === 'listUniverse') cycles += 1;
      }
      const started = e.activityTaskStartedEventAttributes;
      if (started) {
        const who = started.identity ?? '?';
        out.byWorker[who] = (out.byWorker[who] ?? 0) + 1;
        if (types.get(String(started.scheduledEventId)) === 'scanChunk')
          out.scanChunksByWorker[who] = (out.scanChunksByWorker[who] ?? 0) + 1;
      }
      if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) out.completed += 1;
    }
  }
  out.scanChunksPerCycle = cycles ? round(chunks / cycles, 1) : 0;
  return out;
}

async function runDay(workers: number, speed: number, log: (line: string) => void) {
  log(`worker-throughput: the day (${DATE}, seed ${SEED}, ×${speed}) with ${workers} worker process(es)…`);
  const stack = await startProcessStack({ seed: SEED, speed, date: DATE, log });
  try {
    for (let i = 0; i < workers; i++) await stack.addWorker();
    await stack.toBeforeOpen(DATE);
    const started = performance.now();
    const handle = await stack.startDay(DATE, 'autonomous');
    const result = (await handle.result()) as TradingDayResult;
    const dayWallSeconds = (performance.now() - started) / 1000;
    const cycles = await cycleTimings(stack.client, handle.workflowId);
    const counts = await activityCounts(stack.client, handle.workflowId);
    const scanMs = cycles.map((c) => c.stages.scanChunk);
    const chunksPerSecond = scanMs.map((ms) => (counts.scanChunksPerCycle * 1000) / Math.max(1, ms));
    return {
      workers,
      cycles: cycles.length,
      ordersSubmitted: result.ordersSubmitted,
      dayWallSeconds: round(dayWallSeconds, 1),
      activitiesCompleted: counts.completed,
      activitiesPerDaySecond: round(counts.completed / dayWallSeconds, 1),
      scanChunksPerCycle: counts.scanChunksPerCycle,
      scanStageMs: { p50: quantile(scanMs, 0.5), max: Math.max(...scanMs), all: scanMs },
      scanChunksPerSecondP50: round(quantile(chunksPerSecond, 0.5), 1),
      funnelMs: {
        p50: quantile(
          cycles.map((c) => c.totalMs),
          0.5,
        ),
        max: Math.max(...cycles.map((c) => c.totalMs)),
      },
      activitiesByWorker: counts.byWorker,
      scanChunksByWorker: counts.scanChunksByWorker,
    };
  } finally {
    await stack.close();
  }
}

type DayRun = Awaited<ReturnType<typeof runDay>>;

export async function runWorkerThroughputBench(
  log: (line: string) => void,
  options: Readonly<Record<string, number>>,
): Promise<BenchOutcome> {
  const speed = options.speed ?? 600;
  const rounds = Math.max(1, Math.round(options.rounds ?? 1));
  // Rounds alternate the order (1 then 2, 2 then 1, …) so a drifting machine load favours neither.
  const { result: runs, machine } = await onMachine(async () => {
    const out: DayRun[] = [];
    for (let r = 0; r < rounds; r++)
      for (const workers of r % 2 === 0 ? [1, 2] : [2, 1]) out.push(await runDay(workers, speed, log));
    return out;
  });
  /** Scan chunks per second (each day's p50), averaged over the rounds. */
  const rate = (workers: number): number => {
    const xs = runs.filter((r) => r.workers === workers).map((r) => r.scanChunksPerSecondP50);
    return round(xs.reduce((a, b) => a + b, 0) / xs.length, 1);
  };
  const ratio = round(rate(2) / rate(1), 2);
  const json = {
    date: DATE,
    seed: SEED,
    speed,
    rounds,
    runs,
    scanChunksPerSecond: { oneWorker: rate(1), twoWorkers: rate(2) },
    scanRateRatio: ratio,
    machine,
  };
  const split = (r: Record<string, number>) => Object.values(r).join(' / ');
  const row = (r: DayRun) =>
    `| ${r.workers} | ${r.scanStageMs.p50} ms | ${r.scanChunksPerSecondP50} | ${r.funnelMs.p50} ms | ${r.activitiesCompleted} in ${r.dayWallSeconds} s (${r.activitiesPerDaySecond}/s) | ${split(r.scanChunksByWorker)} | ${split(r.activitiesByWorker)} |`;
  const table = [
    `### One worker against two (${DATE}, seed ${SEED}, ×${speed}, ${runs[0]!.cycles} cycles a day, ${rounds} round(s); ${describeLoad(machine)})`,
    '',
    '| workers | scan stage p50 | scan chunks/s p50 | funnel p50 | activities in the day | scan chunks per worker | activities per worker |',
    '| --: | --: | --: | --: | --: | --- | --- |',
    ...runs.map(row),
    '',
    `Two workers scan at ${ratio}× the rate of one (${runs[0]!.scanChunksPerCycle} chunks per cycle; each day's p50, averaged over the rounds).`,
  ].join('\n');
  return { json, table };
}

export const workerThroughputBench: SubBench = {
  name: 'worker-throughput',
  summary: 'activity throughput of one worker process against two on the same day',
  options: {
    speed: { default: 600, help: "the simulator's clock speed for the day" },
    rounds: { default: 1, help: 'pairs of days (one worker, two workers), the order alternating' },
  },
  run: runWorkerThroughputBench,
};
