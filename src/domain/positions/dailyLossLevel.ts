/** Where the day's P&L stands against the loss limit: the warning threshold, then the hard limit. */
import { toMicros } from '../money';

export type DailyLossLevel = 'ok' | 'warning' | 'limit';

export function dailyLossLevel(dailyPnl: string, maxLoss: string, warningPct: number): DailyLossLevel {
  const loss = -toMicros(dailyPnl);
  const limit = toMicros(maxLoss);
  if (limit <= 0n || loss <= 0n) return 'ok';
  if (loss >= limit) return 'limit';
  // The threshold may be fractional (75.5 %): compare in micro-percent, exactly.
  return loss * 100_000_000n >= limit * toMicros(warningPct) ? 'warning' : 'ok';
}
