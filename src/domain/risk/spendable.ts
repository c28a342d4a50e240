/**
 * The money entries may spend. Without margin (position_limits.margin_buying_power_pct 0) that is
 * the cash less every open buy order of the account, since those will take it when they fill. With
 * margin it is a share of the broker's buying power, which already nets the open orders.
 */
import { percentOf, toMicros, type Micros } from '../money';
import type { RiskContext, RiskLimits } from './types';

export interface Spendable {
  /** Decremented by each approval's notional. */
  left: Micros;
  /** How reasons name it: "cash", "buying power (50% share)" or "buying power". */
  label: string;
}

export function spendableOf(ctx: RiskContext, limits: RiskLimits): Spendable {
  const pct = limits.marginBuyingPowerPct;
  if (pct > 0) {
    return { left: percentOf(toMicros(ctx.buyingPower), pct), label: `buying power (${pct}% share)` };
  }
  // Callers that do not know the cash yet keep the old rule: the broker's buying power.
  if (ctx.cash === undefined) return { left: toMicros(ctx.buyingPower), label: 'buying power' };
  return { left: toMicros(ctx.cash) - toMicros(ctx.pendingBuyNotional ?? '0'), label: 'cash' };
}
