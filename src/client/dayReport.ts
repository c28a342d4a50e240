/**
 * What `up` reports about a finished day beyond the workflow's own result, read from the stack
 * after the day: the risk events it recorded, and what Catalyst's closing orders cost beyond
 * their stop prices (see src/domain/positions/closingSlippage.ts).
 */
import { readBook } from '../activities/reconciliation';
import { riskEventsForDay } from '../db/repositories/riskEvents';
import { closingSlippage } from '../domain/positions';
import type { RunningStack } from '../stack/embeddedStack';

export interface DayRiskEvent {
  type: string;
  severity: string;
  symbol: string | null;
  message: string;
  /**
   * Market time (ISO, UTC) the event was recorded at. The table keeps the wall-clock time of the
   * write; it is carried over to the venue's clock at the run's speed, so at speed 600 it is good
   * to about a market minute (a write lagging 100 ms is a minute of market time).
   */
  marketTime: string;
}

export interface DayReport {
  riskEvents: DayRiskEvent[];
  /** Dollars by which the fills of Catalyst's closing orders were below their lots' stop prices. */
  closingSlippage: string;
  /** The daily loss limit in force at the end of the day (risk_parameters.yaml). */
  maxLoss: string;
}

export async function readDayReport(
  stack: RunningStack,
  day: { tradingDate: string; workflowId: string; runId: string; startedWallMs: number },
): Promise<DayReport> {
  const [rows, book, marketNowMs] = await Promise.all([
    riskEventsForDay(stack.database.db, day.tradingDate),
    readBook({ broker: stack.broker }, { tradingDate: day.tradingDate }),
    stack.sim
      ? Promise.resolve(stack.sim.nowMs())
      : stack.broker.getClock().then((c) => Date.parse(c.timestamp)),
  ]);
  const wallNowMs = Date.now();
  // The database outlives runs: a replayed date keeps earlier runs' rows. This run's carry its
  // account (each simulator is a fresh account) or its workflow run, or were written since it began.
  const ours = rows.filter(
    (e) =>
      e.eventKey.startsWith(`${stack.accountId}/`) ||
      e.eventKey.startsWith(`${day.workflowId}/${day.runId}/`) ||
      e.createdAt.getTime() >= day.startedWallMs,
  );
  return {
    riskEvents: ours.map((e) => ({
      type: e.eventType,
      severity: e.severity,
      symbol: e.symbol,
      message: e.message,
      marketTime: new Date(
        Math.round((marketNowMs - (wallNowMs - e.createdAt.getTime()) * stack.speed) / 1000) * 1000,
      ).toISOString(),
    })),
    closingSlippage: closingSlippage(book.orders).total,
    maxLoss: stack.currentSettings().risk.daily_limits.max_loss,
  };
}
