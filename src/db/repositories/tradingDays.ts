/** One row per TradingDayWorkflow run: what it was asked to do and how the day ended. */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { CatalystDb } from '../createDatabase';
import { decimal } from '../decimal';
import { isoDate } from '../instant';
import { tradingDays, type TradingDayStatus } from '../schema';

export type TradingDayRecord = typeof tradingDays.$inferSelect;

export interface StartTradingDayInput {
  workflowId: string;
  runId: string;
  tradingDate: string;
  mode: string;
  accountId: string;
  /** Market-clock speed as a decimal string ('1' live, '600' for a fast simulation). */
  speed: string;
  seed?: number | null;
}

export interface FinishTradingDayInput {
  workflowId: string;
  runId: string;
  status: Exclude<TradingDayStatus, 'running'>;
  cycles: number;
  ordersSubmitted: number;
  fills: number;
  realizedPnl: string;
  openPositionsAtClose: number;
  openOrdersAtClose: number;
  halted: boolean;
  haltReason?: string | null;
  summary?: Record<string, unknown> | null;
}

/**
 * Records the start of a run. A retried call refreshes the run's parameters but never its
 * status or start time, so it cannot reopen a day that already moved on.
 */
export async function startTradingDay(
  db: CatalystDb,
  input: StartTradingDayInput,
): Promise<TradingDayRecord> {
  const values = {
    workflowId: input.workflowId,
    runId: input.runId,
    tradingDate: isoDate(input.tradingDate, 'tradingDate'),
    mode: input.mode,
    accountId: input.accountId,
    speed: decimal(input.speed, 'speed'),
    seed: input.seed ?? null,
  };
  const [row] = await db
    .insert(tradingDays)
    .values(values)
    .onConflictDoUpdate({
      target: [tradingDays.workflowId, tradingDays.runId],
      set: {
        tradingDate: values.tradingDate,
        mode: values.mode,
        accountId: values.accountId,
        speed: values.speed,
        seed: values.seed,
      },
    })
    .returning();
  return row!;
}

/** Records how a run ended. The first finish time is kept across retries. */
export async function finishTradingDay(
  db: CatalystDb,
  input: FinishTradingDayInput,
): Promise<TradingDayRecord> {
  const [row] = await db
    .update(tradingDays)
    .set({
      status: input.status,
      finishedAt: sql`coalesce(${tradingDays.finishedAt}, now())`,
      cycles: input.cycles,
      ordersSubmitted: input.ordersSubmitted,
      fills: input.fills,
      realizedPnl: decimal(input.realizedPnl, 'realizedPnl'),
      openPositionsAtClose: input.openPositionsAtClose,
      openOrdersAtClose: input.openOrdersAtClose,
      halted: input.halted,
      haltReason: input.haltReason ?? null,
      summary: input.summary ?? null,
    })
    .where(and(eq(tradingDays.workflowId, input.workflowId), eq(tradingDays.runId, input.runId)))
    .returning();
  if (!row) {
    throw new Error(
      `finishTradingDay: no trading_days row for workflow ${input.workflowId} run ${input.runId}; startTradingDay must run first`,
    );
  }
  return row;
}

export async function tradingDaysOn(db: CatalystDb, tradingDate: string): Promise<TradingDayRecord[]> {
  return db
    .select()
    .from(tradingDays)
    .where(eq(tradingDays.tradingDate, isoDate(tradingDate, 'tradingDate')))
    .orderBy(asc(tradingDays.startedAt), asc(tradingDays.id));
}
