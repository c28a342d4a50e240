/**
 * The position monitor's tick: reconcile the book with the broker (orders → orders table,
 * fills → position rows), mark P&L, enforce stops and the max hold time as a backstop to the
 * broker's bracket legs, and grade the day's loss against the limits.
 */
import type { BrokerOrder, BrokerPosition } from '../broker/port';
import { OPEN_ORDER_STATUSES } from '../broker/port';
import { closePosition as closePositionRow, markPosition, openPosition } from '../db/repositories/positions';
import { recordRiskEvent } from '../db/repositories/riskEvents';
import { nyTimeToUtcMs } from '../domain/calendar';
import { formatMicros, toMicros } from '../domain/money';
import { matchRoundTrips, totalRealizedPnl, type Fill, type RoundTrip } from '../domain/positions/roundTrips';
import type { MonitorReport } from '../workflows/messages';
import type { ActivityDeps } from './deps';
import type { MarketCache } from './marketCache';
import { legRoleOf, recordOrderTree } from './trading';

export type DailyLossLevel = 'ok' | 'warning' | 'limit';

/** Every order of the trading date, legs nested under their parents. */
export async function ordersOfDay(
  deps: Pick<ActivityDeps, 'broker'>,
  tradingDate: string,
): Promise<BrokerOrder[]> {
  return deps.broker.listOrders({
    status: 'all',
    after: new Date(nyTimeToUtcMs(tradingDate, '00:00')).toISOString(),
    nested: true,
    limit: 500,
  });
}

/** Fills of a day's orders, legs included. */
export function fillsOf(
  orders: readonly BrokerOrder[],
): { fill: Fill; order: BrokerOrder; parent?: BrokerOrder }[] {
  const out: { fill: Fill; order: BrokerOrder; parent?: BrokerOrder }[] = [];
  const visit = (o: BrokerOrder, parent?: BrokerOrder): void => {
    const qty = Number(o.filledQty);
    if (qty > 0 && o.filledAvgPrice) {
      out.push({
        fill: {
          orderId: o.id,
          clientOrderId: o.clientOrderId,
          symbol: o.symbol,
          side: o.side,
          qty,
          price: o.filledAvgPrice,
          filledAt: o.filledAt ?? o.submittedAt ?? o.createdAt,
        },
        order: o,
        parent,
      });
    }
    for (const leg of o.legs) visit(leg, o);
  };
  for (const o of orders) visit(o);
  return out;
}

export function dailyLossLevel(dailyPnl: string, maxLoss: string, warningPct: number): DailyLossLevel {
  const loss = -toMicros(dailyPnl);
  const limit = toMicros(maxLoss);
  if (limit <= 0n || loss <= 0n) return 'ok';
  if (loss >= limit) return 'limit';
  return loss * 100n >= limit * BigInt(Math.round(warningPct)) ? 'warning' : 'ok';
}

export function createMonitorActivities(deps: ActivityDeps, cache: MarketCache) {
  return {
    reconcilePositions: (input: { tradingDate: string; maxHoldMinutes: number }) =>
      reconcileBook(deps, cache, input.tradingDate, { maxHoldMinutes: input.maxHoldMinutes }),
  };
}

/**
 * Brings the orders and positions tables in line with the broker and returns the day's P&L.
 * With `maxHoldMinutes` it also enforces the backstops (the monitor's tick); without, it only records (the close).
 */
export async function reconcileBook(
  deps: ActivityDeps,
  cache: MarketCache,
  tradingDate: string,
  enforce: { maxHoldMinutes: number } | null,
): Promise<MonitorReport & { dailyLossLevel: DailyLossLevel }> {
  const input = { tradingDate, maxHoldMinutes: enforce?.maxHoldMinutes ?? Number.POSITIVE_INFINITY };
  const { risk } = deps.settings.current();
  const [orders, positions, clock] = await Promise.all([
    ordersOfDay(deps, input.tradingDate),
    deps.broker.listPositions(),
    deps.broker.getClock(),
  ]);
  const nowMs = Date.parse(clock.timestamp);

  for (const o of orders) {
    const version = [o.status, o.filledQty, ...o.legs.map((l) => `${l.status}/${l.filledQty}`)].join('|');
    if (cache.orderVersions.get(o.id) === version) continue;
    await recordOrderTree(deps, input.tradingDate, o);
    cache.orderVersions.set(o.id, version);
  }

  const fills = fillsOf(orders);
  const trips = matchRoundTrips(fills.map((f) => f.fill));
  const bySymbol = new Map(positions.map((p) => [p.symbol, p]));
  const parentOf = new Map(orders.map((o) => [o.id, o]));
  const exitRole = new Map(
    fills.map((f) => [
      f.order.id,
      f.parent ? legRoleOf(f.order, f.parent) : f.order.side === 'sell' ? 'exit' : 'entry',
    ]),
  );
  const closedByMonitor: string[] = [];

  for (const trip of trips) {
    const entry = parentOf.get(trip.entryOrderId);
    const stopLeg = entry?.legs.find((l) => legRoleOf(l, entry) === 'stop_loss');
    const targetLeg = entry?.legs.find((l) => legRoleOf(l, entry) === 'take_profit');
    await openPosition(deps.db, {
      accountId: deps.accountId,
      tradingDate: input.tradingDate,
      symbol: trip.symbol,
      entryClientOrderId: trip.entryClientOrderId,
      side: 'long',
      qty: String(trip.qty),
      entryPrice: trip.entryPrice,
      stopPrice: stopLeg?.stopPrice ?? null,
      takeProfitPrice: targetLeg?.limitPrice ?? null,
      openedAt: trip.openedAt,
    });
    if (trip.openQty === 0) {
      const lastExit = trip.exitOrderIds[trip.exitOrderIds.length - 1];
      await closePositionRow(deps.db, {
        accountId: deps.accountId,
        entryClientOrderId: trip.entryClientOrderId,
        exitPrice: trip.exitPrice!,
        realizedPnl: trip.realizedPnl,
        exitReason: (lastExit && exitRole.get(lastExit)) || 'exit',
        closedAt: trip.closedAt!,
      });
      continue;
    }
    const held = bySymbol.get(trip.symbol);
    if (!held) continue;
    await markPosition(deps.db, {
      accountId: deps.accountId,
      entryClientOrderId: trip.entryClientOrderId,
      currentPrice: held.currentPrice,
      unrealizedPnl: formatMicros(
        (toMicros(held.currentPrice) - toMicros(trip.entryPrice)) * BigInt(trip.openQty),
        6,
      ),
    });
    const reason = enforce ? backstopReason(trip, held, stopLeg, nowMs, input.maxHoldMinutes, orders) : null;
    if (reason && !closedByMonitor.includes(trip.symbol)) {
      await deps.broker.closePosition(trip.symbol);
      closedByMonitor.push(trip.symbol);
      await recordRiskEvent(deps.db, {
        eventKey: `${deps.accountId}/${trip.entryClientOrderId}/${reason}`,
        tradingDate: input.tradingDate,
        eventType: reason,
        severity: 'WARNING',
        symbol: trip.symbol,
        message:
          reason === 'max_hold_exit'
            ? `${trip.symbol} held longer than ${input.maxHoldMinutes} market minutes: closed`
            : `${trip.symbol} at ${held.currentPrice} is through its stop ${stopLeg?.stopPrice} with no working stop order: closed`,
        details: {
          currentPrice: held.currentPrice,
          stopPrice: stopLeg?.stopPrice ?? null,
          openedAt: trip.openedAt,
        },
      });
    }
  }

  const realized = totalRealizedPnl(trips);
  const unrealized = formatMicros(
    positions.reduce((sum, p) => sum + toMicros(p.unrealizedPl), 0n),
    2,
  );
  const daily = formatMicros(toMicros(realized) + toMicros(unrealized), 2);
  const level = dailyLossLevel(daily, risk.daily_limits.max_loss, risk.daily_limits.warning_threshold_pct);
  if (level !== 'ok') {
    await recordRiskEvent(deps.db, {
      eventKey: `${deps.accountId}/${input.tradingDate}/daily-loss-${level}`,
      tradingDate: input.tradingDate,
      eventType: level === 'limit' ? 'daily_loss_limit' : 'daily_loss_warning',
      severity: level === 'limit' ? 'CRITICAL' : 'WARNING',
      message: `daily P&L ${daily} against a limit of -${risk.daily_limits.max_loss}`,
      details: { realized, unrealized },
    });
  }
  return {
    marketTimeMs: nowMs,
    openPositions: positions.length,
    openOrders: orders.filter(
      (o) => OPEN_ORDER_STATUSES.has(o.status) || o.legs.some((l) => OPEN_ORDER_STATUSES.has(l.status)),
    ).length,
    realizedPnl: realized,
    unrealizedPnl: unrealized,
    dailyPnl: daily,
    closedByMonitor,
    dailyLossLevel: level,
  };
}

/** Why the monitor must close a position itself, or null when the broker's legs have it covered. */
function backstopReason(
  trip: RoundTrip,
  held: BrokerPosition,
  stopLeg: BrokerOrder | undefined,
  nowMs: number,
  maxHoldMinutes: number,
  orders: readonly BrokerOrder[],
): 'max_hold_exit' | 'backstop_stop' | null {
  // A close order already working: closing again would cancel it and race it.
  const closing = orders.some(
    (o) =>
      o.symbol === trip.symbol &&
      o.side === 'sell' &&
      o.legs.length === 0 &&
      OPEN_ORDER_STATUSES.has(o.status),
  );
  if (closing) return null;
  if (nowMs - Date.parse(trip.openedAt) >= maxHoldMinutes * 60_000) return 'max_hold_exit';
  const stop = stopLeg?.stopPrice;
  if (!stop || toMicros(held.currentPrice) > toMicros(stop)) return null;
  const working = orders.some(
    (o) =>
      o.symbol === trip.symbol &&
      [o, ...o.legs].some(
        (x) => x.side === 'sell' && OPEN_ORDER_STATUSES.has(x.status) && x.status !== 'held',
      ),
  );
  return working ? null : 'backstop_stop';
}
