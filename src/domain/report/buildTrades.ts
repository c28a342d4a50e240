/**
 * Trades from the recorded orders: each book's fills (an account on a date) matched FIFO into
 * round trips by the same matcher the monitor and the day's summary use
 * (src/domain/positions/roundTrips.ts), so a trade's realized P&L is the broker's fills' own:
 * Σ sell qty × price − Σ buy qty × price of its closed shares, exact in micro-units. Partial fills
 * are whatever the broker filled of each order; a trade with shares still held is open.
 */
import { nyTimeToUtcMs, sessionFor } from '../calendar';
import { parseClientOrderId } from '../clientOrderId';
import { microsToDecimal, toMicros } from '../money';
import { matchRoundTripsReport } from '../positions/roundTrips';
import { exitReasonOf, type ExitReason } from './exitReason';
import { bookKey, fillsByBook } from './reportFills';
import type { ReportData, ReportDayRow, ReportOrderRow, ReportRiskEventRow } from './reportRows';
import type { Trade } from './reportTypes';
import { candidatesByCycleAndSymbol, tradeRationale } from './tradeRationale';

/** The default of `workflow.flatten_before_close_minutes`, for days that recorded no cycle config. */
export const DEFAULT_FLATTEN_BEFORE_CLOSE_MINUTES = 10;

const EMERGENCY_STOP_EVENT = 'emergency_stop';
/** `catalyst halt` with no day running records its stop under this key prefix, with no venue. */
const HALT_WITHOUT_DAY_PREFIX = 'halt-without-day/';

/** When the close-out of a date began (market time, epoch ms); NaN on a date with no session. */
export function closeOutStartMs(tradingDate: string, flattenBeforeCloseMinutes: number | null): number {
  const session = sessionFor(tradingDate);
  if (!session) return Number.NaN;
  const minutes = flattenBeforeCloseMinutes ?? DEFAULT_FLATTEN_BEFORE_CLOSE_MINUTES;
  return nyTimeToUtcMs(tradingDate, session.close) - minutes * 60_000;
}

/** Whether an emergency stop acted on this book: the day halted, or an emergency_stop event of its run or its date. */
function emergencyStopped(days: readonly ReportDayRow[], events: readonly ReportRiskEventRow[]): boolean {
  if (days.some((d) => d.halted)) return true;
  return events.some(
    (e) =>
      e.eventType === EMERGENCY_STOP_EVENT &&
      (e.eventKey.startsWith(HALT_WITHOUT_DAY_PREFIX) ||
        days.some(
          (d) => e.tradingDate === d.tradingDate && e.eventKey.startsWith(`${d.workflowId}/${d.runId}/`),
        )),
  );
}

const ms = (iso: string | null): number => (iso ? Date.parse(iso) : Number.NaN);

export function buildTrades(
  data: Pick<ReportData, 'days' | 'orders' | 'positions' | 'riskEvents' | 'candidates'>,
): Trade[] {
  const orderById = new Map(data.orders.map((o) => [`${bookKey(o)}|${o.brokerOrderId}`, o]));
  const legsOf = new Map<string, ReportOrderRow[]>();
  for (const o of data.orders) {
    if (!o.parentBrokerOrderId) continue;
    const key = `${bookKey(o)}|${o.parentBrokerOrderId}`;
    legsOf.set(key, [...(legsOf.get(key) ?? []), o]);
  }
  const positionOf = new Map(data.positions.map((p) => [`${p.accountId}|${p.entryClientOrderId}`, p]));
  const eventTypeByKey = new Map(data.riskEvents.map((e) => [e.eventKey, e.eventType]));
  const candidates = candidatesByCycleAndSymbol(data.candidates);

  const trades: Trade[] = [];
  for (const [key, fills] of fillsByBook(data.orders)) {
    const [accountId, tradingDate] = key.split('|') as [string, string];
    const days = data.days.filter((d) => bookKey(d) === key);
    const emergency = emergencyStopped(
      days,
      data.riskEvents.filter((e) => e.tradingDate === tradingDate),
    );
    const flattenMinutes = days.find((d) => d.flattenBeforeCloseMinutes !== null)?.flattenBeforeCloseMinutes;
    const closeOutMs = closeOutStartMs(tradingDate, flattenMinutes ?? null);

    for (const trip of matchRoundTripsReport(fills).trips) {
      const entry = orderById.get(`${key}|${trip.entryOrderId}`);
      const position = positionOf.get(`${accountId}|${trip.entryClientOrderId}`);
      const legs = legsOf.get(`${key}|${trip.entryOrderId}`) ?? [];
      const lastExitId = trip.exitOrderIds.at(-1);
      const lastExit = lastExitId ? orderById.get(`${key}|${lastExitId}`) : undefined;
      const exitReason: ExitReason | null = lastExit
        ? exitReasonOf({
            legRole: lastExit.legRole,
            monitorEventType: eventTypeByKey.get(`${accountId}/${lastExit.clientOrderId}`) ?? null,
            sentMs: ms(lastExit.submittedAt ?? lastExit.filledAt),
            emergencyStopped: emergency,
            closeOutStartMs: closeOutMs,
          })
        : null;
      const cycleId = entry?.cycleId ?? position?.cycleId ?? null;
      const holdMs = ms(trip.closedAt) - ms(trip.openedAt);
      trades.push({
        tradingDate,
        accountId,
        symbol: trip.symbol,
        entryClientOrderId: trip.entryClientOrderId,
        cycle: parseClientOrderId(trip.entryClientOrderId)?.cycle ?? null,
        cycleId,
        status: trip.openQty > 0 ? 'open' : 'closed',
        quantity: trip.qty,
        closedQuantity: trip.closedQty,
        openQuantity: trip.openQty,
        entryPrice: microsToDecimal(toMicros(trip.entryPrice)),
        exitPrice: trip.exitPrice === null ? null : microsToDecimal(toMicros(trip.exitPrice)),
        openedAt: trip.openedAt,
        closedAt: trip.closedAt,
        holdSeconds: Number.isFinite(holdMs) ? Math.round(holdMs / 1000) : null,
        realizedPnl: microsToDecimal(toMicros(trip.realizedPnl)),
        stopPrice: legs.find((l) => l.legRole === 'stop_loss')?.stopPrice ?? position?.stopPrice ?? null,
        takeProfitPrice:
          legs.find((l) => l.legRole === 'take_profit')?.limitPrice ?? position?.takeProfitPrice ?? null,
        exitReason,
        why: tradeRationale({ cycleId, symbol: trip.symbol }, candidates),
      });
    }
  }
  return trades.sort((a, b) =>
    a.openedAt !== b.openedAt
      ? a.openedAt < b.openedAt
        ? -1
        : 1
      : a.entryClientOrderId < b.entryClientOrderId
        ? -1
        : 1,
  );
}
