/**
 * Checks of what other processes send a running trading day (signal, update and query payloads).
 * Pure and deterministic, so they run in the workflow sandbox and in unit tests alike. Each check
 * returns its problem as one short line, or null; an offending value is quoted at most a few
 * dozen characters long, whatever its size.
 */
import { quoteValue } from '../domain/quoteValue';

/** Emergency-stop request ids the day keys outcomes by (the CLI's `cli-<uuid>`, the monitor's…). */
export const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,80}$/;

/** A decimal amount as the book reports it ("12.34", "-1.50"). */
const DECIMAL = /^-?\d{1,15}(\.\d{1,9})?$/;

const COUNTS = ['openPositions', 'openOrders', 'foreignPositions', 'foreignOrders', 'failedTicks'] as const;
const AMOUNTS = ['realizedPnl', 'unrealizedPnl', 'dailyPnl'] as const;

/**
 * The problems of a monitor report, or null when it is one the day can apply. A report carries
 * the book's counts and P&L into the status (and the P&L into a search attribute): a malformed
 * one must change nothing.
 */
export function monitorReportProblem(report: unknown): string | null {
  if (typeof report !== 'object' || report === null || Array.isArray(report))
    return `a monitor report must be an object (got ${quoteValue(report)})`;
  const r = report as Record<string, unknown>;
  const problems: string[] = [];
  const t = r.marketTimeMs;
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0)
    problems.push(`marketTimeMs must be epoch milliseconds (got ${quoteValue(t)})`);
  for (const key of COUNTS) {
    const v = r[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
      problems.push(`${key} must be a whole number ≥ 0 (got ${quoteValue(v)})`);
  }
  for (const key of AMOUNTS) {
    const v = r[key];
    if (typeof v !== 'string' || !DECIMAL.test(v))
      problems.push(`${key} must be a decimal string such as "-12.34" (got ${quoteValue(v)})`);
  }
  const closed = r.closedByMonitor;
  if (!Array.isArray(closed) || closed.some((s) => typeof s !== 'string'))
    problems.push(`closedByMonitor must be a list of symbols (got ${quoteValue(closed)})`);
  return problems.length ? `malformed monitor report: ${problems.join('; ')}` : null;
}

/** The problem of an emergency-stop request id asked about, or null. */
export function requestIdProblem(requestId: unknown): string | null {
  if (typeof requestId !== 'string') return `requestId must be a string (got ${quoteValue(requestId)})`;
  return REQUEST_ID.test(requestId)
    ? null
    : `requestId must be 1-80 letters, digits or _.:- (got ${quoteValue(requestId)})`;
}
