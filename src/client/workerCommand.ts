/**
 * `catalyst worker`: runs the Catalyst worker alone until SIGINT or SIGTERM, then drains it
 * (running activities get the worker's grace time; what they leave is retried by another worker)
 * and exits 0. A start-up that cannot reach Temporal, the database or the broker is one line and
 * a non-zero exit within seconds, with nothing left running.
 */
import { resolve } from 'node:path';
import { startStandaloneWorker, type StandaloneWorker } from '../stack/standaloneWorker';
import { tuneWorkerHeap } from '../worker';
import { checkWorkflowBundle } from './cliErrors';
import { colour, createOutput } from './output';
import { projectDir } from './projectDir';

export interface WorkerCommandOptions {
  live: boolean;
  speed: number;
  configDir?: string;
  workflowBundle?: string;
}

/** A fatal error must end the process even if a library left a handle open: the exit comes at the latest after this. */
const EXIT_DEADLINE_MS = 3_000;
const exitSoon = (code: number): void => {
  setTimeout(() => process.exit(process.exitCode ?? code), EXIT_DEADLINE_MS).unref();
};

export async function workerCommand(opts: WorkerCommandOptions): Promise<void> {
  const out = createOutput(false);
  const bundle = checkWorkflowBundle(opts.workflowBundle);

  // Signals during start-up stop it as soon as the part being connected answers.
  let stopRequested = false;
  let requestStop: () => void = () => {};
  const stopped = new Promise<void>((r) => (requestStop = r));
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopRequested) {
      out.info(colour.red(`${signal} again: exiting without waiting for running activities`));
      process.exit(130);
    }
    stopRequested = true;
    out.info(
      colour.yellow(`${signal}: draining the worker (running activities get up to 10 s), then stopping…`),
    );
    requestStop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  // A worker process of its own holds far less garbage with V8 tuned for it (src/worker.ts).
  tuneWorkerHeap();
  let worker: StandaloneWorker;
  try {
    worker = await startStandaloneWorker({
      projectDir: projectDir(),
      homeDir: process.env.CATALYST_HOME ?? resolve(projectDir(), '.catalyst'),
      env: process.env,
      live: opts.live,
      speed: opts.speed,
      ...(opts.configDir !== undefined ? { configDir: resolve(opts.configDir) } : {}),
      ...(bundle !== undefined ? { workflowBundlePath: bundle } : {}),
      log: out.log,
    });
  } catch (err) {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    exitSoon(1);
    throw err;
  }

  let failure: unknown = null;
  try {
    if (!stopRequested) {
      // Said once everything answered: a start-up that fails says one line, its reason.
      out.log(`venue: ${worker.venue} (${worker.venueReason})`);
      out.log(worker.brokerLine);
      const where = worker.venue === 'simulator' ? '' : ` ${worker.scope.account}`;
      out.info(
        `${colour.bold('worker ready')}: polling task queue ${colour.bold(worker.taskQueue)} on ${worker.address} (namespace ${worker.namespace}) for ${worker.venue}${where} at ${worker.brokerUrl}; SIGINT/SIGTERM drains and stops it`,
      );
      if (worker.venue === 'live') out.info(colour.red('LIVE trading with real money'));
      await Promise.race([stopped, worker.done.catch((err: unknown) => (failure = err))]);
    }
  } finally {
    await worker.shutdown();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    exitSoon(failure ? 1 : 0);
  }
  if (failure) throw new Error(`the worker stopped: ${(failure as Error)?.message ?? String(failure)}`);
  out.info('worker stopped cleanly');
}
