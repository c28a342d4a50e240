import { formatMarketTime } from './formatTime';
import { connectClient, temporalTargetFromEnv } from '../stack/temporalConnection';
import { describeFunnel, statusQuery } from '../workflows/messages';
import type { Venue } from '../shared';
import { findRunningTradingDay } from './findTradingDay';
import { colour, createOutput, table } from './output';

export async function statusCommand(opts: { date?: string; venue?: Venue; json: boolean }): Promise<void> {
  const out = createOutput(opts.json);
  const client = await connectClient(temporalTargetFromEnv());
  try {
    const workflowId = await findRunningTradingDay(client, { date: opts.date, venue: opts.venue });
    const s = await client.workflow.getHandle(workflowId).query(statusQuery);
    out.result({ workflowId, ...s }, () => {
      out.info(
        colour.bold(
          `${workflowId}  ${s.venue}/${s.mode}  ${s.halted ? colour.red(`HALTED: ${s.haltReason}`) : s.phase}`,
        ),
      );
      out.info(
        table([
          ['market time', s.marketTimeMs ? formatMarketTime(s.marketTimeMs) : '-'],
          ['cycle', s.cycle],
          ['orders submitted', s.ordersSubmitted],
          ["Catalyst's positions", s.openPositions],
          ["Catalyst's open orders", s.openOrders],
          ["not Catalyst's (left alone)", `${s.foreignPositions} holdings, ${s.foreignOrders} orders`],
          ['realized P&L', s.realizedPnl],
          ['unrealized P&L', s.unrealizedPnl],
          ['entries paused', s.entriesPaused ? 'yes' : 'no'],
          ...(s.emergencyRunning ? [['emergency stop', 'flattening now']] : []),
          ...(s.notFlat.length ? [['not flat yet', s.notFlat.join(', ')]] : []),
          ...(s.lastProblem ? [['last problem', s.lastProblem]] : []),
        ]),
      );
      if (s.lastFunnel) {
        const f = s.lastFunnel;
        out.info(`last funnel (cycle ${f.cycle}): ${describeFunnel(f)}`);
      }
      if (s.candidates.length) {
        out.info(
          table([
            ['symbol', 'cycle', 'score', 'decision', 'qty'],
            ...s.candidates.map((c) => [
              c.symbol,
              c.cycle ?? '',
              c.compositeScore.toFixed(1),
              decisionText(c),
              c.qty ?? 0,
            ]),
          ]),
        );
      }
    });
  } finally {
    await client.connection.close();
  }
}

/** Approved with what set its size (a resize names the loss budget, cash, max size); rejected with every reason. */
export function decisionText(c: { approved?: boolean; reasons?: string[] }): string {
  const reasons = c.reasons ?? [];
  if (c.approved) {
    const sizing = reasons.find((r) => r.includes('limited by'));
    return sizing ? `approved: ${sizing}` : 'approved';
  }
  return reasons.length ? `rejected: ${reasons.join('; ')}` : 'rejected';
}
