/**
 * Fixed-fractional sizing: risk a set percent of equity per trade, where the risk of one share is
 * the distance from entry to stop. Whole shares only (bracket orders cannot be fractional), then
 * capped by the max position size, the money that may be spent and what is left of the day's loss
 * budget, and refused below the min position size. All money math is exact in micros; every cap
 * rounds the share count down.
 */
import { formatMicros, microsToDecimal, percentOf, toMicros, type Micros } from '../money';

export interface SizingInput {
  equity: string;
  /** The money that may be spent on this entry (cash or a share of the buying power). */
  buyingPower: string;
  /** How reasons name that money: "cash", "buying power (50% share)". Default "buying power". */
  spendableLabel?: string;
  entryPrice: string;
  stopPrice: string;
  /** Percent of equity at risk if the stop fills, e.g. 1.0. */
  riskPerTradePct: number;
  minPositionSize: string;
  maxPositionSize: string;
  /**
   * What the day's loss limit still allows to be lost: qty × (entry − stop) never exceeds it.
   * Absent: no such cap.
   */
  lossBudget?: string;
}

export type SizingLimit = 'risk' | 'max_position_size' | 'buying_power' | 'loss_budget';

export interface PositionSize {
  qty: number;
  /** qty × entry. */
  notional: string;
  /** qty × (entry − stop): the loss if the stop fills at its price. */
  riskAmount: string;
  /** equity × riskPerTradePct. */
  riskBudget: string;
  /** Which cap set the share count. */
  limitedBy: SizingLimit;
}

export interface SizingRejection {
  qty: 0;
  reason: string;
  /** The cap that left too few shares (absent when the inputs themselves are unusable). */
  binding?: SizingLimit;
}

export function sizePosition(input: SizingInput): PositionSize | SizingRejection {
  const size = sizeInMicros({
    equity: toMicros(input.equity),
    spendable: toMicros(input.buyingPower),
    spendableLabel: input.spendableLabel ?? 'buying power',
    entry: toMicros(input.entryPrice),
    stop: toMicros(input.stopPrice),
    riskPerTradePct: input.riskPerTradePct,
    minSize: toMicros(input.minPositionSize),
    maxSize: toMicros(input.maxPositionSize),
    lossBudget: input.lossBudget === undefined ? null : toMicros(input.lossBudget),
  });
  if (!('limitedBy' in size)) return size;
  return {
    qty: Number(size.qty),
    notional: microsToDecimal(size.notional),
    riskAmount: microsToDecimal(size.riskAmount),
    riskBudget: microsToDecimal(size.riskBudget),
    limitedBy: size.limitedBy,
  };
}

/** sizePosition's inputs in micros, for callers that already hold them (validateRisk sizes every candidate). */
export interface SizingMicros {
  equity: Micros;
  /** equity × riskPerTradePct, when the caller sizes many entries on one equity. */
  riskBudget?: Micros;
  spendable: Micros;
  spendableLabel: string;
  entry: Micros;
  stop: Micros;
  riskPerTradePct: number;
  minSize: Micros;
  maxSize: Micros;
  /** Null: no loss-budget cap. */
  lossBudget: Micros | null;
}

export interface SizeInMicros {
  qty: bigint;
  notional: Micros;
  riskAmount: Micros;
  riskBudget: Micros;
  limitedBy: SizingLimit;
}

export function sizeInMicros(input: SizingMicros): SizeInMicros | SizingRejection {
  const { equity, spendable, entry, stop, minSize, maxSize, lossBudget } = input;
  const prices = () => `(entry ${microsToDecimal(entry)}, stop ${microsToDecimal(stop)})`;
  if (!(input.riskPerTradePct > 0 && Number.isFinite(input.riskPerTradePct))) {
    return reject(`risk per trade must be a positive percent (got ${input.riskPerTradePct})`);
  }
  if (entry <= 0n) return reject(`entry price ${microsToDecimal(entry)} is not positive`);
  if (stop >= entry)
    return reject(`stop ${microsToDecimal(stop)} is not below entry ${microsToDecimal(entry)}`);
  if (equity <= 0n) return reject(`equity ${usd(equity)} leaves no risk budget`);

  const budget = input.riskBudget ?? percentOf(equity, input.riskPerTradePct);
  const perShareRisk = entry - stop;
  const caps: [SizingLimit, bigint][] = [
    ['risk', budget / perShareRisk],
    ['max_position_size', maxSize > 0n ? maxSize / entry : 0n],
    ['buying_power', spendable > 0n ? spendable / entry : 0n],
  ];
  if (lossBudget !== null) caps.push(['loss_budget', lossBudget > 0n ? lossBudget / perShareRisk : 0n]);
  // The first of equal caps names the limit, so "risk" wins ties: the budget is the intended size.
  const [limitedBy, qty] = caps.reduce((min, cap) => (cap[1] < min[1] ? cap : min));

  if (qty < 1n) {
    switch (limitedBy) {
      case 'risk':
        return reject(
          `risk budget ${usd(budget)} (${input.riskPerTradePct}% of equity) is less than one share's risk ${usd(perShareRisk)} ${prices()}`,
          limitedBy,
        );
      case 'max_position_size':
        return reject(`one share at ${usd(entry)} exceeds the max position size ${usd(maxSize)}`, limitedBy);
      case 'buying_power':
        return reject(
          `${input.spendableLabel} ${usd(spendable)} is less than one share at ${usd(entry)}`,
          limitedBy,
        );
      case 'loss_budget':
        return reject(
          `remaining daily loss budget ${usd(lossBudget!)} is less than one share's risk ${usd(perShareRisk)} ${prices()}`,
          limitedBy,
        );
    }
  }
  const notional: Micros = qty * entry;
  if (notional < minSize) {
    return reject(
      `position ${usd(notional)} (${qty} shares, limited by ${limitName(limitedBy, input.spendableLabel)}) is below the min position size ${usd(minSize)}`,
      limitedBy,
    );
  }
  return { qty, notional, riskAmount: qty * perShareRisk, riskBudget: budget, limitedBy };
}

const reject = (reason: string, binding?: SizingLimit): SizingRejection =>
  binding ? { qty: 0, reason, binding } : { qty: 0, reason };

/** A cap as people read it; the money cap under the name of the money actually spent. */
export const limitName = (limit: SizingLimit, spendableLabel = 'buying power'): string =>
  limit === 'buying_power' ? spendableLabel : limit.replace(/_/g, ' ');

/** "$1,234.50" / "-$20.00": for reasons people read. */
export function usd(micros: Micros): string {
  const negative = micros < 0n;
  const [whole, frac] = formatMicros(negative ? -micros : micros, 2).split('.');
  return `${negative ? '-' : ''}$${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}
