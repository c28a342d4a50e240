/**
 * The monitor's backstops to the broker's bracket legs, decided per holding each market minute:
 * exit a position held past the max hold time, and one whose price is through its stop while no
 * stop order of Catalyst's is working (a take-profit limit is not a stop). A working exit means
 * the position is already being closed: closing again would race it.
 */
import { toMicros } from '../money';
import type { BookOrder } from './bookTypes';
import type { Holding } from './catalystBook';
import { isExitOrder } from './exitPlan';
import { isStopOrder } from './legRole';
import { isOpenOrder, isWorkingOrder } from './orderStatus';

export type BackstopReason = 'max_hold_exit' | 'backstop_stop';

export const MINUTE_MS = 60_000;

export function backstopReason(h: Holding, nowMs: number, maxHoldMinutes: number): BackstopReason | null {
  if (h.closableQty <= 0) return null;
  if (h.orders.some((o) => isExitOrder(o) && isOpenOrder(o))) return null;
  const opened = h.openedAt ? Date.parse(h.openedAt) : Number.NaN;
  if (Number.isFinite(opened) && nowMs - opened >= maxHoldMinutes * MINUTE_MS) return 'max_hold_exit';
  if (!h.stopPrice || !h.currentPrice) return null;
  if (toMicros(h.currentPrice) > toMicros(h.stopPrice)) return null;
  const stopWorking = h.orders.some((o) => isStopOrder(o) && isWorkingOrder(o));
  return stopWorking ? null : 'backstop_stop';
}

/**
 * Catalyst's entries still unfilled `windowMinutes` after they were sent. Entries are marketable
 * limits: one that has not filled by then has seen the price run past its limit, and the signal
 * it acted on is stale.
 */
export function staleEntries(
  orders: readonly BookOrder[],
  nowMs: number,
  windowMinutes: number,
): BookOrder[] {
  return orders.filter((o) => {
    if (o.side !== 'buy' || isExitOrder(o) || !isWorkingOrder(o)) return false;
    const sent = Date.parse(o.submittedAt ?? o.createdAt);
    return Number.isFinite(sent) && nowMs - sent >= windowMinutes * MINUTE_MS;
  });
}
