/**
 * Work a workflow starts but never waits for where it matters: records and alerts. Each runs in
 * a non-cancellable scope (an emergency that cancels a cycle must not cancel that cycle's
 * record), a failure is logged, never thrown (an unhandled rejection would fail the workflow
 * task), and the workflow waits for them at its end only for a bounded time: a hung mail server
 * never holds a result back. An alert is in the outbox before its email is tried, so an
 * abandoned send loses nothing.
 */
import { CancellationScope, condition, log } from '@temporalio/workflow';

/** How long (wall clock) the end of a workflow waits for records and alerts still in flight. */
export const SETTLE_TIMEOUT = '5 seconds';

export class BackgroundTasks {
  private pending = 0;

  run(label: string, work: () => Promise<unknown>): void {
    this.pending += 1;
    void CancellationScope.nonCancellable(work)
      .catch((err: unknown) =>
        log.warn(`${label} failed`, { error: err instanceof Error ? err.message : String(err) }),
      )
      .finally(() => (this.pending -= 1));
  }

  /** True when everything finished within the bound. */
  settled(): Promise<boolean> {
    return condition(() => this.pending === 0, SETTLE_TIMEOUT);
  }
}
