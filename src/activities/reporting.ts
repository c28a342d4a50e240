/**
 * Records of the day and its cycles (trading_days, trading_cycles) and the end-of-day summary
 * computed from the broker's own record of fills, so the report says what actually happened.
 */
import { finishCycle as finishCycleRow, startCycle } from '../db/repositories/tradingCycles';
import { finishTradingDay as finishDayRow, startTradingDay } from '../db/repositories/tradingDays';
import type { CatalystBook } from '../domain/positions';
import type { CycleFunnel } from '../workflows/messages';
import type { BeginCycleInput, DayStartInput, DaySummary, FinishDayInput } from './types';
import type { ActivityDeps } from './deps';
import { BoundedMap, type MarketCache } from './marketCache';
import { readBook, recordBook, summarize } from './reconciliation';
import { workflowRun } from './workflowRun';

export function createReportingActivities(
  deps: ActivityDeps,
  cache: MarketCache,
  /** Fills seen in the books read here (metrics). */
  watchFills?: (book: CatalystBook) => void,
) {
  // A retried finish records its cycle's duration once on this worker.
  const timedCycles = new BoundedMap<string, true>(256);
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
      const row = await finishCycleRow(deps.db, {
        cycleId: input.cycleId,
        status: input.status,
        funnel: {
          universe: f.universe,
          scanned: f.scanned,
          news: f.news,
          patterns: f.patterns,
          technical: f.technical,
          scored: f.scored,
          risk_approved: f.riskApproved,
          orders: f.ordersPlaced,
        },
        error: input.error ?? null,
      });
      // Both instants are the database's: begin and finish may have run on different workers.
      if (deps.metrics && row.finishedAt && !timedCycles.get(input.cycleId)) {
        timedCycles.set(input.cycleId, true);
        const seconds = (row.finishedAt.getTime() - row.startedAt.getTime()) / 1000;
        deps.metrics.cycleFinished(input.status, Math.max(0, seconds));
      }
    },

    async finishTradingDay(input: FinishDayInput): Promise<DaySummary> {
      const { workflowId, runId } = workflowRun();
      // The monitor's last tick may predate the final fills: record the book as it closed.
      if (input.status !== 'market_closed')
        await recordBook(
          deps,
          { tradingDate: input.tradingDate },
          { orders: cache.orderVersions, records: cache.recordVersions },
        );
      const book = await readBook(deps, { tradingDate: input.tradingDate });
      watchFills?.(book);
      const summary = summarize(book);
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
