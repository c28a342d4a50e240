import { DefaultLogger, Runtime } from '@temporalio/worker';

let installed = false;

/**
 * The Temporal runtime of a test process, logging errors only (injected faults make activity
 * retries routine). Once per process: files of the temporal project share one process.
 */
export function installTestRuntime(): void {
  if (installed) return;
  installed = true;
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // A runtime exists already in this process (a worker made one): keep it.
  }
}
