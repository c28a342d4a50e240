/**
 * The trade figures: how many trades, how many won, the P&L total and average, the largest win
 * and loss, and the profit factor. A trade counts once anything of it closed; a breakeven is
 * neither a win nor a loss. Sums are exact in micro-units and rounded to the cent only when
 * formatted, so the total is the fills' own to the cent.
 */
import { formatMicros, toMicros, type Micros } from '../money';
import { EXIT_REASONS, type ExitReason } from './exitReason';
import type { Trade } from './reportTypes';

export interface TradeStats {
  trades: number;
  openTrades: number;
  wins: number;
  losses: number;
  winRate: number | null;
  totalPnl: string;
  averagePnl: string | null;
  largestWin: string | null;
  largestLoss: string | null;
  grossProfit: string;
  grossLoss: string;
  profitFactor: number | null;
  exitReasons: Record<ExitReason, number>;
}

/** numerator / denominator (both ≥ 0, denominator > 0) rounded half up to 4 decimals, exact until the division. */
export function ratio4(numerator: bigint, denominator: bigint): number {
  return Number((numerator * 20_000n + denominator) / (2n * denominator)) / 10_000;
}

/** A micro amount divided by a count, rounded half away from zero to the micro. */
function divideMicros(total: Micros, count: number): Micros {
  const n = BigInt(count);
  const half = total >= 0n ? n / 2n : -(n / 2n);
  return (total + half) / n;
}

export function tradeStats(trades: readonly Trade[]): TradeStats {
  const closed = trades.filter((t) => t.closedQuantity > 0);
  let wins = 0;
  let losses = 0;
  let profit: Micros = 0n;
  let loss: Micros = 0n;
  let best: Micros | null = null;
  let worst: Micros | null = null;
  const exitReasons = Object.fromEntries(EXIT_REASONS.map((r) => [r, 0])) as Record<ExitReason, number>;
  for (const t of closed) {
    const pnl = toMicros(t.realizedPnl);
    if (pnl > 0n) {
      wins += 1;
      profit += pnl;
      if (best === null || pnl > best) best = pnl;
    } else if (pnl < 0n) {
      losses += 1;
      loss -= pnl;
      if (worst === null || pnl < worst) worst = pnl;
    }
    if (t.exitReason) exitReasons[t.exitReason] += 1;
  }
  const total = profit - loss;
  return {
    trades: closed.length,
    openTrades: trades.filter((t) => t.openQuantity > 0).length,
    wins,
    losses,
    winRate: closed.length === 0 ? null : ratio4(BigInt(wins), BigInt(closed.length)),
    totalPnl: formatMicros(total, 2),
    averagePnl: closed.length === 0 ? null : formatMicros(divideMicros(total, closed.length), 2),
    largestWin: best === null ? null : formatMicros(best, 2),
    largestLoss: worst === null ? null : formatMicros(worst, 2),
    grossProfit: formatMicros(profit, 2),
    grossLoss: formatMicros(loss, 2),
    profitFactor: loss === 0n ? null : ratio4(profit, loss),
    exitReasons,
  };
}
