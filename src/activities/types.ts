/**
 * The activity contract: what workflows may call and the small, JSON-safe shapes that cross the
 * boundary (ids, symbols, counts, decimal strings; never bar arrays).
 */
import type {
  CandidateSummary,
  CycleFunnel,
  DayTimingConfig,
  EmergencyStopOutcome,
  MarketClockReading,
  MarketDay,
  MonitorReport,
  TradingDayInput,
  TradingMode,
  Venue,
} from '../workflows/messages';

export interface DayStartInput {
  tradingDate: string;
  mode: TradingMode;
  venue: Venue;
  speed: number;
}

export interface CycleRef {
  cycleId: string;
  tradingDate: string;
  cycleNumber: number;
}

export interface BeginCycleInput extends CycleRef {
  marketTimeMs: number;
}

export interface ScanOutcome {
  universe: number;
  scanned: number;
  /** Top symbols by scan score, best first (≈ 200). */
  candidates: string[];
}

export interface ScoredCandidate {
  symbol: string;
  sector: string;
  price: string;
  compositeScore: number;
  technicalScore: number;
  momentumScore: number;
  volumeScore: number;
  atr: number | null;
}

export interface RiskDecisionSummary {
  symbol: string;
  approved: boolean;
  qty: number;
  entryPrice: string;
  stopPrice: string;
  takeProfitPrice: string;
  reasons: string[];
}

export interface PlacedOrder {
  symbol: string;
  clientOrderId: string;
  brokerOrderId: string;
  status: string;
  qty: number;
}

export interface PlacementOutcome {
  placed: PlacedOrder[];
  failed: { symbol: string; errorType: string; message: string }[];
}

export interface FlattenOutcome {
  cancelledOrders: number;
  closedPositions: string[];
}

export interface FlatCheck {
  openPositions: number;
  openOrders: number;
  nowMs: number;
}

export interface DaySummary {
  /** Entry orders the broker holds from this day (counted there, so a placement whose answer was lost still counts). */
  ordersSubmitted: number;
  fills: number;
  realizedPnl: string;
  openPositionsAtClose: number;
  openOrdersAtClose: number;
}

export interface FinishDayInput {
  tradingDate: string;
  status: 'completed' | 'market_closed';
  cycles: number;
  ordersSubmitted: number;
  halted: boolean;
  haltReason: string | null;
}

export interface AlertInput {
  severity: 'INFO' | 'WARNING' | 'CRITICAL';
  subject: string;
  body: string;
  /** Sends at most once per key (activity retries, replays). */
  dedupeKey: string;
}

export interface Activities {
  loadDayConfig(): Promise<DayTimingConfig & { maxHoldMinutes: number }>;
  getMarketDay(tradingDate: string): Promise<MarketDay>;
  readMarketClock(): Promise<MarketClockReading>;
  recordDayStart(input: DayStartInput): Promise<void>;
  /** The input of the day a schedule fire at `firedAtMs` should start (New York date, mode from config). */
  planScheduledDay(firedAtMs: number): Promise<TradingDayInput>;

  beginCycle(input: BeginCycleInput): Promise<void>;
  scanUniverse(input: CycleRef): Promise<ScanOutcome>;
  computeIndicators(input: CycleRef & { symbols: string[] }): Promise<{ candidates: ScoredCandidate[] }>;
  validateRisk(
    input: CycleRef & { candidates: ScoredCandidate[] },
  ): Promise<{ decisions: RiskDecisionSummary[] }>;
  placeBracketOrders(input: CycleRef & { decisions: RiskDecisionSummary[] }): Promise<PlacementOutcome>;
  finishCycle(input: { cycleId: string; status: string; funnel: CycleFunnel; error?: string }): Promise<void>;

  reconcilePositions(input: {
    tradingDate: string;
    maxHoldMinutes: number;
  }): Promise<MonitorReport & { dailyLossLevel: 'ok' | 'warning' | 'limit' }>;
  emergencyStop(input: {
    tradingDate: string;
    reason: string;
    source: string;
  }): Promise<EmergencyStopOutcome>;
  flattenAll(input: { tradingDate: string; reason: string }): Promise<FlattenOutcome>;
  checkFlat(): Promise<FlatCheck>;
  finishTradingDay(input: FinishDayInput): Promise<DaySummary>;
  sendAlert(input: AlertInput): Promise<void>;
}

export type { CandidateSummary };
