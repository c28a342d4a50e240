/**
 * Work a workflow starts but never waits for where it matters: records and alerts. A failure is
 * logged, never thrown (an unhandled rejection would fail the workflow task), and the workflow can
 * wait for them all before it returns.
 */
import { log } from '@temporalio/workflow';

export class BackgroundTasks {
  private readonly pending = new Set<Promise<void>>();

  run(label: string, work: Promise<unknown>): void {
    const task: Promise<void> = work.then(
      () => undefined,
      (err: unknown) =>
        log.warn(`${label} failed`, { error: err instanceof Error ? err.message : String(err) }),
    );
    this.pending.add(task);
    void task.then(() => this.pending.delete(task));
  }

  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
