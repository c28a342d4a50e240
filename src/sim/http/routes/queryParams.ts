/**
 * Query parameters of the market data endpoints, with the data API's error conventions (seen on
 * data.alpaca.markets): an unexpected or missing parameter is 400 {code 40010000, "unexpected
 * parameter(s): …"}; a value it cannot use is 422 {code 42210000, e.g. "invalid timeframe"}.
 */
import { nyTimeToUtcMs } from '../../../domain/calendar';
import { SimHttpError } from '../../venue/errors';

export const DATA_BAD_REQUEST = 40010000;
export const DATA_UNPROCESSABLE = 42210000;

export const badParams = (message: string): SimHttpError => new SimHttpError(400, DATA_BAD_REQUEST, message);
export const invalidParam = (message: string): SimHttpError =>
  new SimHttpError(422, DATA_UNPROCESSABLE, message);

/** Rejects parameters the endpoint does not know, as Alpaca does. */
export function expectOnly(q: URLSearchParams, allowed: readonly string[]): void {
  const unexpected = [...new Set(q.keys())].filter((k) => !allowed.includes(k));
  if (unexpected.length > 0) throw badParams(`unexpected parameter(s): ${unexpected.join(', ')}`);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/** RFC 3339 or YYYY-MM-DD (New York midnight, or the day's last millisecond for an end). */
export function instantParam(q: URLSearchParams, name: string, endOfDay = false): number | null {
  const text = q.get(name);
  if (text === null || text === '') return null;
  if (DATE_ONLY.test(text)) {
    try {
      return endOfDay ? nyTimeToUtcMs(text, '23:59:59') + 999 : nyTimeToUtcMs(text, '00:00');
    } catch {
      throw invalidParam(`invalid ${name}: ${JSON.stringify(text)}`);
    }
  }
  const ms = RFC3339.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms))
    throw invalidParam(`invalid ${name}: ${JSON.stringify(text)} (expected RFC 3339 or YYYY-MM-DD)`);
  return ms;
}

export function checkRange(start: number | null, end: number | null): void {
  if (start !== null && end !== null && end < start) throw invalidParam('end should not be before start');
}

/** Comma-separated, upper-cased, de-duplicated and sorted (responses are sorted by symbol). */
export function symbolsParam(q: URLSearchParams, required: boolean): string[] | null {
  const text = q.get('symbols');
  const list = [
    ...new Set(
      (text ?? '')
        .split(',')
        .map((s) => s.trim().toUpperCase())
        .filter((s) => s.length > 0),
    ),
  ].sort();
  if (list.length === 0) {
    if (required) throw badParams('missing symbols');
    return null;
  }
  const bad = list.find((s) => !/^[A-Z0-9./:-]{1,21}$/.test(s));
  if (bad !== undefined) throw invalidParam(`invalid symbol: ${JSON.stringify(bad)}`);
  return list;
}

export function intParam(
  q: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const text = q.get(name);
  if (text === null || text === '') return fallback;
  const n = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max)
    throw invalidParam(
      `invalid ${name}: ${JSON.stringify(text)} (expected an integer from ${min} to ${max})`,
    );
  return n;
}

export function enumParam<T extends string>(
  q: URLSearchParams,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const text = q.get(name);
  if (text === null || text === '') return fallback;
  const value = text.toLowerCase();
  if (!(allowed as readonly string[]).includes(value))
    throw invalidParam(`invalid ${name}: ${JSON.stringify(text)} (expected one of ${allowed.join(', ')})`);
  return value as T;
}

export function boolParam(q: URLSearchParams, name: string): boolean {
  const text = q.get(name);
  if (text === null || text === '') return false;
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw invalidParam(`invalid ${name}: ${JSON.stringify(text)} (expected true or false)`);
}

/** Page tokens are opaque base64url JSON; `check` says whether a decoded value is one of ours. */
export function encodePageToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function pageTokenParam<T>(q: URLSearchParams, check: (v: unknown) => v is T): T | null {
  const text = q.get('page_token');
  if (text === null || text === '') return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (check(value)) return value;
  } catch {
    // reported below
  }
  throw invalidParam('invalid page_token');
}

export const FEEDS = ['iex', 'sip', 'otc', 'boats', 'delayed_sip', 'overnight'] as const;
export const ADJUSTMENTS = ['raw', 'split', 'dividend', 'spin-off', 'all'] as const;
