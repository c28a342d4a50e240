/**
 * The realized equity curve: cumulative realized P&L after each closing fill, and how far each
 * point stands below its day's peak. The max intraday drawdown is the largest such fall: each day
 * starts its peak at the equity it opened with, so a loss on Tuesday is not measured from
 * Monday's high.
 */
import { formatMicros, microsToDecimal, type Micros } from '../money';
import type { TimelineStep } from './fillTimeline';
import type { EquityPoint } from './reportTypes';

export interface EquityCurve {
  points: EquityPoint[];
  maxIntradayDrawdown: string;
}

export function equityCurve(timeline: readonly TimelineStep[]): EquityCurve {
  const points: EquityPoint[] = [];
  let equity: Micros = 0n;
  let day: string | null = null;
  let peak: Micros = 0n;
  let worst: Micros = 0n;
  for (const step of timeline) {
    if (step.fill.side !== 'sell') continue;
    if (step.tradingDate !== day) {
      day = step.tradingDate;
      peak = equity;
    }
    equity += step.realized;
    if (equity > peak) peak = equity;
    const drawdown = peak - equity;
    if (drawdown > worst) worst = drawdown;
    points.push({
      at: step.fill.filledAt,
      tradingDate: step.tradingDate,
      symbol: step.fill.symbol,
      pnl: microsToDecimal(step.realized),
      equity: microsToDecimal(equity),
      drawdown: microsToDecimal(drawdown),
    });
  }
  return { points, maxIntradayDrawdown: formatMicros(worst, 2) };
}
