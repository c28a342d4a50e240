/**
 * Market durations → Temporal timers. Pure and workflow-safe: it only does integer arithmetic on
 * epoch milliseconds that activities computed from the broker's calendar and clock.
 */
import type { DayTimingConfig, MarketDay } from './messages';

export const MINUTE_MS = 60_000;

/** Wall-clock timer length for a stretch of market time at the venue's speed (never below 1 ms). */
export function marketToTimerMs(marketMs: number, speed: number): number {
  if (!(speed > 0) || !Number.isFinite(speed))
    throw new Error(`speed must be a positive number, got ${speed}`);
  return Math.max(1, Math.ceil(Math.max(0, marketMs) / speed));
}

export interface DayPlan {
  openMs: number;
  firstCycleMs: number;
  noNewEntriesMs: number;
  flattenMs: number;
  closeMs: number;
}

/** Deadlines of a session; an early close moves every later deadline with it. */
export function planDay(day: MarketDay, cfg: DayTimingConfig): DayPlan {
  const flattenMs = day.closeMs - cfg.flattenBeforeCloseMinutes * MINUTE_MS;
  const noNewEntriesMs = Math.min(flattenMs, day.closeMs - cfg.noNewEntriesBeforeCloseMinutes * MINUTE_MS);
  return {
    openMs: day.openMs,
    firstCycleMs: day.openMs + cfg.firstCycleAfterOpenMinutes * MINUTE_MS,
    noNewEntriesMs,
    flattenMs,
    closeMs: day.closeMs,
  };
}

/** Market time of the cycle after one that ran at `ranAtMs`, aligned to the schedule from the first cycle. */
export function nextCycleMs(plan: DayPlan, ranAtMs: number, frequencyMinutes: number): number {
  const step = frequencyMinutes * MINUTE_MS;
  const elapsed = Math.max(0, ranAtMs - plan.firstCycleMs);
  return plan.firstCycleMs + (Math.floor(elapsed / step) + 1) * step;
}

/** Start of the next market minute after `nowMs`. */
export const nextMinuteMs = (nowMs: number): number => (Math.floor(nowMs / MINUTE_MS) + 1) * MINUTE_MS;
