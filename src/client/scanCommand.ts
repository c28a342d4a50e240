/**
 * `catalyst scan`: one cycle's funnel at the running venue's current minute — every stage's count
 * and the final candidates with their factor scores — run by the running stack's workers and
 * recorded as cycle 0. It places no order and changes nothing in the account.
 */
import type { Venue } from '../shared';
import { connectClient, temporalTargetFromEnv } from '../stack/temporalConnection';
import { WorkflowFailedError } from '@temporalio/client';
import { TimeoutFailure } from '@temporalio/common';
import { describeFunnel, statusQuery, type ScanResult } from '../workflows/messages';
import type { ScanWorkflow } from '../workflows/scan';
import { findRunningTradingDay } from './findTradingDay';
import { formatMarketTime } from './formatTime';
import { colour, createOutput, table } from './output';

const SCAN_TIMEOUT = '2 minutes';

export async function scanCommand(opts: { date?: string; venue?: Venue; json: boolean }): Promise<void> {
  const out = createOutput(opts.json);
  const client = await connectClient(temporalTargetFromEnv());
  try {
    const dayId = await findRunningTradingDay(client, { date: opts.date, venue: opts.venue });
    const day = client.workflow.getHandle(dayId);
    const [status, description] = await Promise.all([day.query(statusQuery), day.describe()]);
    out.log(`running the funnel on ${description.taskQueue} (the workers of ${dayId})…`);
    let result: ScanResult;
    try {
      result = await client.workflow.execute<typeof ScanWorkflow>('ScanWorkflow', {
        taskQueue: description.taskQueue,
        workflowId: `${dayId}-scan-${Date.now()}`,
        args: [{ tradingDate: status.tradingDate, speed: status.speed ?? 1 }],
        // A scan is a read: if no worker takes it, give up rather than wait for one forever.
        workflowExecutionTimeout: SCAN_TIMEOUT,
      });
    } catch (err) {
      if (err instanceof WorkflowFailedError && err.cause instanceof TimeoutFailure)
        throw new Error(
          `no worker of ${description.taskQueue} finished the scan within ${SCAN_TIMEOUT}: is the stack that runs ${dayId} still up, and on this version of Catalyst?`,
        );
      throw err;
    }
    out.result(result, () => {
      out.info(colour.bold(`scan at ${formatMarketTime(result.asOfMs)} (${result.cycleId})`));
      out.info(describeFunnel(result.funnel).replace(/ → \d+ approved → \d+ orders$/, ''));
      if (result.candidates.length === 0) {
        out.info(`no candidate reached the minimum composite score (${result.belowMinimum} below it)`);
        return;
      }
      out.info(
        table([
          ['symbol', 'composite', 'news', 'pattern', 'technical', 'momentum', 'volume', 'price'],
          ...result.candidates.map((c) => [
            c.symbol,
            c.compositeScore.toFixed(1),
            c.newsScore.toFixed(1),
            c.patternScore.toFixed(1),
            c.technicalScore.toFixed(1),
            c.momentumScore.toFixed(1),
            c.volumeScore.toFixed(1),
            c.price,
          ]),
        ]),
      );
    });
  } finally {
    await client.connection.close();
  }
}
