/**
 * The position monitor's two activities: the guard (enforcement, from the broker alone) and the
 * bookkeeping that follows it. Split so that a database outage can never disable a stop.
 */
import type { ActivityDeps } from './deps';
import type { MarketCache } from './marketCache';
import { guardPositions, recordBook } from './reconciliation';
import { beat } from './heartbeat';
import type { GuardInput, GuardReport, RecordBookInput, RecordBookOutcome } from './types';

export function createMonitorActivities(deps: ActivityDeps, cache: MarketCache) {
  return {
    guardPositions: (input: GuardInput): Promise<GuardReport> => guardPositions(deps, input, { beat }),
    recordBook: (input: RecordBookInput): Promise<RecordBookOutcome> =>
      recordBook(deps, input, { orders: cache.orderVersions, records: cache.recordVersions }),
  };
}
