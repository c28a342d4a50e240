/**
 * The day's gates: conditions under which no entry at all may be placed, whatever the candidate.
 * They are judged before anything else. The loss-budget gate is judged again for each candidate,
 * since the batch's own approvals can use the budget up.
 */
import { toMicros } from '../money';
import { instantText } from './format';
import { lossBudgetText, remainingLossBudget, type LossBudget } from './lossBudget';
import { usd } from './sizePosition';
import type { RiskContext } from './types';

/** FINRA's minimum equity for a pattern day trader's day trades. */
export const PATTERN_DAY_TRADER_MIN_EQUITY = '25000';

/** The reasons every entry of this batch is refused; empty when entries may be judged. */
export function dayGates(ctx: RiskContext): string[] {
  const gates: string[] = [];
  if (ctx.halted) gates.push('trading is halted (emergency stop or cooldown)');
  const cooldown = cooldownGate(ctx);
  if (cooldown) gates.push(cooldown);
  if (!ctx.entriesAllowed) gates.push('no new entries: past the no-new-entries cut-off or entries paused');
  if (ctx.tradingBlocked) gates.push('the broker account is blocked from trading');
  const equity = toMicros(ctx.equity);
  if (ctx.patternDayTrader && equity < toMicros(PATTERN_DAY_TRADER_MIN_EQUITY)) {
    gates.push(
      `pattern day trader with equity ${usd(equity)} below $25,000: day trades are not allowed, and every entry is one`,
    );
  }
  return gates;
}

/** The day's loss limit reached, or its budget used up by open stops and earlier approvals. */
export function lossBudgetGate(budget: LossBudget): string | null {
  if (budget.dailyPnl <= -budget.maxDailyLoss) {
    return `daily loss limit reached: P&L ${usd(budget.dailyPnl)} at or below ${usd(-budget.maxDailyLoss)}`;
  }
  if (remainingLossBudget(budget) <= 0n) return `daily loss budget used up: ${lossBudgetText(budget)}`;
  return null;
}

function cooldownGate(ctx: RiskContext): string | null {
  const until = ctx.cooldownUntilMs;
  if (until === undefined || until === null) return null;
  // Without the time the cooldown may still be running: refusing is the safe side.
  if (ctx.nowMs === undefined || !Number.isFinite(ctx.nowMs)) {
    return `cooldown after an emergency stop until ${instantText(until)}, and the current time is not known`;
  }
  if (!(ctx.nowMs >= until)) return `cooldown after an emergency stop until ${instantText(until)}`;
  return null;
}
