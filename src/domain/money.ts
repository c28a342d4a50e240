/**
 * Money as integer micro-units (1 unit = 1e-6 dollars) in bigint, so sums of prices and
 * quantities never round a cent. Decimal strings at every boundary (broker, database, workflow).
 */
export type Micros = bigint;

const SCALE = 6;
const FACTOR = 10n ** BigInt(SCALE);
const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** Parses a decimal string (or a finite number, via its shortest decimal form) into micros. Throws on anything else. */
export function toMicros(value: string | number): Micros {
  const text = typeof value === 'number' ? numberToDecimal(value) : value.trim();
  const m = DECIMAL.exec(text);
  if (!m) throw new Error(`not a decimal amount: ${JSON.stringify(value)}`);
  const [, sign, whole, frac = ''] = m;
  // Round half away from zero at the 7th decimal: brokers send at most 9 places.
  const padded = (frac + '0'.repeat(SCALE + 1)).slice(0, SCALE + 1);
  let micros = BigInt(whole!) * FACTOR + BigInt(padded.slice(0, SCALE));
  if (Number(padded[SCALE]) >= 5) micros += 1n;
  return sign ? -micros : micros;
}

function numberToDecimal(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite amount: ${n}`);
  // toFixed(9) avoids exponent notation for small/large magnitudes.
  return n.toFixed(9);
}

/** Formats micros as a decimal string with `places` decimals (default 2), rounding half away from zero. */
export function formatMicros(micros: Micros, places = 2): string {
  if (places < 0 || places > SCALE) throw new Error(`places must be 0..${SCALE}`);
  const negative = micros < 0n;
  let abs = negative ? -micros : micros;
  const drop = 10n ** BigInt(SCALE - places);
  if (drop > 1n) {
    const rem = abs % drop;
    abs = abs - rem + (rem * 2n >= drop ? drop : 0n);
  }
  const whole = abs / FACTOR;
  const frac = (abs % FACTOR).toString().padStart(SCALE, '0').slice(0, places);
  const body = places > 0 ? `${whole}.${frac}` : `${whole}`;
  return negative && abs !== 0n ? `-${body}` : body;
}

/** Canonical decimal string of an amount, keeping up to 6 places without trailing zeros beyond cents. */
export function normalizeDecimal(value: string | number): string {
  const micros = toMicros(value);
  const full = formatMicros(micros, SCALE);
  return full.replace(/(\.\d\d\d*?)0+$/, '$1');
}

export const microsToNumber = (micros: Micros): number => Number(micros) / 1e6;

/** price × integer quantity, exact. */
export function notional(price: string, qty: number | string): Micros {
  const q = typeof qty === 'number' ? qty : Number(qty);
  if (!Number.isSafeInteger(q)) throw new Error(`quantity must be a whole number of shares: ${qty}`);
  return toMicros(price) * BigInt(q);
}

export const sumMicros = (values: Iterable<Micros>): Micros => {
  let total = 0n;
  for (const v of values) total += v;
  return total;
};

/**
 * Rounds a price to the broker's tick: cents at or above $1, 4 decimals below; `nearest` is half-up.
 * It rounds the price's decimal reading (15 significant digits, which drops binary noise), never
 * the binary value: 1.005 is stored as 1.00499999999999989…, and rounding that would give 1.00.
 */
export function roundPrice(price: number, direction: 'nearest' | 'down' | 'up' = 'nearest'): string {
  if (!Number.isFinite(price) || price < 0)
    throw new RangeError(`a price must be a finite number ≥ 0: ${price}`);
  const places = price >= 1 ? 2 : 4;
  const text = price.toPrecision(15);
  const [whole = '0', fraction = ''] = (text.includes('e') ? price.toFixed(20) : text).split('.');
  const kept = BigInt(whole + fraction.padEnd(places, '0').slice(0, places));
  const rest = fraction.slice(places).replace(/0+$/, '');
  const half = rest !== '' && rest[0]! >= '5';
  const up = direction === 'up' ? rest !== '' : direction === 'nearest' ? half : false;
  const units = (up ? kept + 1n : kept).toString().padStart(places + 1, '0');
  return `${units.slice(0, -places)}.${units.slice(-places)}`;
}

/** Exact decimal string of micros: all significant places kept, at least cents (e.g. "96.00", "12.3456"). */
export const microsToDecimal = (micros: Micros): string => normalizeDecimal(formatMicros(micros, SCALE));

/** amount × pct / 100 with pct in percent (1.5 = 1.5 %), truncated toward zero to a micro so a budget is never overstated. */
export function percentOf(amount: Micros, pct: number | string): Micros {
  return (amount * toMicros(pct)) / (100n * FACTOR);
}

export function minMicros(first: Micros, ...rest: Micros[]): Micros {
  return rest.reduce((min, v) => (v < min ? v : min), first);
}

export function maxMicros(first: Micros, ...rest: Micros[]): Micros {
  return rest.reduce((max, v) => (v > max ? v : max), first);
}
