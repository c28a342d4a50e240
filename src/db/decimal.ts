/**
 * Decimal strings at the database boundary. PostgreSQL's numeric accepts 'NaN', 'Infinity' and
 * exponent forms that no amount should ever be, so amounts are checked here, where the error can
 * still name the field, instead of surfacing later as a nonsense P&L.
 */
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** A money amount, price or quantity: a plain decimal string such as '-12.5' or '100'. */
export type DecimalString = string;

export function decimal(value: DecimalString, field: string): string {
  if (typeof value !== 'string' || !DECIMAL.test(value.trim())) {
    throw new TypeError(`${field} must be a decimal string such as '12.34', got ${JSON.stringify(value)}`);
  }
  return value.trim();
}

export function optionalDecimal(
  value: DecimalString | null | undefined,
  field: string,
): string | null | undefined {
  return value == null ? value : decimal(value, field);
}

/**
 * Scores, percentages and ratios come out of float arithmetic; they are accepted as numbers and
 * rounded by the column's scale. Only non-finite values are refused.
 */
export function measure(value: number | string | null | undefined, field: string): string | null | undefined {
  if (value == null) return value;
  if (typeof value === 'string') return decimal(value, field);
  if (!Number.isFinite(value)) throw new TypeError(`${field} must be a finite number, got ${value}`);
  // toFixed avoids exponent notation (1e-7), which is valid SQL but not a decimal string.
  return value.toFixed(10);
}
