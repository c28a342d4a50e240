/**
 * Inputs, results, signals, queries and updates of the Catalyst workflows. The CLI imports this
 * file too, so it holds only definitions and plain types (no workflow logic).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

export type TradingMode = 'supervised' | 'autonomous';
export type Venue = 'simulator' | 'paper' | 'live';

export interface TradingDayInput {
  tradingDate: string; // YYYY-MM-DD, New York
  /** Market-time speed of the venue: 1 live/paper, e.g. 600 for the simulator (a session in 39 s). */
  speed: number;
  mode: TradingMode;
  venue: Venue;
}

/** The part of the trading configuration the workflow itself needs (timing and limits). */
export interface DayTimingConfig {
  scanFrequencyMinutes: number;
  firstCycleAfterOpenMinutes: number;
  noNewEntriesBeforeCloseMinutes: number;
  flattenBeforeCloseMinutes: number;
  approvalTimeoutMinutes: number;
  executeTopN: number;
}

export interface MarketDay {
  tradingDate: string;
  isTradingDay: boolean;
  /** Epoch ms of the session open and close (computed by an activity from the broker calendar). */
  openMs: number;
  closeMs: number;
  earlyClose: boolean;
  nowMs: number;
}

export interface MarketClockReading {
  nowMs: number;
  isOpen: boolean;
}

export interface CycleFunnel {
  universe: number;
  scanned: number;
  technical: number;
  riskApproved: number;
  ordersPlaced: number;
}

export interface CandidateSummary {
  symbol: string;
  compositeScore: number;
  approved?: boolean;
  qty?: number;
  reasons?: string[];
}

export interface MonitorReport {
  marketTimeMs: number;
  openPositions: number;
  openOrders: number;
  realizedPnl: string;
  unrealizedPnl: string;
  dailyPnl: string;
  closedByMonitor: string[];
}

export type DayPhase =
  | 'starting'
  | 'waiting_for_open'
  | 'trading'
  | 'no_new_entries'
  | 'flattening'
  | 'reporting'
  | 'closed'
  | 'market_closed';

export interface TradingDayStatus {
  tradingDate: string;
  venue: Venue;
  mode: TradingMode;
  phase: DayPhase;
  cycle: number;
  lastFunnel: (CycleFunnel & { cycle: number }) | null;
  candidates: CandidateSummary[];
  ordersSubmitted: number;
  openPositions: number;
  openOrders: number;
  realizedPnl: string;
  unrealizedPnl: string;
  dailyPnl: string;
  halted: boolean;
  haltReason: string | null;
  entriesPaused: boolean;
  pendingApproval: PendingApproval | null;
  marketTimeMs: number | null;
}

export interface PendingApproval {
  cycle: number;
  candidates: CandidateSummary[];
}

/** Supervised mode: the operator's answer for one cycle; symbols not listed are rejected. */
export interface CandidateDecision {
  cycle: number;
  approve: string[];
}

export interface CandidateDecisionResult {
  approved: string[];
  rejected: string[];
}

export interface TradingDayResult {
  tradingDate: string;
  status: 'completed' | 'market_closed';
  cycles: number;
  ordersSubmitted: number;
  fills: number;
  openPositionsAtClose: number;
  openOrdersAtClose: number;
  realizedPnl: string;
  halted: boolean;
  haltReason: string | null;
}

export interface EmergencyStopRequest {
  reason: string;
  /** Who asked: 'cli', 'monitor', 'risk'. */
  source?: string;
}

export interface EmergencyStopOutcome {
  cancelledOrders: number;
  closedPositions: string[];
  flat: boolean;
}

export interface PositionMonitorInput {
  tradingDate: string;
  speed: number;
  parentWorkflowId: string;
  /** Monitoring ends at this market time (the close). */
  untilMs: number;
  maxHoldMinutes: number;
  /** Ticks already run by earlier runs of this monitor (continue-as-new). */
  ticks?: number;
  warned?: boolean;
  stopRequested?: boolean;
}

export interface PositionMonitorResult {
  ticks: number;
  lastReport: MonitorReport | null;
}

export const emergencyStopSignal = defineSignal<[EmergencyStopRequest]>('emergencyStop');
export const monitorReportSignal = defineSignal<[MonitorReport]>('monitorReport');
export const stopMonitoringSignal = defineSignal('stopMonitoring');
export const statusQuery = defineQuery<TradingDayStatus>('status');
export const lastEmergencyQuery = defineQuery<EmergencyStopOutcome | null>('lastEmergencyStop');
export const setEntriesPausedUpdate = defineUpdate<boolean, [boolean]>('setEntriesPaused');
export const setModeUpdate = defineUpdate<TradingMode, [TradingMode]>('setMode');
export const decideCandidatesUpdate = defineUpdate<CandidateDecisionResult, [CandidateDecision]>(
  'decideCandidates',
);
