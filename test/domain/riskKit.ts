/** Builders for the risk manager's inputs shared by the risk tests. */
import type { DatedClose, RiskContext } from '../../src/domain/risk';

const DAY_MS = 86_400_000;

/** Closes on consecutive calendar days from `start` (default 2026-01-01), oldest first. */
export function dated(closes: readonly number[], start = '2026-01-01'): DatedClose[] {
  const t0 = Date.parse(`${start}T00:00:00Z`);
  return closes.map((close, i) => ({ date: new Date(t0 + i * DAY_MS).toISOString().slice(0, 10), close }));
}

/** A $100,000 account with nothing open, no loss today and entries allowed. */
export const EMPTY_BOOK: RiskContext = {
  equity: '100000.00',
  buyingPower: '200000.00',
  dailyPnl: '0',
  openPositions: [],
  openOrderSymbols: [],
  halted: false,
  entriesAllowed: true,
};
