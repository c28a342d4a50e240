/** Small builders of a trading record for the go-live rules' tests. */
import type { ClosedTrade, RecordedDay } from '../../../src/domain/goLive';
import { toMicros } from '../../../src/domain/money';

export const PAPER_ACCOUNT = 'acct-paper';

/** `2026-11-02` plus n weekdays. */
export function tradingDate(n: number): string {
  const d = new Date(Date.UTC(2026, 10, 2));
  for (let left = n; left > 0;) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) left -= 1;
  }
  return d.toISOString().slice(0, 10);
}

export function day(
  tradingDate: string,
  venue: 'sim' | 'paper' | 'live' = 'paper',
  p: Partial<RecordedDay> = {},
): RecordedDay {
  const suffix = venue === 'sim' ? 'sim' : `${venue}-PA123`;
  return {
    workflowId: `trading-day-${tradingDate}-${suffix}`,
    tradingDate,
    accountId: venue === 'sim' ? 'acct-sim' : venue === 'live' ? 'acct-live' : PAPER_ACCOUNT,
    status: 'completed',
    openPositionsAtClose: 0,
    openOrdersAtClose: 0,
    ...p,
  };
}

let seq = 0;
/** A closed trade of `pnl` dollars, closed at minute `minute` of its day. */
export function trade(
  pnl: string,
  tradingDate = '2026-11-02',
  minute = seq,
  accountId = PAPER_ACCOUNT,
): ClosedTrade {
  seq += 1;
  return {
    id: seq,
    accountId,
    tradingDate,
    realizedPnl: toMicros(pnl),
    closedAtMs: Date.parse(`${tradingDate}T14:30:00Z`) + minute * 60_000,
  };
}

/** n trades of `pnl` each. */
export const trades = (n: number, pnl: string, tradingDate?: string): ClosedTrade[] =>
  Array.from({ length: n }, () => trade(pnl, tradingDate));
