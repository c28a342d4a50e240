/** How the simulator writes money, prices and instants on the wire (Alpaca's conventions). */
import type { Micros } from '../domain/money';
import { formatMicros } from '../domain/money';

/** Decimal string with at least 2 and at most 6 places, never through a float. */
export function dec(micros: Micros): string {
  return formatMicros(micros, 6).replace(/(\.\d\d\d*?)0+$/, '$1');
}

/** Whole-number string (quantities). */
export const qtyString = (qty: number): string => String(qty);

/** RFC 3339 UTC with milliseconds, as trading objects carry. */
export const isoUtc = (ms: number): string => new Date(ms).toISOString();

/** RFC 3339 UTC without a fractional part when it is zero, as market data carries. */
export const isoData = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

export const microsPerUnit = (unitsPerDollar: number): bigint => 1_000_000n / BigInt(unitsPerDollar);

export const unitsToMicros = (units: number, unitsPerDollar: number): Micros =>
  BigInt(units) * microsPerUnit(unitsPerDollar);

/** Price units → dollars as a JSON number (market data). */
export const unitsToNumber = (units: number, unitsPerDollar: number): number =>
  Math.round(units) / unitsPerDollar;

/** A ratio (P&L percentages) as a short decimal string. */
export function ratioString(numerator: Micros, denominator: Micros): string {
  if (denominator === 0n) return '0';
  const r = Number(numerator) / Number(denominator);
  const text = r.toFixed(10).replace(/\.?0+$/, '');
  return text === '-0' || text === '' ? '0' : text;
}
