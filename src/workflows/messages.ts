/**
 * Inputs, results, signals, queries and updates of the Catalyst workflows. The CLI imports this
 * file too, so it holds only definitions and plain types (no workflow logic).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

import type { ScoredCandidate } from '../activities/types';
import type { Venue } from '../shared';

export type { Venue };
export type TradingMode = 'supervised' | 'autonomous';
/** wall: market time runs at `speed` × wall time; driven: the simulator's clock moves only when the day waits (marketWait.ts). */
export type MarketClockKind = 'wall' | 'driven';

export interface TradingDayInput {
  tradingDate: string; // YYYY-MM-DD, New York
  /** Market-time speed of the venue: 1 live/paper, e.g. 600 for the simulator (a session in 39 s). */
  speed: number;
  mode: TradingMode;
  venue: Venue;
  /** The broker account number (paper and live): ids, queues and search attributes carry it. */
  account?: string;
  /** Simulator only: a backtest's run tag (VenueScope.run). */
  run?: string;
  /** Default wall; driven only on the embedded simulator started with the driven clock. */
  marketClock?: MarketClockKind;
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

/** What the day reads from the config at its start and before each cycle (hot reload). */
export interface DayConfig extends DayTimingConfig {
  /**
   * The config snapshot this was read from: a cycle hands it to every activity, so all its stages
   * decide on one config even when an edit lands mid-cycle. Absent in days started before it existed.
   */
  configVersion?: string;
  /** The monitor's CRITICAL alert and emergency stop after this many failed ticks in a row. */
  alertAfterFailedTicks: number;
  emergencyAfterFailedTicks: number;
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
  nextOpenMs: number;
  nextCloseMs: number;
}

/** Candidates surviving each stage of one cycle: the real counts, in the order the funnel narrows. */
export interface CycleFunnel {
  universe: number;
  scanned: number;
  news: number;
  patterns: number;
  technical: number;
  /** At or above the minimum composite score. */
  scored: number;
  riskApproved: number;
  ordersPlaced: number;
}

/** "4125 symbols → 200 scanned → 35 news → 20 patterns → 10 technical → 4 scored → 3 approved → 3 orders" */
export function describeFunnel(f: CycleFunnel): string {
  // A day started on an older version reports fewer stages: show what it has.
  const n = (x: number | undefined): string => (x === undefined ? '–' : String(x));
  return [
    `${n(f.universe)} symbols`,
    `${n(f.scanned)} scanned`,
    `${n(f.news)} news`,
    `${n(f.patterns)} patterns`,
    `${n(f.technical)} technical`,
    `${n(f.scored)} scored`,
    `${n(f.riskApproved)} approved`,
    `${n(f.ordersPlaced)} orders`,
  ].join(' → ');
}

export interface CandidateSummary {
  symbol: string;
  compositeScore: number;
  /** The cycle that decided it last (absent in days started before it was shown). */
  cycle?: number;
  approved?: boolean;
  qty?: number;
  reasons?: string[];
}

/** What the monitor tells the day about Catalyst's book (and, apart, the rest of the account). */
export interface MonitorReport {
  marketTimeMs: number;
  openPositions: number;
  openOrders: number;
  /** Holdings and open orders in the account that are not Catalyst's: left alone, reported. */
  foreignPositions: number;
  foreignOrders: number;
  realizedPnl: string;
  unrealizedPnl: string;
  dailyPnl: string;
  closedByMonitor: string[];
  /** Failed ticks in a row (0 when the last tick read the broker). */
  failedTicks: number;
}

export type DayPhase =
  | 'starting'
  | 'waiting_for_open'
  | 'trading'
  | 'no_new_entries'
  | 'flattening'
  | 'reporting'
  | 'closed'
  | 'market_closed'
  | 'cancelled';

export interface TradingDayStatus {
  tradingDate: string;
  venue: Venue;
  /** The venue's market-time speed (what `catalyst scan` runs its funnel at). */
  speed: number;
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
  foreignPositions: number;
  foreignOrders: number;
  /** Emergency stops requested so far, and whether one is flattening now. */
  emergencies: number;
  emergencyRunning: boolean;
  /** Symbols of Catalyst's that could not be closed yet, and why (the close-out keeps trying). */
  notFlat: string[];
  /** The last failure the day met (a cycle, the broker, bookkeeping), for the operator. */
  lastProblem: string | null;
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
  /** Names this request, so the caller can ask for its own outcome (`emergencyStopOutcome`). */
  requestId?: string;
  /**
   * What the stop does. Absent (an operator's halt) or malformed: everything, no cooldown. The
   * daily loss limit's stop sends risk_parameters.yaml's emergency_actions.
   */
  actions?: Partial<EmergencyActions>;
}

export interface EmergencyActions {
  /** Close Catalyst's positions; false: cancel its pending entries only, positions keep their brackets. */
  closePositions: boolean;
  /** No new entries for the rest of the day. */
  haltNewTrades: boolean;
  /** Email the CRITICAL alert; false: it is logged and recorded only. */
  sendAlert: boolean;
  /** Entries refused for this many minutes from the stop, across restarts and into the next day. */
  cooldownMinutes: number;
}

/** An operator's halt: stop everything, no cooldown (the operator decides when to trade again). */
export const FULL_STOP: EmergencyActions = {
  closePositions: true,
  haltNewTrades: true,
  sendAlert: true,
  cooldownMinutes: 0,
};

export interface EmergencyStopOutcome {
  requestId: string;
  reason: string;
  source: string;
  /** Catalyst's orders cancelled, over every pass of the stop. */
  cancelledOrders: number;
  /** Symbols Catalyst sent exit orders for. */
  closedPositions: string[];
  /** Symbols it could not close yet, with the broker's answer. */
  failures: { symbol: string; message: string }[];
  /** Catalyst's book was flat when the stop finished (false: the day keeps flattening). */
  flat: boolean;
  /** Holdings that are not Catalyst's, left untouched. */
  foreignPositions: number;
  passes: number;
  /** False while the stop is still flattening: the outcome so far. */
  done: boolean;
  /** What this stop was asked to do (absent in outcomes of older days: a full stop). */
  actions?: EmergencyActions;
}

export interface PositionMonitorInput {
  tradingDate: string;
  speed: number;
  /** The day's market clock (default wall). */
  marketClock?: MarketClockKind;
  parentWorkflowId: string;
  /** Market time monitoring starts (the open): a guard that fails from the first tick still counts minutes from here. */
  startMs: number;
  /** Monitoring ends at this market time (the close). */
  untilMs: number;
  /** Unused: the guard reads the max hold from the config each tick (kept for monitors started before). */
  maxHoldMinutes?: number;
  alertAfterFailedTicks: number;
  emergencyAfterFailedTicks: number;
  /** Already halted when the monitor starts. */
  halted?: boolean;
  /** State carried across continue-as-new. */
  carried?: MonitorCarry;
}

export interface MonitorCarry {
  /** The day is halted: every tick flattens whatever of Catalyst's is still there (a late fill). */
  halted: boolean;
  ticks: number;
  failedTicks: number;
  /** Workflow time the current streak of failed ticks began; null while the guard reads the broker. */
  blindSinceMs: number | null;
  blindAlerted: boolean;
  blindStopRequested: boolean;
  warned: boolean;
  limitSignalled: boolean;
  stopRequested: boolean;
}

export interface PositionMonitorResult {
  ticks: number;
  lastReport: MonitorReport | null;
}

export const emergencyStopSignal = defineSignal<[EmergencyStopRequest]>('emergencyStop');
export const monitorReportSignal = defineSignal<[MonitorReport]>('monitorReport');
export const stopMonitoringSignal = defineSignal('stopMonitoring');
/** The day tells its monitor it is halted (emergency stop): nothing of Catalyst's may stay open. */
export const dayHaltedSignal = defineSignal('dayHalted');
export const statusQuery = defineQuery<TradingDayStatus>('status');
export const lastEmergencyQuery = defineQuery<EmergencyStopOutcome | null>('lastEmergencyStop');
/** The outcome of one emergency-stop request by its requestId; null while it is still running. */
export const emergencyStopOutcomeQuery = defineQuery<EmergencyStopOutcome | null, [string]>(
  'emergencyStopOutcome',
);
export const setEntriesPausedUpdate = defineUpdate<boolean, [boolean]>('setEntriesPaused');
export const setModeUpdate = defineUpdate<TradingMode, [TradingMode]>('setMode');
export const decideCandidatesUpdate = defineUpdate<CandidateDecisionResult, [CandidateDecision]>(
  'decideCandidates',
);

/** A backtest: one TradingDayWorkflow per NYSE trading day of [from, to], on the driven clock. */
export interface BacktestInput {
  from: string; // YYYY-MM-DD
  to: string;
  seed: number;
  /** The run tag every name of the backtest carries (VenueScope.run). */
  run: string;
  /** Only for retry intervals and wall-clock bounds: on the driven clock market time is not wall time. */
  speed: number;
  /** Days already run, carried across continue-as-new. */
  carried?: BacktestDay[];
}

export interface BacktestDay {
  tradingDate: string;
  status: 'completed' | 'market_closed' | 'failed';
  cycles: number;
  ordersSubmitted: number;
  fills: number;
  realizedPnl: string;
  halted: boolean;
  error?: string;
}

/** The figures a trader compares run to run, over Catalyst's round trips of the range so far. */
export interface BacktestFigures {
  trades: number;
  wins: number;
  losses: number;
  realizedPnl: string;
  winRate: number;
  maxDrawdown: string;
  profitFactor: number | null;
}

/** A backtest's figures before its first round trip. */
export const NO_BACKTEST_FIGURES: BacktestFigures = {
  trades: 0,
  wins: 0,
  losses: 0,
  realizedPnl: '0.00',
  winRate: 0,
  maxDrawdown: '0.00',
  profitFactor: null,
};

export interface BacktestProgress {
  from: string;
  to: string;
  seed: number;
  daysTotal: number;
  daysDone: number;
  /** The day running now, null between days and at the end. */
  currentDate: string | null;
  figures: BacktestFigures;
}

export interface BacktestResult extends BacktestProgress {
  run: string;
  days: BacktestDay[];
}

export const backtestProgressQuery = defineQuery<BacktestProgress>('backtestProgress');

/** `catalyst scan`: the funnel of one cycle at the venue's current minute, without orders. */
export interface ScanInput {
  tradingDate: string;
  speed: number;
}

export interface ScanResult {
  cycleId: string;
  asOfMs: number;
  funnel: CycleFunnel;
  candidates: ScoredCandidate[];
  belowMinimum: number;
}
