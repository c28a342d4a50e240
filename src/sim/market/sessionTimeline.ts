/**
 * One simulated trading session on the market clock: its date, open/close instants and the
 * minute grid that bars, quotes and fills are aligned to.
 */
import { nyTimeToUtcMs, sessionBoundsMs } from '../../domain/calendar';

export const MINUTE_MS = 60_000;

export interface Session {
  /** 0 = the simulator's first session; later sessions count trading days after it. */
  index: number;
  date: string;
  openMs: number;
  closeMs: number;
  /** New York midnight of the date: the timestamp Alpaca gives the session's daily bar. */
  dayStartMs: number;
  /** Regular-hours minutes: 390, or 210 on a 13:00 early close. */
  minutes: number;
}

export function makeSession(index: number, date: string): Session {
  const bounds = sessionBoundsMs(date);
  if (!bounds) throw new Error(`${date} is not a trading day`);
  return {
    index,
    date,
    ...bounds,
    dayStartMs: nyTimeToUtcMs(date, '00:00'),
    minutes: Math.round((bounds.closeMs - bounds.openMs) / MINUTE_MS),
  };
}

export const minuteStartMs = (s: Session, minute: number): number => s.openMs + minute * MINUTE_MS;

/** Minutes of the session fully in the past at `ms` (0 before the open, `minutes` after the close). */
export function completedMinutes(s: Session, ms: number): number {
  if (ms <= s.openMs) return 0;
  return Math.min(s.minutes, Math.floor((ms - s.openMs) / MINUTE_MS));
}
