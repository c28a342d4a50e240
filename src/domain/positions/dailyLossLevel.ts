/** Where the day's P&L stands against the loss limit: the warning threshold, then the hard limit. */
import { toMicros } from '../money';

export type DailyLossLevel = 'ok' | 'warning' | 'limit';

export function dailyLossLevel(dailyPnl: string, maxLoss: string, warningPct: number): DailyLossLevel {
  const loss = -toMicros(dailyPnl);
  const limit = toMicros(maxLoss);
  if (limit <= 0n || loss <= 0n) return 'ok';
  if (loss >= limit) return 'limit';
  return loss * 100n >= limit * BigInt(Math.round(warningPct)) ? 'warning' : 'ok';
}
