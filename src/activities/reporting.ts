/**
 * Records of the day and its cycles (trading_days, trading_cycles) and the end-of-day summary
 * computed from the broker's own record of fills, so the report says what actually happened.
 */
import { OPEN_ORDER_STATUSES } from '../broker/port';
import { finishCycle as finishCycleRow, startCycle } from '../db/repositories/tradingCycles';
import { finishTradingDay as finishDayRow, startTradingDay } from '../db/repositories/tradingDays';
import { parseClientOrderId } from '../domain/clientOrderId';
import { matchRoundTrips, totalRealizedPnl } from '../domain/positions/roundTrips';
import type { CycleFunnel } from '../workflows/messages';
import type { BeginCycleInput, DayStartInput, DaySummary, FinishDayInput } from './types';
import type { ActivityDeps } from './deps';
import type { MarketCache } from './marketCache';
import { fillsOf, ordersOfDay, reconcileBook } from './monitor';
import { workflowRun } from './workflowRun';

export function createReportingActivities(deps: ActivityDeps, cache: MarketCache) {
  return {
    async recordDayStart(input: DayStartInput): Promise<void> {
      const { workflowId, runId } = workflowRun();
      await startTradingDay(deps.db, {
        workflowId,
        runId,
        tradingDate: input.tradingDate,
        mode: input.mode,
        accountId: deps.accountId,
        speed: String(input.speed),
      });
    },

    async beginCycle(input: BeginCycleInput): Promise<void> {
      const { workflowId, runId } = workflowRun();
      await startCycle(deps.db, {
        cycleId: input.cycleId,
        tradingDate: input.tradingDate,
        workflowId,
        runId,
        cycleNumber: input.cycleNumber,
        marketTime: new Date(input.marketTimeMs),
        config: deps.settings.snapshot() as unknown as Record<string, unknown>,
      });
    },

    async finishCycle(input: {
      cycleId: string;
      status: string;
      funnel: CycleFunnel;
      error?: string;
    }): Promise<void> {
      const f = input.funnel;
      await finishCycleRow(deps.db, {
        cycleId: input.cycleId,
        status: input.status,
        // News and pattern stages are pass-through until they land: they keep the scan's count.
        funnel: {
          universe: f.universe,
          scanned: f.scanned,
          news: f.scanned,
          patterns: f.scanned,
          technical: f.technical,
          risk_approved: f.riskApproved,
          orders: f.ordersPlaced,
        },
        error: input.error ?? null,
      });
    },

    async finishTradingDay(input: FinishDayInput): Promise<DaySummary> {
      const { workflowId, runId } = workflowRun();
      // The monitor's last tick may predate the final fills: record the book as it closed.
      if (input.status === 'completed') await reconcileBook(deps, cache, input.tradingDate, null);
      const [orders, positions, openOrders] = await Promise.all([
        input.status === 'market_closed' ? Promise.resolve([]) : ordersOfDay(deps, input.tradingDate),
        deps.broker.listPositions(),
        deps.broker.listOrders({ status: 'open', limit: 500 }),
      ]);
      const fills = fillsOf(orders);
      const summary: DaySummary = {
        ordersSubmitted: orders.filter((o) => parseClientOrderId(o.clientOrderId)?.leg === 'entry').length,
        fills: fills.length,
        realizedPnl: totalRealizedPnl(matchRoundTrips(fills.map((f) => f.fill))),
        openPositionsAtClose: positions.length,
        openOrdersAtClose: openOrders.filter((o) => OPEN_ORDER_STATUSES.has(o.status)).length,
      };
      await finishDayRow(deps.db, {
        workflowId,
        runId,
        status: input.status,
        cycles: input.cycles,
        ordersSubmitted: summary.ordersSubmitted,
        fills: summary.fills,
        realizedPnl: summary.realizedPnl,
        openPositionsAtClose: summary.openPositionsAtClose,
        openOrdersAtClose: summary.openOrdersAtClose,
        halted: input.halted,
        haltReason: input.haltReason,
        summary: { ...summary },
      });
      return summary;
    },
  };
}
