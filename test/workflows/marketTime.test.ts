import { describe, expect, it } from 'vitest';
import { marketToTimerMs, nextCycleMs, nextMinuteMs, planDay } from '../../src/workflows/marketTime';
import type { DayTimingConfig, MarketDay } from '../../src/workflows/messages';

const cfg: DayTimingConfig = {
  scanFrequencyMinutes: 30,
  firstCycleAfterOpenMinutes: 5,
  noNewEntriesBeforeCloseMinutes: 60,
  flattenBeforeCloseMinutes: 10,
  approvalTimeoutMinutes: 10,
  executeTopN: 3,
};
const at = (iso: string): number => Date.parse(iso);
const day = (close: string): MarketDay => ({
  tradingDate: '2026-11-27',
  isTradingDay: true,
  openMs: at('2026-11-27T14:30:00Z'),
  closeMs: at(close),
  earlyClose: false,
  nowMs: 0,
});

describe('market time', () => {
  it('plans a regular session: first cycle 09:35, no entries from 15:00, flatten 15:50', () => {
    const plan = planDay(day('2026-11-27T21:00:00Z'), cfg);
    expect(new Date(plan.firstCycleMs).toISOString()).toBe('2026-11-27T14:35:00.000Z');
    expect(new Date(plan.noNewEntriesMs).toISOString()).toBe('2026-11-27T20:00:00.000Z');
    expect(new Date(plan.flattenMs).toISOString()).toBe('2026-11-27T20:50:00.000Z');
  });

  it('moves every deadline with an early close (13:00 ET)', () => {
    const plan = planDay(day('2026-11-27T18:00:00Z'), cfg);
    expect(new Date(plan.noNewEntriesMs).toISOString()).toBe('2026-11-27T17:00:00.000Z');
    expect(new Date(plan.flattenMs).toISOString()).toBe('2026-11-27T17:50:00.000Z');
  });

  it('never lets the entry cut-off fall after the flatten time', () => {
    const plan = planDay(day('2026-11-27T21:00:00Z'), { ...cfg, noNewEntriesBeforeCloseMinutes: 5 });
    expect(plan.noNewEntriesMs).toBe(plan.flattenMs);
  });

  it('aligns cycles to the schedule even when one ran late', () => {
    const plan = planDay(day('2026-11-27T21:00:00Z'), cfg);
    expect(nextCycleMs(plan, plan.firstCycleMs, 30) - plan.firstCycleMs).toBe(30 * 60_000);
    expect(nextCycleMs(plan, plan.firstCycleMs + 41 * 60_000, 30) - plan.firstCycleMs).toBe(60 * 60_000);
  });

  it('divides market time by speed for timers, never below 1 ms, and rejects a bad speed', () => {
    expect(marketToTimerMs(60_000, 600)).toBe(100);
    expect(marketToTimerMs(60_000, 1)).toBe(60_000);
    expect(marketToTimerMs(-5, 600)).toBe(1);
    expect(() => marketToTimerMs(1000, 0)).toThrow(/speed/);
    expect(() => marketToTimerMs(1000, Number.NaN)).toThrow(/speed/);
  });

  it('finds the next minute boundary', () => {
    expect(nextMinuteMs(at('2026-11-27T14:30:00Z'))).toBe(at('2026-11-27T14:31:00Z'));
    expect(nextMinuteMs(at('2026-11-27T14:30:59.999Z'))).toBe(at('2026-11-27T14:31:00Z'));
  });
});
