import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';

/**
 * Heartbeats, and stops before the next broker request once the workflow cancelled the activity
 * (a cancellation reaches an activity only in the answer to a heartbeat).
 */
export function beat(detail: string): void {
  const ctx = Context.current();
  ctx.heartbeat(detail);
  if (ctx.cancellationSignal.aborted) throw new CancelledFailure(`cancelled before: ${detail}`);
}
