/** One row per scan cycle: when it ran, the config it ran with, and how far the funnel narrowed. */
import { asc, eq, sql } from 'drizzle-orm';
import type { CatalystDb } from '../createDatabase';
import { instant, isoDate, type Instant } from '../instant';
import { tradingCycles, type CycleFunnel } from '../schema';

export type TradingCycleRecord = typeof tradingCycles.$inferSelect;

export interface StartCycleInput {
  cycleId: string;
  tradingDate: string;
  workflowId: string;
  runId: string;
  cycleNumber: number;
  /** The market clock's time when the cycle began (simulated time in a simulation). */
  marketTime: Instant;
  /** The config snapshot the cycle decides with, so its decisions can be explained later. */
  config: Record<string, unknown>;
}

export interface FinishCycleInput {
  cycleId: string;
  status: string;
  funnel: CycleFunnel;
  error?: string | null;
}

/**
 * Records a cycle's start, and its market time in time_dimension. A retry refreshes its
 * parameters but leaves its status alone.
 */
export async function startCycle(db: CatalystDb, input: StartCycleInput): Promise<TradingCycleRecord> {
  const values = {
    cycleId: input.cycleId,
    tradingDate: isoDate(input.tradingDate, 'tradingDate'),
    workflowId: input.workflowId,
    runId: input.runId,
    cycleNumber: input.cycleNumber,
    marketTime: instant(input.marketTime, 'marketTime'),
    config: input.config,
  };
  const { cycleId: _key, ...refresh } = values;
  const [row] = await db
    .insert(tradingCycles)
    .values(values)
    .onConflictDoUpdate({ target: tradingCycles.cycleId, set: refresh })
    .returning();
  // time_dimension holds the instants the system reasoned about: each cycle's market minute is one.
  await db.execute(sql`select get_or_create_time(${values.marketTime.toISOString()}::timestamptz)`);
  return row!;
}

/** Records a cycle's outcome. The first finish time is kept across retries. */
export async function finishCycle(db: CatalystDb, input: FinishCycleInput): Promise<TradingCycleRecord> {
  const [row] = await db
    .update(tradingCycles)
    .set({
      status: input.status,
      funnel: input.funnel,
      error: input.error ?? null,
      finishedAt: sql`coalesce(${tradingCycles.finishedAt}, now())`,
    })
    .where(eq(tradingCycles.cycleId, input.cycleId))
    .returning();
  if (!row)
    throw new Error(
      `finishCycle: no trading_cycles row for cycle ${input.cycleId}; startCycle must run first`,
    );
  return row;
}

export async function cyclesForDay(db: CatalystDb, tradingDate: string): Promise<TradingCycleRecord[]> {
  return db
    .select()
    .from(tradingCycles)
    .where(eq(tradingCycles.tradingDate, isoDate(tradingDate, 'tradingDate')))
    .orderBy(asc(tradingCycles.marketTime), asc(tradingCycles.cycleNumber));
}
