/**
 * What the Temporal Schedule starts at 09:30 New York time. Schedules append the fire time to
 * workflow ids, so this small launcher starts the day under its canonical id
 * `trading-day-YYYY-MM-DD` with REJECT_DUPLICATE: one date can never run twice, whether it was
 * started by the schedule, a catch-up, a backfill or `catalyst day start`.
 */
import { ParentClosePolicy, WorkflowIdReusePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../activities/types';
import { NON_RETRYABLE_ERROR_TYPES, tradingDayWorkflowId } from '../shared';
import { TradingDayWorkflow } from './tradingDay';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES },
});

export interface ScheduledTradingDayResult {
  tradingDate: string;
  workflowId: string;
  started: boolean;
  reason: string;
}

export async function ScheduledTradingDayWorkflow(): Promise<ScheduledTradingDayResult> {
  // Workflow Date.now() is the deterministic task time: the fire time within the catch-up window.
  const input = await acts.planScheduledDay(Date.now());
  const workflowId = tradingDayWorkflowId(input.tradingDate, input);
  try {
    await startChild(TradingDayWorkflow, {
      workflowId,
      args: [input],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      staticSummary: `Trading day ${input.tradingDate} (${input.venue}${input.account ? ` ${input.account}` : ''}, ${input.mode})`,
    });
    return { tradingDate: input.tradingDate, workflowId, started: true, reason: 'started' };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      return { tradingDate: input.tradingDate, workflowId, started: false, reason: 'this date already ran' };
    }
    throw err;
  }
}
