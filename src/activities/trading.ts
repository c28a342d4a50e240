/**
 * The trading service: one bracket order per activity, each with a deterministic client_order_id
 * (a retried activity finds its earlier order instead of placing another), and the book-safety
 * actions of reconciliation exposed to the workflows: flatten Catalyst's book, check it is flat.
 */
import { ApplicationFailure } from '@temporalio/common';
import { recordRiskEvent } from '../db/repositories/riskEvents';
import { clientOrderId } from '../domain/clientOrderId';
import type { ActivityDeps } from './deps';
import { beat } from './heartbeat';
import { recordBracketSubmitted } from './metrics';
import type { CatalystBook } from '../domain/positions';
import { cancelCatalystEntries, checkFlat, flattenCatalystBook, recordOrders } from './reconciliation';
import type {
  FlatCheck,
  FlattenInput,
  FlattenOutcome,
  PlaceBracketOrderInput,
  PlacementResult,
  RiskEventRecordInput,
} from './types';
import { onSafetyLane } from '../broker/safetyLane';

export function createTradingActivities(
  deps: ActivityDeps,
  /** Fills seen in the books read here (metrics). */
  watchFills?: (book: CatalystBook) => void,
) {
  return {
    async placeBracketOrder(input: PlaceBracketOrderInput): Promise<PlacementResult> {
      const d = input.decision;
      const id = clientOrderId({
        tradingDate: input.tradingDate,
        cycle: input.cycleNumber,
        symbol: d.symbol,
        leg: 'entry',
      });
      const result = (
        status: PlacementResult['status'],
        extra: Partial<PlacementResult> = {},
      ): PlacementResult => ({
        symbol: d.symbol,
        clientOrderId: id,
        status,
        brokerOrderId: null,
        qty: d.qty,
        ...extra,
      });
      beat(`look up ${id}`);
      // An earlier attempt may have placed it (its answer lost): that order stands, deadline or not.
      let order = await deps.broker.getOrderByClientOrderId(id);
      if (!order) {
        beat(`clock before ${id}`);
        const nowMs = Date.parse((await deps.broker.getClock()).timestamp);
        if (!(nowMs < input.deadlineMs)) {
          deps.metrics?.orderExpired();
          return result('expired', {
            message: `market time ${new Date(nowMs).toISOString()} is past the decision's deadline ${new Date(input.deadlineMs).toISOString()}`,
          });
        }
        beat(`submit ${id}`);
        try {
          order = await deps.broker.submitBracketOrder({
            clientOrderId: id,
            symbol: d.symbol,
            side: 'buy',
            qty: d.qty,
            entryType: 'limit',
            limitPrice: d.limitPrice,
            takeProfitLimitPrice: d.takeProfitPrice,
            stopLossStopPrice: d.stopPrice,
            timeInForce: 'day',
          });
        } catch (err) {
          // A broker rejection of one candidate is final for it, not for the others.
          if (!(err instanceof ApplicationFailure && err.nonRetryable)) throw err;
          deps.metrics?.orderRejected(err.type ?? 'BrokerRejected');
          await recordRiskEvent(deps.db, {
            eventKey: `${id}-rejected`,
            tradingDate: input.tradingDate,
            cycleId: input.cycleId,
            eventType: 'order_rejected',
            severity: 'WARNING',
            symbol: d.symbol,
            message: err.message,
            details: { errorType: err.type, clientOrderId: id },
          }).catch((e: unknown) =>
            deps.log(`could not record the rejection of ${id}: ${(e as Error).message}`),
          );
          return result('rejected', { errorType: err.type ?? 'BrokerRejected', message: err.message });
        }
        recordBracketSubmitted(deps.metrics, order);
      }
      // Bookkeeping must not fail a placed order: the monitor's reconciliation records it anyway.
      await recordOrders(deps, input.tradingDate, [order], { cycleId: input.cycleId }).catch((e: unknown) =>
        deps.log(`could not record order ${id} now (reconciliation will): ${(e as Error).message}`),
      );
      return result('placed', { brokerOrderId: order.id });
    },

    async flattenBook(input: FlattenInput): Promise<FlattenOutcome> {
      const exit = input.entriesOnly ? cancelCatalystEntries : flattenCatalystBook;
      const { book, ...outcome } = await onSafetyLane(() =>
        exit(deps, { tradingDate: input.tradingDate }, { beat }),
      );
      watchFills?.(book);
      for (const _ of outcome.exits) deps.metrics?.orderSubmitted('sell', 'exit');
      return outcome;
    },

    checkFlat: (input: { tradingDate: string }): Promise<FlatCheck> =>
      onSafetyLane(() => checkFlat(deps, input.tradingDate)),

    async recordRiskEvent(input: RiskEventRecordInput): Promise<void> {
      await recordRiskEvent(deps.db, input);
    },
  };
}
