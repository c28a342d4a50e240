import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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
    // The SDK's default follows the heap limit (about 2,300 on a 4 GiB heap): no bound at all. A venue
    // has a handful of open workflows at a time (the day, its monitor, the responder, a scan or a
    // backtest); 100 keeps all of them sticky and bounds what the workflow thread can hold.
    maxCachedWorkflows: MAX_CACHED_WORKFLOWS,
    shutdownGraceTime: '10 seconds',
    interceptors: { activity: [heartbeatTicker] },
    // The sticky queue keeps its default 10 s: 3 s (a halt after a crash heard sooner) sent a busy
    // worker's day back to full-history replays on a loaded machine, which made it busier still.
    // CATALYST_CODEC_KEYS set: payloads are encrypted before they reach Temporal; unset: plaintext.
    dataConverter: catalystDataConverter(),
  };
}

export const workflowsPath = (): string => fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

export const MAX_CACHED_WORKFLOWS = 100;

/**
 * V8's garbage collection for a process that hosts a Catalyst worker, set before the worker (and
 * its workflow thread) is created. Not a heap cap: the heap may still grow to Node's limit if the
 * live data needs it.
 *
 * - Old generation: after each full collection V8 lets the heap grow by a factor of up to 4 before
 *   the next one. The worker's live heap is small (~60–90 MiB), but every monitor tick and cycle
 *   promotes short-lived data (order lists, SQL, snapshots) to the old generation, so with the
 *   default factor the day's garbage piled up to ~260 MiB of old space and a 611 MiB peak
 *   (bench/RESULTS.md, `worker-memory`). Growing by at most HEAP_GROWING_PERCENT collects it at
 *   live × 1.2: more frequent full collections (mostly concurrent), far less resident memory.
 * - Young generation of the isolates created from here on (the workflow thread): semi-spaces of
 *   WORKFLOW_SEMI_SPACE_MIB instead of 16 MiB. Workflow activations allocate little; 16 MiB
 *   semi-spaces only hold garbage resident. The main isolate's young generation is fixed at start.
 *
 * The old generation's next limit is set at the end of a full collection: the last one ran during
 * start-up with the default factor, so one full collection here (the start-up's garbage, ~40 MiB,
 * tens of milliseconds once) puts the new factor in force before the first task arrives. Without
 * it the first ~100 MiB of the day's garbage accumulated under the old limit (measured: a 452 MiB
 * peak).
 *
 * Process-wide and idempotent; the first call decides. Called by `catalyst worker` only, the process
 * deployed on its own (the memory target is its): `catalyst up` hosts the simulator and PGlite
 * beside the worker, and test processes host stacks in-process, where more frequent full
 * collections would cost CPU for nothing measured.
 */
export const HEAP_GROWING_PERCENT = 20;
export const WORKFLOW_SEMI_SPACE_MIB = 2;
let heapTuned = false;
export function tuneWorkerHeap(): void {
  if (heapTuned) return;
  heapTuned = true;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  setFlagsFromString(`--max-semi-space-size=${WORKFLOW_SEMI_SPACE_MIB}`);
  fullCollection();
}

/** One full garbage collection, as `--expose-gc`'s gc() does (exposed in a throwaway context only). */
function fullCollection(): void {
  const exposed = typeof globalThis.gc === 'function';
  if (!exposed) setFlagsFromString('--expose-gc');
  try {
    (runInNewContext('gc') as () => void)();
  } finally {
    if (!exposed) setFlagsFromString('--no-expose-gc');
  }
}

export function createCatalystWorker(opts: CatalystWorkerOptions): Promise<Worker> {
  return Worker.create(catalystWorkerOptions(opts));
}
