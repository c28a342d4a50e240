/**
 * `catalyst scan`: one cycle's funnel at the running venue's current minute — every stage's count
 * and the final candidates with their factor scores — run by the running stack's workers and
 * recorded as cycle 0. It places no order and changes nothing in the account.
 */
import type { Venue } from '../shared';
import { connectClient, temporalTargetFromEnv } from '../stack/temporalConnection';
import { describeFunnel, statusQuery } from '../workflows/messages';
import type { ScanWorkflow } from '../workflows/scan';
import { findRunningTradingDay } from './findTradingDay';
import { formatMarketTime } from './formatTime';
import { colour, createOutput, table } from './output';

export async function scanCommand(opts: { date?: string; venue?: Venue; json: boolean }): Promise<void> {
  const out = createOutput(opts.json);
  const client = await connectClient(temporalTargetFromEnv());
  try {
    const dayId = await findRunningTradingDay(client, { date: opts.date, venue: opts.venue });
    const day = client.workflow.getHandle(dayId);
    const [status, description] = await Promise.all([day.query(statusQuery), day.describe()]);
    const result = await client.workflow.execute<typeof ScanWorkflow>('ScanWorkflow', {
      taskQueue: description.taskQueue,
      workflowId: `${dayId}-scan-${Date.now()}`,
      args: [{ tradingDate: status.tradingDate, speed: status.speed }],
      // A scan is a read: if the workers are gone, give up rather than wait for them forever.
      workflowExecutionTimeout: '5 minutes',
    });
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
