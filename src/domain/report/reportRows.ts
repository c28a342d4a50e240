/**
 * What the report reads from the database, as plain rows: decimal strings for money and
 * quantities, ISO strings for instants, no driver types. The repository
 * (src/db/repositories/reportData.ts) fills these; every rule in this folder reads only them.
 */

/** One trading-day workflow run: a date on one venue and account. */
export interface ReportDayRow {
  workflowId: string;
  runId: string;
  tradingDate: string;
  accountId: string;
  mode: string;
  status: string;
  halted: boolean;
  haltReason: string | null;
  /** Wall clock. */
  startedAt: string;
  finishedAt: string | null;
  /** The day's own summary figure (null while it runs). */
  realizedPnl: string | null;
  /** `workflow.flatten_before_close_minutes` of the day's last cycle config, when one was recorded. */
  flattenBeforeCloseMinutes: number | null;
}

export type ReportLegRole = 'entry' | 'take_profit' | 'stop_loss' | 'exit';

/** One of Catalyst's orders as last seen at the broker (bracket legs are rows of their own). */
export interface ReportOrderRow {
  accountId: string;
  tradingDate: string;
  brokerOrderId: string;
  clientOrderId: string;
  parentBrokerOrderId: string | null;
  cycleId: string | null;
  symbol: string;
  side: 'buy' | 'sell';
  type: string;
  legRole: ReportLegRole;
  qty: string;
  filledQty: string;
  filledAvgPrice: string | null;
  limitPrice: string | null;
  stopPrice: string | null;
  status: string;
  /** Market time (the broker's clock). */
  submittedAt: string | null;
  filledAt: string | null;
}

/** A positions row: what the monitor's bookkeeping concluded about one entry. */
export interface ReportPositionRow {
  accountId: string;
  tradingDate: string;
  entryClientOrderId: string;
  symbol: string;
  status: string;
  cycleId: string | null;
  stopPrice: string | null;
  takeProfitPrice: string | null;
  realizedPnl: string | null;
  /** The leg role of the order that closed it (take_profit, stop_loss, exit), null while open. */
  exitReason: string | null;
}

/** Candidates surviving each stage of one cycle (trading_cycles.funnel). */
export interface ReportFunnelCounts {
  universe: number;
  scanned: number;
  news: number;
  patterns: number;
  technical: number;
  scored: number;
  risk_approved: number;
  orders: number;
}

export interface ReportCycleRow {
  cycleId: string;
  tradingDate: string;
  workflowId: string;
  runId: string;
  cycleNumber: number;
  status: string;
  /** Wall clock: how long the cycle's work took. */
  startedAt: string;
  finishedAt: string | null;
  /** Market time the cycle ran at. */
  marketTime: string;
  funnel: ReportFunnelCounts | null;
  error: string | null;
}

/** A scan_results row that reached scoring or the risk manager, with its factor scores (0–100). */
export interface ReportCandidateRow {
  cycleId: string;
  symbol: string;
  compositeScore: string | null;
  newsScore: string | null;
  technicalScore: string | null;
  patternScore: string | null;
  momentumScore: string | null;
  volumeScore: string | null;
  finalRank: number | null;
  /** null: never judged by the risk manager. */
  riskApproved: boolean | null;
  riskReasons: string[];
}

export interface ReportRiskEventRow {
  eventKey: string;
  tradingDate: string;
  cycleId: string | null;
  eventType: string;
  severity: string;
  symbol: string | null;
  message: string;
  /** Wall clock of the write. */
  createdAt: string;
}

/** Everything one report is built from. */
export interface ReportData {
  days: ReportDayRow[];
  orders: ReportOrderRow[];
  positions: ReportPositionRow[];
  cycles: ReportCycleRow[];
  candidates: ReportCandidateRow[];
  riskEvents: ReportRiskEventRow[];
}
