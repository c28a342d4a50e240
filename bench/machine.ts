/**
 * What a figure was measured on: the CPU, the Node version, and the load average before and
 * after the run (the benches that start processes share the machine with whatever else runs).
 */
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { round } from './stats';

export interface MachineNote {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  date: string;
  /** 1-, 5- and 15-minute load averages when the run began and when it ended. */
  loadBefore: number[];
  loadAfter: number[];
}

const load = (): number[] => loadavg().map((x) => round(x, 2));

/** Runs `work`, noting the machine and its load on either side. */
export async function onMachine<T>(work: () => Promise<T>): Promise<{ result: T; machine: MachineNote }> {
  const loadBefore = load();
  const date = new Date().toISOString().slice(0, 10);
  const result = await work();
  return {
    result,
    machine: {
      cpu: cpus()[0]?.model ?? 'cpu',
      cores: availableParallelism(),
      memoryGiB: round(totalmem() / 2 ** 30, 1),
      node: process.version,
      date,
      loadBefore,
      loadAfter: load(),
    },
  };
}

/** "load 2.10 → 3.40 (1-min average)" for a report's heading. */
export const describeLoad = (m: MachineNote): string =>
  `load ${m.loadBefore[0]!.toFixed(2)} → ${m.loadAfter[0]!.toFixed(2)} (1-minute average, before → after)`;
