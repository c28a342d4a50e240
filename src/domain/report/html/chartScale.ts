/**
 * Where things go on the report's charts. Money becomes a float here and only here: a pixel
 * position, never an amount anyone adds up.
 */
import { nyTimeToUtcMs, sessionFor } from '../../calendar';

export interface LinearScale {
  (value: number): number;
  ticks: number[];
}

/** Round tick values (1, 2, 2.5, 5 × 10^n) spanning [min, max], about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const rough = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? rough;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step)
    ticks.push(Math.round(v / step) * step);
  return ticks;
}

/** A linear scale from a domain widened to round ticks onto [rangeFrom, rangeTo]. */
export function linearScale(values: number[], rangeFrom: number, rangeTo: number): LinearScale {
  let min = Math.min(0, ...values);
  let max = Math.max(0, ...values);
  if (min === max) {
    min -= 1;
    max += 1;
  }
  const ticks = niceTicks(min, max);
  const lo = Math.min(min, ticks[0]!);
  const hi = Math.max(max, ticks.at(-1)!);
  const scale = ((v: number) => rangeFrom + ((v - lo) / (hi - lo)) * (rangeTo - rangeFrom)) as LinearScale;
  scale.ticks = ticks;
  return scale;
}

/**
 * Market time on an x axis of trading sessions laid side by side: each date of the range gets an
 * equal width from its open to its close, so a range reads as days and one day as its hours.
 */
export interface SessionAxis {
  x(iso: string, tradingDate: string): number;
  /** The x of a New York wall time (HH:MM) on a date. */
  at(tradingDate: string, hhmm: string): number;
  dates: string[];
  openOf(tradingDate: string): number;
  closeOf(tradingDate: string): number;
}

export function sessionAxis(dates: readonly string[], left: number, right: number): SessionAxis {
  const sorted = [...new Set(dates)].sort();
  const width = (right - left) / Math.max(1, sorted.length);
  const bounds = (date: string): { openMs: number; closeMs: number } => {
    const session = sessionFor(date);
    const open = nyTimeToUtcMs(date, session?.open ?? '09:30');
    const close = nyTimeToUtcMs(date, session?.close ?? '16:00');
    return { openMs: open, closeMs: close };
  };
  const slot = (date: string): number => Math.max(0, sorted.indexOf(date));
  const place = (date: string, ms: number): number => {
    const { openMs, closeMs } = bounds(date);
    const f = Math.min(1, Math.max(0, (ms - openMs) / (closeMs - openMs)));
    return left + (slot(date) + f) * width;
  };
  return {
    x: (iso, date) => place(date, Date.parse(iso)),
    at: (date, hhmm) => place(date, nyTimeToUtcMs(date, hhmm)),
    dates: sorted,
    openOf: (date) => left + slot(date) * width,
    closeOf: (date) => left + (slot(date) + 1) * width,
  };
}
