import type { Client } from '@temporalio/client';
import { tradingDayWorkflowId } from '../shared';
import { UsageError } from './cliErrors';

/** The running trading day: the one for `date` if given, else the only running one. */
export async function findRunningTradingDay(client: Client, date?: string): Promise<string> {
  if (date) {
    const id = tradingDayWorkflowId(date);
    const desc = await client.workflow
      .getHandle(id)
      .describe()
      .catch(() => null);
    if (!desc) throw new UsageError(`no trading day ${id} exists on this Temporal server`);
    if (desc.status.name !== 'RUNNING')
      throw new UsageError(`trading day ${id} is not running (it is ${desc.status.name.toLowerCase()})`);
    return id;
  }
  const running: string[] = [];
  for await (const wf of client.workflow.list({
    query: `WorkflowType = 'TradingDayWorkflow' AND ExecutionStatus = 'Running'`,
  })) {
    running.push(wf.workflowId);
  }
  if (running.length === 0) throw new UsageError('no trading day is running (start one with `catalyst up`)');
  if (running.length > 1)
    throw new UsageError(`several trading days are running (${running.join(', ')}); pass --date YYYY-MM-DD`);
  return running[0]!;
}
