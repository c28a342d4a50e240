/**
 * The position monitor's two activities: the guard (enforcement, from the broker alone) and the
 * bookkeeping that follows it. Split so that a database outage can never disable a stop.
 */
import { onSafetyLane } from '../broker/safetyLane';
import type { CatalystBook } from '../domain/positions';
import type { ActivityDeps } from './deps';
import type { MarketCache } from './marketCache';
import { createTickLag, currentWorkflowId, decimalValue } from './metrics';
import { guardPositions, recordBook } from './reconciliation';
import { beat } from './heartbeat';
import type { GuardInput, GuardReport, RecordBookInput, RecordBookOutcome } from './types';

export function createMonitorActivities(
  deps: ActivityDeps,
  cache: MarketCache,
  /** Fills seen in the books read here (metrics). */
  watchFills?: (book: CatalystBook) => void,
) {
  const tickLag = createTickLag();
  return {
    async guardPositions(input: GuardInput): Promise<GuardReport> {
      // The monitor enforces stops: its requests must not wait behind the scan's.
      const report = await onSafetyLane(() =>
        guardPositions(deps, input, { beat, ...(watchFills ? { onBook: watchFills } : {}) }),
      );
      const metrics = deps.metrics;
      if (metrics) {
        metrics.monitorTick(tickLag(currentWorkflowId(), report.marketTimeMs, input.intendedMarketMs));
        metrics.book(deps.venue, {
          realizedPnl: decimalValue(report.realizedPnl),
          unrealizedPnl: decimalValue(report.unrealizedPnl),
          openPositions: report.openPositions,
          openOrders: report.openOrders,
        });
        for (const _ of report.exits) metrics.orderSubmitted('sell', 'exit');
      }
      return report;
    },
    recordBook: (input: RecordBookInput): Promise<RecordBookOutcome> =>
      recordBook(deps, input, { orders: cache.orderVersions, records: cache.recordVersions }),
  };
}
