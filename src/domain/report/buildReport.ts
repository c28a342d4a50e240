/**
 * "What did Catalyst do, and why?" for a date range: the trades with their reasons, the figures,
 * the curves, each cycle's funnel, the risk manager's decisions and the risk events, all from the
 * recorded rows. An empty range is a report too: zero trades, no curve.
 */
import { formatMicros, toMicros } from '../money';
import { buildTrades } from './buildTrades';
import { cycleDurations } from './cycleDurations';
import { equityCurve } from './equityCurve';
import { exposureCurve } from './exposureCurve';
import { fillTimeline } from './fillTimeline';
import { cycleReports, funnelTotals } from './funnelStats';
import { bookKey } from './reportFills';
import type { ReportData } from './reportRows';
import type { DailyReport, ReportDay } from './reportTypes';
import { riskDecisions } from './riskDecisions';
import { tradeStats } from './tradeStats';

export interface ReportScope {
  from: string;
  to: string;
  venue: string | null;
}

export function buildReport(data: ReportData, scope: ReportScope): DailyReport {
  const trades = buildTrades(data);
  const timeline = fillTimeline(data.orders);
  const equity = equityCurve(timeline);
  const exposure = exposureCurve(timeline);
  const cycles = cycleReports(data.cycles);
  const stats = tradeStats(trades);

  const days: ReportDay[] = [...data.days]
    .sort((a, b) =>
      a.tradingDate !== b.tradingDate
        ? a.tradingDate < b.tradingDate
          ? -1
          : 1
        : a.startedAt < b.startedAt
          ? -1
          : 1,
    )
    .map((d) => {
      const own = trades.filter((t) => bookKey(t) === bookKey(d) && t.closedQuantity > 0);
      return {
        tradingDate: d.tradingDate,
        workflowId: d.workflowId,
        accountId: d.accountId,
        mode: d.mode,
        status: d.status,
        halted: d.halted,
        haltReason: d.haltReason,
        trades: own.length,
        realizedPnl: formatMicros(
          own.reduce((sum, t) => sum + toMicros(t.realizedPnl), 0n),
          2,
        ),
      };
    });

  return {
    from: scope.from,
    to: scope.to,
    venue: scope.venue,
    days,
    figures: {
      trades: stats.trades,
      openTrades: stats.openTrades,
      wins: stats.wins,
      losses: stats.losses,
      winRate: stats.winRate,
      totalPnl: stats.totalPnl,
      averagePnl: stats.averagePnl,
      largestWin: stats.largestWin,
      largestLoss: stats.largestLoss,
      grossProfit: stats.grossProfit,
      grossLoss: stats.grossLoss,
      profitFactor: stats.profitFactor,
      maxIntradayDrawdown: equity.maxIntradayDrawdown,
      peakExposure: exposure.peakExposure,
      exitReasons: stats.exitReasons,
    },
    trades,
    equityCurve: equity.points,
    exposure: exposure.points,
    cycles,
    funnel: funnelTotals(cycles),
    cycleDurations: cycleDurations(cycles),
    risk: riskDecisions(data.candidates, data.cycles),
    riskEvents: [...data.riskEvents]
      .sort((a, b) => (a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? -1 : 1) : 0))
      .map((e) => ({
        tradingDate: e.tradingDate,
        eventType: e.eventType,
        severity: e.severity,
        symbol: e.symbol,
        message: e.message,
        recordedAt: e.createdAt,
      })),
  };
}
