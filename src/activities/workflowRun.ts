import { Context } from '@temporalio/activity';

/** The workflow execution that scheduled the running activity (rows are keyed by it). */
export function workflowRun(): { workflowId: string; runId: string } {
  const run = Context.current().info.workflowExecution;
  if (!run) throw new Error('this activity must be called from a workflow');
  return run;
}
