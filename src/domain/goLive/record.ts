/**
 * The paper-trading record as the checklist reads it: the trading_days rows, the closed
 * positions and the emergency stops. Only paper days count: a simulator's days prove nothing
 * about a real broker, and live days come after the checklist, not before it.
 */
import type { Micros } from '../money';

export type DayVenue = 'simulator' | 'paper' | 'live' | 'unknown';

export interface RecordedDay {
  workflowId: string;
  tradingDate: string;
  accountId: string;
  status: 'running' | 'completed' | 'market_closed' | 'failed' | 'cancelled';
  openPositionsAtClose: number | null;
  openOrdersAtClose: number | null;
}

export interface ClosedTrade {
  /** The position's row id: orders trades closed in the same instant. */
  id: number;
  accountId: string;
  tradingDate: string;
  realizedPnl: Micros;
  closedAtMs: number | null;
}

export interface EmergencyStopEvent {
  eventKey: string;
  tradingDate: string;
  /** The venue a stop with no day running flattened (its details say); null otherwise. */
  venue: string | null;
}

export interface TradingRecord {
  days: RecordedDay[];
  trades: ClosedTrade[];
  emergencyStops: EmergencyStopEvent[];
}

// The ids of src/shared.ts tradingDayWorkflowId: `-sim[-run]`, `-paper-<account>`, `-live-<account>`.
const DAY_ID =
  /^trading-day-\d{4}-\d{2}-\d{2}-(sim(?:-[A-Za-z0-9-]+)?|paper-[A-Za-z0-9]+|live-[A-Za-z0-9]+)$/;

/** The venue a day ran on, read from its workflow id; ids of another shape (tests, replays) are unknown. */
export function venueOfWorkflowId(workflowId: string): DayVenue {
  const m = DAY_ID.exec(workflowId);
  if (!m) return 'unknown';
  const key = m[1]!;
  return key.startsWith('sim') ? 'simulator' : key.startsWith('paper-') ? 'paper' : 'live';
}

const dayKey = (accountId: string, tradingDate: string): string => `${accountId}|${tradingDate}`;

/** The part of the record that happened on paper: its days, their trades, and the stops made there. */
export function paperRecord(record: TradingRecord): TradingRecord {
  const days = record.days.filter((d) => venueOfWorkflowId(d.workflowId) === 'paper');
  // A position belongs to a day through its account and date (positions carry no workflow id).
  const keys = new Set(days.map((d) => dayKey(d.accountId, d.tradingDate)));
  const trades = record.trades.filter((t) => keys.has(dayKey(t.accountId, t.tradingDate)));
  const prefixes = days.map((d) => `${d.workflowId}/`);
  const emergencyStops = record.emergencyStops.filter(
    (e) => e.venue === 'paper' || prefixes.some((p) => e.eventKey.startsWith(p)),
  );
  return { days, trades, emergencyStops };
}
