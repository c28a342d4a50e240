/** Rows for the report's rules: a day on 2026-11-24 (a Tuesday, 09:30–16:00 New York = 14:30–21:00 UTC). */
import type {
  ReportCandidateRow,
  ReportCycleRow,
  ReportData,
  ReportDayRow,
  ReportOrderRow,
  ReportRiskEventRow,
} from '../../../src/domain/report/reportRows';

export const DATE = '2026-11-24';
export const ACCOUNT = 'acct-1';

/** Market time on DATE from a New York HH:MM (EST, UTC−5). */
export const ny = (hhmm: string, date = DATE): string => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return `${date}T${String(h + 5).padStart(2, '0')}:${String(m).padStart(2, '0')}:00.000Z`;
};

export function day(p: Partial<ReportDayRow> = {}): ReportDayRow {
  return {
    workflowId: `trading-day-${p.tradingDate ?? DATE}-sim`,
    runId: 'run-1',
    tradingDate: DATE,
    accountId: ACCOUNT,
    mode: 'autonomous',
    status: 'completed',
    halted: false,
    haltReason: null,
    startedAt: '2026-12-07T10:00:00.000Z',
    finishedAt: '2026-12-07T10:07:00.000Z',
    realizedPnl: null,
    flattenBeforeCloseMinutes: 10,
    ...p,
  };
}

let seq = 0;

export function order(p: Partial<ReportOrderRow> & Pick<ReportOrderRow, 'symbol' | 'side'>): ReportOrderRow {
  seq += 1;
  return {
    accountId: ACCOUNT,
    tradingDate: DATE,
    brokerOrderId: `b-${seq}`,
    clientOrderId: `x-${seq}`,
    parentBrokerOrderId: null,
    cycleId: null,
    type: 'market',
    legRole: p.side === 'buy' ? 'entry' : 'exit',
    qty: p.filledQty ?? '1',
    filledQty: '0',
    filledAvgPrice: null,
    limitPrice: null,
    stopPrice: null,
    status: 'filled',
    submittedAt: p.filledAt ?? null,
    filledAt: null,
    ...p,
  };
}

export interface BracketSpec {
  symbol: string;
  cycle: number;
  qty: number;
  /** Shares the entry filled (default: all), at `entryPrice`, at NY time `at`. */
  filled?: number;
  entryPrice: string;
  at: string;
  stop: string;
  target: string;
  date?: string;
  accountId?: string;
}

/** A bracket entry with its two legs (unfilled), as the monitor records them. */
export function bracket(s: BracketSpec): {
  entry: ReportOrderRow;
  stop: ReportOrderRow;
  target: ReportOrderRow;
} {
  const date = s.date ?? DATE;
  const accountId = s.accountId ?? ACCOUNT;
  const cycleTag = String(s.cycle).padStart(2, '0');
  const filled = s.filled ?? s.qty;
  const entry = order({
    accountId,
    tradingDate: date,
    symbol: s.symbol,
    side: 'buy',
    type: 'limit',
    clientOrderId: `cat-${date.replaceAll('-', '')}-c${cycleTag}-${s.symbol}-entry`,
    cycleId: `${date}-c${cycleTag}-run1`,
    qty: String(s.qty),
    filledQty: String(filled),
    filledAvgPrice: filled > 0 ? s.entryPrice : null,
    status: filled === s.qty ? 'filled' : filled > 0 ? 'partially_filled' : 'new',
    submittedAt: ny(s.at, date),
    filledAt: filled === s.qty ? ny(s.at, date) : null,
  });
  const leg = (legRole: 'stop_loss' | 'take_profit'): ReportOrderRow =>
    order({
      accountId,
      tradingDate: date,
      symbol: s.symbol,
      side: 'sell',
      type: legRole === 'stop_loss' ? 'stop' : 'limit',
      legRole,
      parentBrokerOrderId: entry.brokerOrderId,
      clientOrderId: `leg-${legRole}-${entry.brokerOrderId}`,
      qty: String(s.qty),
      stopPrice: legRole === 'stop_loss' ? s.stop : null,
      limitPrice: legRole === 'take_profit' ? s.target : null,
      status: 'held',
      submittedAt: ny(s.at, date),
    });
  return { entry, stop: leg('stop_loss'), target: leg('take_profit') };
}

/** Marks a bracket leg filled. */
export function fillLeg(
  leg: ReportOrderRow,
  qty: number,
  price: string,
  at: string,
  date = DATE,
): ReportOrderRow {
  return { ...leg, filledQty: String(qty), filledAvgPrice: price, status: 'filled', filledAt: ny(at, date) };
}

/** A market exit of the entry's lot, `cat-<date>-c<cycle>-<SYMBOL>-exit-a<n>`. */
export function exitOrder(
  s: Pick<BracketSpec, 'symbol' | 'cycle'> & {
    qty: number;
    price: string;
    at: string;
    attempt?: number;
    date?: string;
  },
): ReportOrderRow {
  const date = s.date ?? DATE;
  return order({
    tradingDate: date,
    symbol: s.symbol,
    side: 'sell',
    type: 'market',
    legRole: 'exit',
    clientOrderId: `cat-${date.replaceAll('-', '')}-c${String(s.cycle).padStart(2, '0')}-${s.symbol}-exit-a${s.attempt ?? 1}`,
    qty: String(s.qty),
    filledQty: String(s.qty),
    filledAvgPrice: s.price,
    submittedAt: ny(s.at, date),
    filledAt: ny(s.at, date),
  });
}

export function candidate(
  p: Partial<ReportCandidateRow> & Pick<ReportCandidateRow, 'cycleId' | 'symbol'>,
): ReportCandidateRow {
  return {
    compositeScore: '70.0000',
    newsScore: '65.0000',
    technicalScore: '72.0000',
    patternScore: '60.0000',
    momentumScore: '80.0000',
    volumeScore: '75.0000',
    finalRank: 1,
    riskApproved: true,
    riskReasons: ['size 10 sh: risk_per_trade_pct'],
    ...p,
  };
}

export function cycle(p: Partial<ReportCycleRow> & Pick<ReportCycleRow, 'cycleNumber'>): ReportCycleRow {
  const tag = String(p.cycleNumber).padStart(2, '0');
  return {
    cycleId: `${DATE}-c${tag}-run1`,
    tradingDate: DATE,
    workflowId: `trading-day-${DATE}-sim`,
    runId: 'run-1',
    status: 'completed',
    startedAt: '2026-12-07T10:00:00.000Z',
    finishedAt: '2026-12-07T10:00:04.500Z',
    marketTime: ny('09:35'),
    funnel: {
      universe: 4125,
      scanned: 200,
      news: 35,
      patterns: 20,
      technical: 10,
      scored: 6,
      risk_approved: 3,
      orders: 3,
    },
    error: null,
    ...p,
  };
}

export function riskEvent(
  p: Partial<ReportRiskEventRow> & Pick<ReportRiskEventRow, 'eventKey' | 'eventType'>,
): ReportRiskEventRow {
  return {
    tradingDate: DATE,
    cycleId: null,
    severity: 'WARNING',
    symbol: null,
    message: 'something happened',
    createdAt: '2026-12-07T10:03:00.000Z',
    ...p,
  };
}

export const data = (p: Partial<ReportData> = {}): ReportData => ({
  days: [day()],
  orders: [],
  positions: [],
  cycles: [],
  candidates: [],
  riskEvents: [],
  ...p,
});
