import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { heartbeatTicker } from './activities/heartbeatTicker';
import type { Activities } from './activities/types';
import { catalystDataConverter } from './codec/payloadCodec';

export interface CatalystWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  activities: Activities;
  /** The venue's own queue (taskQueueFor): a simulator worker never picks up a paper day's work. */
  taskQueue: string;
  /** A pre-built workflow bundle (tests build one per run); otherwise the worker bundles src/workflows. */
  workflowBundle?: { codePath: string };
}

/** The worker options factory: one place for task queue, bundle and concurrency settings. */
export function catalystWorkerOptions(opts: CatalystWorkerOptions): WorkerOptions {
  return {
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: opts.activities as unknown as WorkerOptions['activities'],
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: workflowsPath() }),
    // Two cores: a small pool is plenty and keeps latency low for the monitor's minute ticks.
    maxConcurrentActivityTaskExecutions: 20,
    shutdownGraceTime: '10 seconds',
    interceptors: { activity: [heartbeatTicker] },
    // The sticky queue keeps its default 10 s: 3 s (a halt after a crash heard sooner) sent a busy
    // worker's day back to full-history replays on a loaded machine, which made it busier still.
    // CATALYST_CODEC_KEYS set: payloads are encrypted before they reach Temporal; unset: plaintext.
    dataConverter: catalystDataConverter(),
  };
}

export const workflowsPath = (): string => fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

export function createCatalystWorker(opts: CatalystWorkerOptions): Promise<Worker> {
  return Worker.create(catalystWorkerOptions(opts));
}
