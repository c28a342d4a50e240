/**
 * The worker's memory over a whole trading day on the full universe: `catalyst worker` in a process
 * of its own (so its resident size is its own: the Temporal core, the workflow sandboxes, the
 * activities, the database pool), against the simulator in another process and a Temporal dev
 * server, one autonomous day of seed 5 from before the open to its result, on the wall clock at
 * `--speed` (default 600: the session in 39 s). VmHWM (the kernel's peak) and VmRSS every 100 ms
 * from /proc. Run: `npm run bench -- worker-memory [--speed 600]`.
 */
import { statusQuery, type TradingDayResult } from '../src/workflows/messages';
import type { BenchOutcome, SubBench } from './index';
import { describeLoad, onMachine } from './machine';
import { readMemory, sampleMemory, type MemoryReading } from './procStatus';
import { startProcessStack } from './processStack';
import { mib, round } from './stats';

const DATE = '2026-11-02';
const SEED = 5;
const TARGET_MIB = 400;

/** RSS and what it is made of: anonymous (heaps) and file-backed (code, libraries). */
const split = (m: MemoryReading) => ({
  rssMiB: mib(m.rssKiB),
  anonMiB: mib(m.anonKiB),
  fileMiB: mib(m.fileKiB),
});

async function measure(speed: number, heapMiB: number, log: (line: string) => void) {
  log(
    `worker-memory: one day (${DATE}, seed ${SEED}) at speed ×${speed}, \`catalyst worker\` in its own process…`,
  );
  const stack = await startProcessStack({
    seed: SEED,
    speed,
    date: DATE,
    log,
    ...(heapMiB > 0 ? { workerEnv: { NODE_OPTIONS: `--max-old-space-size=${heapMiB}` } } : {}),
  });
  try {
    const worker = await stack.addWorker();
    const atReady = readMemory(worker.pid);
    await stack.toBeforeOpen(DATE);
    const workerMem = sampleMemory(worker.pid, 100);
    const simMem = sampleMemory(stack.sim.pid, 250);
    const started = performance.now();
    const handle = await stack.startDay(DATE, 'autonomous');
    const result = (await handle.result()) as TradingDayResult;
    const wallSeconds = (performance.now() - started) / 1000;
    const w = workerMem.stop();
    const s = simMem.stop();
    const status = await handle.query(statusQuery);
    return {
      date: DATE,
      seed: SEED,
      speed,
      clock: 'wall (simulator ×speed)',
      workerNodeOptions: heapMiB > 0 ? `--max-old-space-size=${heapMiB}` : null,
      universe: status.lastFunnel?.universe ?? null,
      cycles: result.cycles,
      ordersSubmitted: result.ordersSubmitted,
      fills: result.fills,
      dayWallSeconds: round(wallSeconds, 1),
      worker: {
        pid: worker.pid,
        peakMiB: mib(w.hwmKiB),
        maxSampledRssMiB: mib(w.maxRssKiB),
        samples: w.samples,
        atReady: atReady && split(atReady),
        atEnd: w.last && split(w.last),
      },
      simulatorPeakMiB: mib(s.hwmKiB),
      targetMiB: TARGET_MIB,
    };
  } finally {
    await stack.close();
  }
}

export async function runWorkerMemoryBench(
  log: (line: string) => void,
  options: Readonly<Record<string, number>>,
): Promise<BenchOutcome> {
  const { result, machine } = await onMachine(() =>
    measure(options.speed ?? 600, options['heap-mib'] ?? 0, log),
  );
  const json = { ...result, machine };
  const w = result.worker;
  const at = (m: ReturnType<typeof split> | null) =>
    m ? `${m.rssMiB} MiB (${m.anonMiB} + ${m.fileMiB})` : '–';
  const table = [
    `### Worker memory over one day (${DATE}, seed ${SEED}, ×${result.speed}, ${result.universe ?? '?'} symbols; ${describeLoad(machine)})`,
    '',
    '| worker | peak (VmHWM) | max sampled VmRSS | RSS at ready (anon + file) | RSS at the end (anon + file) | cycles | orders | day wall time | target |',
    '| --- | --: | --: | --: | --: | --: | --: | --: | --- |',
    `| ${result.workerNodeOptions ?? "Node's default heap"} | ${w.peakMiB} MiB | ${w.maxSampledRssMiB} MiB | ${at(w.atReady)} | ${at(w.atEnd)} | ${result.cycles} | ${result.ordersSubmitted} | ${result.dayWallSeconds} s | ≤ ${TARGET_MIB} MB |`,
    '',
    `The simulator's process peaked at ${result.simulatorPeakMiB} MiB (not part of the worker's figure).`,
  ].join('\n');
  return { json, table };
}

export const workerMemoryBench: SubBench = {
  name: 'worker-memory',
  summary: "`catalyst worker`'s peak RSS over a full-universe day (its own process)",
  options: {
    speed: { default: 600, help: "the simulator's clock speed for the day" },
    'heap-mib': {
      default: 0,
      help: "the worker's --max-old-space-size (0: Node's default): how much of the peak is uncollected garbage",
    },
  },
  run: runWorkerMemoryBench,
};
