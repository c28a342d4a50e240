/**
 * The trading service: bracket orders with deterministic client_order_ids (a retried activity
 * finds its earlier order instead of placing another), flattening, the emergency stop.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { BrokerOrder } from '../broker/port';
import { OPEN_ORDER_STATUSES } from '../broker/port';
import { upsertOrder } from '../db/repositories/orders';
import type { LegRole } from '../db/schema';
import { recordRiskEvent } from '../db/repositories/riskEvents';
import { clientOrderId } from '../domain/clientOrderId';
import type { EmergencyStopOutcome } from '../workflows/messages';
import type { CycleRef, FlatCheck, FlattenOutcome, PlacementOutcome, RiskDecisionSummary } from './types';
import type { ActivityDeps } from './deps';
import { workflowRun } from './workflowRun';

export function legRoleOf(order: BrokerOrder, parent?: BrokerOrder): LegRole {
  if (!parent) return order.side === 'buy' ? 'entry' : 'exit';
  if (order.type === 'limit') return 'take_profit';
  if (order.type === 'stop' || order.type === 'stop_limit' || order.type === 'trailing_stop')
    return 'stop_loss';
  return 'exit';
}

/** Writes an order and its legs (as the broker reports them now) to the orders table. */
export async function recordOrderTree(
  deps: Pick<ActivityDeps, 'db' | 'accountId'>,
  tradingDate: string,
  order: BrokerOrder,
  cycleId?: string,
): Promise<void> {
  const write = (o: BrokerOrder, parent?: BrokerOrder) =>
    upsertOrder(deps.db, {
      accountId: deps.accountId,
      brokerOrderId: o.id,
      clientOrderId: o.clientOrderId,
      cycleId: cycleId ?? null,
      tradingDate,
      symbol: o.symbol,
      side: o.side,
      type: o.type,
      orderClass: o.orderClass,
      legRole: legRoleOf(o, parent),
      parentBrokerOrderId: parent?.id ?? null,
      qty: o.qty,
      filledQty: o.filledQty,
      filledAvgPrice: o.filledAvgPrice,
      limitPrice: o.limitPrice,
      stopPrice: o.stopPrice,
      status: o.status,
      submittedAt: o.submittedAt,
      filledAt: o.filledAt,
      canceledAt: o.canceledAt,
    });
  await write(order);
  for (const leg of order.legs) await write(leg, order);
}

export function createTradingActivities(deps: ActivityDeps) {
  const openCounts = async (): Promise<{ openPositions: number; openOrders: number }> => {
    const [positions, orders] = await Promise.all([
      deps.broker.listPositions(),
      deps.broker.listOrders({ status: 'open', limit: 500 }),
    ]);
    return {
      openPositions: positions.length,
      openOrders: orders.filter((o) => OPEN_ORDER_STATUSES.has(o.status)).length,
    };
  };

  const flatten = async (): Promise<FlattenOutcome> => {
    const cancelled = await deps.broker.cancelAllOrders();
    const closed = await deps.broker.closeAllPositions();
    return {
      cancelledOrders: cancelled.length,
      closedPositions: closed.filter((c) => c.status < 300).map((c) => c.symbol),
    };
  };

  return {
    async placeBracketOrders(
      input: CycleRef & { decisions: RiskDecisionSummary[] },
    ): Promise<PlacementOutcome> {
      const outcome: PlacementOutcome = { placed: [], failed: [] };
      for (const d of input.decisions) {
        if (!d.approved || d.qty <= 0) continue;
        const id = clientOrderId({
          tradingDate: input.tradingDate,
          cycle: input.cycleNumber,
          symbol: d.symbol,
          leg: 'entry',
        });
        try {
          const order = await deps.broker.submitBracketOrder({
            clientOrderId: id,
            symbol: d.symbol,
            side: 'buy',
            qty: d.qty,
            entryType: 'market',
            takeProfitLimitPrice: d.takeProfitPrice,
            stopLossStopPrice: d.stopPrice,
            timeInForce: 'day',
          });
          await recordOrderTree(deps, input.tradingDate, order, input.cycleId);
          outcome.placed.push({
            symbol: d.symbol,
            clientOrderId: id,
            brokerOrderId: order.id,
            status: order.status,
            qty: d.qty,
          });
          Context.current().heartbeat(d.symbol);
        } catch (err) {
          // A broker rejection of one candidate is final for it, not for the others.
          if (err instanceof ApplicationFailure && err.nonRetryable) {
            outcome.failed.push({
              symbol: d.symbol,
              errorType: err.type ?? 'BrokerRejected',
              message: err.message,
            });
            await recordRiskEvent(deps.db, {
              eventKey: `${id}-rejected`,
              tradingDate: input.tradingDate,
              cycleId: input.cycleId,
              eventType: 'order_rejected',
              severity: 'WARNING',
              symbol: d.symbol,
              message: err.message,
              details: { errorType: err.type, clientOrderId: id },
            });
            continue;
          }
          throw err;
        }
      }
      return outcome;
    },

    async flattenAll(_input: { tradingDate: string; reason: string }): Promise<FlattenOutcome> {
      return flatten();
    },

    async checkFlat(): Promise<FlatCheck> {
      const [counts, clock] = await Promise.all([openCounts(), deps.broker.getClock()]);
      return { ...counts, nowMs: Date.parse(clock.timestamp) };
    },

    async emergencyStop(input: {
      tradingDate: string;
      reason: string;
      source: string;
    }): Promise<EmergencyStopOutcome> {
      const workflowExecution = workflowRun();
      const result = await flatten();
      const counts = await openCounts();
      await recordRiskEvent(deps.db, {
        eventKey: `${workflowExecution.workflowId}/${workflowExecution.runId}/emergency-stop`,
        tradingDate: input.tradingDate,
        eventType: 'emergency_stop',
        severity: 'CRITICAL',
        message: `Emergency stop (${input.source}): ${input.reason}`,
        details: { ...result, source: input.source },
      });
      return {
        cancelledOrders: result.cancelledOrders,
        closedPositions: result.closedPositions,
        flat: counts.openPositions === 0 && counts.openOrders === 0,
      };
    },
  };
}
