/**
 * The backtest summary: the figures a trader compares run to run (trades, win rate, realized P&L,
 * gross profit and loss, max drawdown, profit factor), computed from round trips exact to the
 * micro and rounded only when formatted, so two runs differ by a cent only when their trades do.
 */
import { formatMicros, toMicros, type Micros } from '../money';
import type { RoundTrip } from '../positions/roundTrips';

export interface BacktestStats {
  /** Round trips with anything closed (closedQty > 0), in the order they closed (closedAt, then entryClientOrderId). */
  trades: number;
  /** Trades with realized P&L > 0. */
  wins: number;
  /** Trades with realized P&L < 0 (breakeven counts as neither). */
  losses: number;
  /** Sum of realized P&L, 2 decimals. */
  realizedPnl: string;
  /** wins / trades rounded to 4 decimals; 0 when there are no trades. */
  winRate: number;
  /** Sum of the winning trades' P&L, 2 decimals. */
  grossProfit: string;
  /** Sum of the losing trades' P&L as a positive amount, 2 decimals. */
  grossLoss: string;
  /** Largest peak-to-trough fall of cumulative realized P&L across the trades in close order, starting from 0; "0.00" if it never falls. */
  maxDrawdown: string;
  /** grossProfit / grossLoss rounded to 4 decimals; null when there are no losses (the ratio is undefined). */
  profitFactor: number | null;
}

/** Trades in the order they closed. A partly closed trip (closedAt still null) sorts after every dated close. */
function byClose(a: RoundTrip, b: RoundTrip): number {
  if (a.closedAt !== b.closedAt) {
    if (a.closedAt === null) return 1;
    if (b.closedAt === null) return -1;
    return a.closedAt < b.closedAt ? -1 : 1;
  }
  return a.entryClientOrderId < b.entryClientOrderId
    ? -1
    : a.entryClientOrderId > b.entryClientOrderId
      ? 1
      : 0;
}

/** numerator / denominator (both ≥ 0, denominator > 0) rounded half up to 4 decimals, exact until the final division. */
function ratio4(numerator: bigint, denominator: bigint): number {
  const scaled = (numerator * 20_000n + denominator) / (2n * denominator);
  return Number(scaled) / 10_000;
}

export function backtestStats(trips: readonly RoundTrip[]): BacktestStats {
  const trades = trips.filter((t) => t.closedQty > 0).sort(byClose);
  let wins = 0;
  let losses = 0;
  let profit: Micros = 0n;
  let loss: Micros = 0n;
  let cumulative: Micros = 0n;
  let peak: Micros = 0n;
  let drawdown: Micros = 0n;
  for (const t of trades) {
    const pnl = toMicros(t.realizedPnl);
    if (pnl > 0n) {
      wins += 1;
      profit += pnl;
    } else if (pnl < 0n) {
      losses += 1;
      loss -= pnl;
    }
    cumulative += pnl;
    if (cumulative > peak) peak = cumulative;
    if (peak - cumulative > drawdown) drawdown = peak - cumulative;
  }
  return {
    trades: trades.length,
    wins,
    losses,
    realizedPnl: formatMicros(cumulative, 2),
    winRate: trades.length === 0 ? 0 : ratio4(BigInt(wins), BigInt(trades.length)),
    grossProfit: formatMicros(profit, 2),
    grossLoss: formatMicros(loss, 2),
    maxDrawdown: formatMicros(drawdown, 2),
    profitFactor: loss === 0n ? null : ratio4(profit, loss),
  };
}
