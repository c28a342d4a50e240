/**
 * Stop-loss and take-profit prices of a bracket entry. Percent stops by default (2 % / 6 %, a 3:1
 * reward to risk); with an ATR the stop sits `atrMultiplier` ATRs away and the target keeps the
 * same reward-to-risk ratio as the percent settings, so switching methods never changes the edge
 * the trader configured.
 */
import { formatMicros, microsToDecimal, microsToNumber, roundPrice, toMicros, type Micros } from '../money';

export interface BracketInput {
  entryPrice: string;
  side: 'buy';
  /** Percent below entry, e.g. 2.0. */
  stopLossPct: number;
  /** Percent above entry, e.g. 6.0. */
  takeProfitPct: number;
  /** Average true range in dollars; used when positive and finite. */
  atr?: number | null;
  atrMultiplier?: number;
}

export interface BracketPrices {
  stopPrice: string;
  takeProfitPrice: string;
  method: 'percent' | 'atr';
}

export const DEFAULT_ATR_MULTIPLIER = 1.5;
/** Alpaca rejects bracket legs closer than one cent to the entry. */
const MIN_LEG_DISTANCE: Micros = 10_000n;

export function bracketPrices(input: BracketInput): BracketPrices {
  const { stop, target, method } = bracketInMicros({ ...input, entry: toMicros(input.entryPrice) });
  return { stopPrice: priceText(stop), takeProfitPrice: priceText(target), method };
}

export type BracketMicrosInput = Omit<BracketInput, 'entryPrice'> & { entry: Micros };

/** The same legs in micros, for callers that compute with them (validateRisk judges every candidate). */
export function bracketInMicros(input: BracketMicrosInput): {
  stop: Micros;
  target: Micros;
  method: 'percent' | 'atr';
} {
  const { entry: entryMicros, side, stopLossPct, takeProfitPct } = input;
  if (side !== 'buy')
    throw new RangeError(`bracketPrices: only buy entries are supported (got ${String(side)})`);
  if (entryMicros <= MIN_LEG_DISTANCE) {
    throw new RangeError(
      `bracketPrices: entry price must be above $0.01 (got ${microsToDecimal(entryMicros)})`,
    );
  }
  if (!(stopLossPct > 0 && stopLossPct < 100)) {
    throw new RangeError(
      `bracketPrices: stopLossPct must be between 0 and 100, exclusive (got ${stopLossPct})`,
    );
  }
  if (!(takeProfitPct > 0 && Number.isFinite(takeProfitPct))) {
    throw new RangeError(`bracketPrices: takeProfitPct must be a positive number (got ${takeProfitPct})`);
  }
  const multiplier = input.atrMultiplier ?? DEFAULT_ATR_MULTIPLIER;
  if (!(multiplier > 0 && Number.isFinite(multiplier))) {
    throw new RangeError(`bracketPrices: atrMultiplier must be a positive number (got ${multiplier})`);
  }

  const entry = microsToNumber(entryMicros);
  const useAtr = typeof input.atr === 'number' && Number.isFinite(input.atr) && input.atr > 0;
  const stopDistance = useAtr ? input.atr! * multiplier : (entry * stopLossPct) / 100;
  const targetDistance = useAtr
    ? stopDistance * (takeProfitPct / stopLossPct)
    : (entry * takeProfitPct) / 100;
  if (stopDistance >= entry) {
    throw new RangeError(
      `bracketPrices: stop distance ${stopDistance.toFixed(4)} (${input.atr} ATR × ${multiplier}) is not below the entry ${microsToDecimal(entryMicros)}`,
    );
  }

  // Round away from the entry: the stop never tighter, the target never nearer than configured.
  let stop = toMicros(roundPrice(entry - stopDistance, 'down'));
  if (stop > entryMicros - MIN_LEG_DISTANCE)
    stop = toMicros(roundPrice(microsToNumber(entryMicros - MIN_LEG_DISTANCE), 'down'));
  if (stop <= 0n)
    throw new RangeError(`bracketPrices: no positive stop price below entry ${microsToDecimal(entryMicros)}`);
  let target = toMicros(roundPrice(entry + targetDistance, 'up'));
  if (target < entryMicros + MIN_LEG_DISTANCE)
    target = toMicros(roundPrice(microsToNumber(entryMicros + MIN_LEG_DISTANCE), 'up'));

  return { stop, target, method: useAtr ? 'atr' : 'percent' };
}

/** A price already on the tick, as the broker takes it: cents at or above $1, 4 decimals below. */
export const priceText = (price: Micros): string => formatMicros(price, price >= 1_000_000n ? 2 : 4);
