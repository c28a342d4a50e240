/**
 * The day's loss budget: what may still be lost today before the max daily loss, if every stop of
 * the open book and of this batch's approvals fills at its price. Today's P&L already counts what
 * was lost; the open stop risk is what the book can still lose without any new entry. An entry is
 * sized so its own stop loss fits in what is left, so a batch can never commit, together, more loss
 * than the limit allows:
 *
 *   dailyPnl − openStopRisk − Σ approved risk ≥ −maxDailyLoss.
 */
import { toMicros, type Micros } from '../money';
import { usd } from './sizePosition';
import type { RiskContext, RiskLimits } from './types';

export interface LossBudget {
  readonly maxDailyLoss: Micros;
  readonly dailyPnl: Micros;
  readonly openStopRisk: Micros;
  /** The risk of this batch's approvals so far. */
  approvedRisk: Micros;
}

export function lossBudgetOf(ctx: RiskContext, limits: RiskLimits): LossBudget {
  const openStopRisk = toMicros(ctx.openStopRisk ?? '0');
  return {
    maxDailyLoss: toMicros(limits.maxDailyLoss),
    dailyPnl: toMicros(ctx.dailyPnl),
    // A negative figure would enlarge the budget on the caller's say-so; stops only ever cost.
    openStopRisk: openStopRisk > 0n ? openStopRisk : 0n,
    approvedRisk: 0n,
  };
}

export const remainingLossBudget = (b: LossBudget): Micros =>
  b.maxDailyLoss + b.dailyPnl - b.openStopRisk - b.approvedRisk;

/** "P&L -$1,900.00, open stop risk $150.00, limit $2,000.00" (and this batch's risk once there is some). */
export function lossBudgetText(b: LossBudget): string {
  const batch = b.approvedRisk > 0n ? `, risk approved this batch ${usd(b.approvedRisk)}` : '';
  return `P&L ${usd(b.dailyPnl)}, open stop risk ${usd(b.openStopRisk)}${batch}, limit ${usd(b.maxDailyLoss)}`;
}
