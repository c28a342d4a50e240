/**
 * The report's shape: what `catalyst report --json` prints and what the HTML page draws. Money is
 * decimal strings (exact, at least cents); times are ISO strings; ratios are numbers.
 */
import type { ExitReason } from './exitReason';
import type { ReportFunnelCounts } from './reportRows';

/** A candidate's factor scores (0–100) as the scorer recorded them in the entry's cycle. */
export interface TradeFactors {
  composite: number | null;
  news: number | null;
  technical: number | null;
  pattern: number | null;
  momentum: number | null;
  volume: number | null;
  /** Place by composite score among the cycle's scored candidates (1 = best). */
  finalRank: number | null;
}

/** Why Catalyst took the trade: its scores in the entry's cycle and the risk manager's words. */
export interface TradeRationale {
  factors: TradeFactors | null;
  riskApproved: boolean | null;
  riskReasons: string[];
}

/** One entry and everything that sold its shares. */
export interface Trade {
  tradingDate: string;
  accountId: string;
  symbol: string;
  entryClientOrderId: string;
  /** The entry's cycle number (from its client order id) and cycle row. */
  cycle: number | null;
  cycleId: string | null;
  /** open: shares still held (the day runs, or it was not flattened). */
  status: 'open' | 'closed';
  /** Shares bought. */
  quantity: number;
  closedQuantity: number;
  openQuantity: number;
  /** Average fill prices. */
  entryPrice: string;
  exitPrice: string | null;
  /** Market times of the entry fill and of the fill that closed the last share. */
  openedAt: string;
  closedAt: string | null;
  holdSeconds: number | null;
  /** Σ sell qty × price − Σ buy qty × price of the closed shares, exact. */
  realizedPnl: string;
  /** Bracket prices as placed. */
  stopPrice: string | null;
  takeProfitPrice: string | null;
  exitReason: ExitReason | null;
  why: TradeRationale;
}

/** A point of the realized equity curve: after each closing fill. */
export interface EquityPoint {
  at: string;
  tradingDate: string;
  symbol: string;
  /** Realized P&L of this fill. */
  pnl: string;
  /** Cumulative realized P&L of the range so far. */
  equity: string;
  /** How far below the day's peak the curve stands here (≥ 0). */
  drawdown: string;
}

/** Open notional (cost of the shares held) after each fill. */
export interface ExposurePoint {
  at: string;
  tradingDate: string;
  openNotional: string;
  openPositions: number;
}

export interface ReportFigures {
  /** Trades with something closed. */
  trades: number;
  /** Trades with shares still held. */
  openTrades: number;
  wins: number;
  losses: number;
  /** wins / trades (0–1, 4 decimals); null without trades. */
  winRate: number | null;
  totalPnl: string;
  averagePnl: string | null;
  largestWin: string | null;
  largestLoss: string | null;
  grossProfit: string;
  grossLoss: string;
  /** grossProfit / grossLoss (4 decimals); null without a losing trade. */
  profitFactor: number | null;
  /** Largest peak-to-trough fall of a day's realized equity curve. */
  maxIntradayDrawdown: string;
  /** Largest open notional at any fill. */
  peakExposure: string;
  exitReasons: Record<ExitReason, number>;
}

export type FunnelStage = keyof ReportFunnelCounts;

export interface CycleReport {
  cycleId: string;
  tradingDate: string;
  cycleNumber: number;
  marketTime: string;
  status: string;
  /** Wall seconds from start to finish; null while it runs. */
  durationSeconds: number | null;
  funnel: ReportFunnelCounts | null;
  error: string | null;
}

export interface FunnelStageTotal {
  stage: FunnelStage;
  total: number;
  /** total / cycles with a funnel (2 decimals). */
  perCycle: number;
}

export interface CycleDurations {
  cycles: number;
  averageSeconds: number | null;
  shortestSeconds: number | null;
  longestSeconds: number | null;
}

export interface RiskDecision {
  tradingDate: string;
  cycleNumber: number | null;
  symbol: string;
  approved: boolean;
  compositeScore: number | null;
  reasons: string[];
}

export interface RiskDecisionSummary {
  judged: number;
  approved: number;
  rejected: number;
  /** Rejections by the kind of reason (the text before its first colon), most frequent first. */
  rejectionReasons: { reason: string; count: number }[];
  decisions: RiskDecision[];
}

export interface ReportRiskEvent {
  tradingDate: string;
  eventType: string;
  severity: string;
  symbol: string | null;
  message: string;
  recordedAt: string;
}

export interface ReportDay {
  tradingDate: string;
  workflowId: string;
  accountId: string;
  mode: string;
  status: string;
  halted: boolean;
  haltReason: string | null;
  trades: number;
  realizedPnl: string;
}

export interface DailyReport {
  from: string;
  to: string;
  venue: string | null;
  days: ReportDay[];
  figures: ReportFigures;
  trades: Trade[];
  equityCurve: EquityPoint[];
  exposure: ExposurePoint[];
  cycles: CycleReport[];
  funnel: FunnelStageTotal[];
  cycleDurations: CycleDurations;
  risk: RiskDecisionSummary;
  riskEvents: ReportRiskEvent[];
}
