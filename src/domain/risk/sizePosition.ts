/**
 * Fixed-fractional sizing: risk a set percent of equity per trade, where the risk of one share is
 * the distance from entry to stop. Whole shares only (bracket orders cannot be fractional), then
 * capped by the max position size and the buying power, and refused below the min position size.
 * All money math is exact in micros; every cap rounds the share count down.
 */
import { formatMicros, microsToDecimal, percentOf, toMicros, type Micros } from '../money';

export interface SizingInput {
  equity: string;
  buyingPower: string;
  entryPrice: string;
  stopPrice: string;
  /** Percent of equity at risk if the stop fills, e.g. 1.0. */
  riskPerTradePct: number;
  minPositionSize: string;
  maxPositionSize: string;
}

export type SizingLimit = 'risk' | 'max_position_size' | 'buying_power';

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
}

export function sizePosition(input: SizingInput): PositionSize | SizingRejection {
  const equity = toMicros(input.equity);
  const buyingPower = toMicros(input.buyingPower);
  const entry = toMicros(input.entryPrice);
  const stop = toMicros(input.stopPrice);
  const minSize = toMicros(input.minPositionSize);
  const maxSize = toMicros(input.maxPositionSize);
  if (!(input.riskPerTradePct > 0 && Number.isFinite(input.riskPerTradePct))) {
    return reject(`risk per trade must be a positive percent (got ${input.riskPerTradePct})`);
  }
  if (entry <= 0n) return reject(`entry price ${input.entryPrice} is not positive`);
  if (stop >= entry) return reject(`stop ${input.stopPrice} is not below entry ${input.entryPrice}`);
  if (equity <= 0n) return reject(`equity ${usd(equity)} leaves no risk budget`);

  const budget = percentOf(equity, input.riskPerTradePct);
  const perShareRisk = entry - stop;
  const caps: [SizingLimit, bigint][] = [
    ['risk', budget / perShareRisk],
    ['max_position_size', maxSize > 0n ? maxSize / entry : 0n],
    ['buying_power', buyingPower > 0n ? buyingPower / entry : 0n],
  ];
  // The first of equal caps names the limit, so "risk" wins ties: the budget is the intended size.
  const [limitedBy, qty] = caps.reduce((min, cap) => (cap[1] < min[1] ? cap : min));

  if (qty < 1n) {
    switch (limitedBy) {
      case 'risk':
        return reject(
          `risk budget ${usd(budget)} (${input.riskPerTradePct}% of equity) is less than one share's risk ${usd(perShareRisk)} (entry ${input.entryPrice}, stop ${input.stopPrice})`,
        );
      case 'max_position_size':
        return reject(`one share at ${usd(entry)} exceeds the max position size ${usd(maxSize)}`);
      case 'buying_power':
        return reject(`buying power ${usd(buyingPower)} is less than one share at ${usd(entry)}`);
    }
  }
  const notional: Micros = qty * entry;
  if (notional < minSize) {
    return reject(
      `position ${usd(notional)} (${qty} shares, limited by ${limitedBy.replace(/_/g, ' ')}) is below the min position size ${usd(minSize)}`,
    );
  }
  return {
    qty: Number(qty),
    notional: microsToDecimal(notional),
    riskAmount: microsToDecimal(qty * perShareRisk),
    riskBudget: microsToDecimal(budget),
    limitedBy,
  };
}

const reject = (reason: string): SizingRejection => ({ qty: 0, reason });

/** "$1,234.50" / "-$20.00": for reasons people read. */
export function usd(micros: Micros): string {
  const negative = micros < 0n;
  const [whole, frac] = formatMicros(negative ? -micros : micros, 2).split('.');
  return `${negative ? '-' : ''}$${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}
