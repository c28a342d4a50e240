/** The Markdown the Web UI shows as a trading day's current details. Pure. */
import { describeFunnel, type TradingDayStatus } from './messages';

export function dayDetails(s: TradingDayStatus): string {
  const f = s.lastFunnel;
  return [
    `## Trading day ${s.tradingDate} (${s.venue}, ${s.mode})`,
    `**Phase:** ${s.phase}${s.halted ? ` — **HALTED**: ${s.haltReason}` : ''}${s.entriesPaused ? ' — entries paused' : ''}`,
    `**Cycle:** ${s.cycle} · **orders submitted:** ${s.ordersSubmitted}`,
    `**Catalyst's book:** ${s.openPositions} positions, ${s.openOrders} open orders · **P&L** realized ${s.realizedPnl}, unrealized ${s.unrealizedPnl}`,
    s.foreignPositions || s.foreignOrders
      ? `**Not Catalyst's (left alone):** ${s.foreignPositions} holdings, ${s.foreignOrders} open orders`
      : '',
    s.emergencyRunning ? "**EMERGENCY STOP running:** flattening Catalyst's book" : '',
    s.notFlat.length ? `**Not flat yet:** ${s.notFlat.join(', ')}` : '',
    f ? `**Last funnel (cycle ${f.cycle}):** ${describeFunnel(f)}` : '',
    s.candidates.length
      ? `**Candidates:** ${s.candidates.map((c) => `${c.symbol} (${c.compositeScore.toFixed(1)}${c.approved ? ', approved' : ''})`).join(', ')}`
      : '',
    s.pendingApproval
      ? `**Waiting for approval (cycle ${s.pendingApproval.cycle}):** ${s.pendingApproval.candidates.map((c) => c.symbol).join(', ')}`
      : '',
    s.lastProblem ? `**Last problem:** ${s.lastProblem}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}
