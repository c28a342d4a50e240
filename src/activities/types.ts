/**
 * The activity contract: what workflows may call and the small, JSON-safe shapes that cross the
 * boundary (ids, symbols, counts, decimal strings; never bar arrays).
 */
import type {
  BacktestFigures,
  CandidateSummary,
  CycleFunnel,
  DayConfig,
  EmergencyActions,
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
  /** The config snapshot the cycle runs on (SettingsSource.at); absent: the config in force. */
  configVersion?: string;
}

export interface ValidateRiskInput extends CycleRef {
  candidates: ScoredCandidate[];
  /** The day's own gates: halted (emergency stop) and entries open (not paused). Absent: open. */
  halted?: boolean;
  entriesOpen?: boolean;
  /** Market time of the no-new-entries cut-off: checked against the broker's clock. */
  cutoffMs?: number;
  /** Supervised mode: the operator's choice, judged again on the account as it is now. */
  atApproval?: boolean;
}

export interface BeginCycleInput extends CycleRef {
  marketTimeMs: number;
}

/**
 * The market minute a stage decides for: every read it makes ends there (bars before it, news up
 * to it, snapshots at it), so a replayed or backtested decision sees what a live one saw.
 */
export interface StageRef extends CycleRef {
  asOfMs: number;
}

export interface UniverseOutcome {
  /** Active, tradable US equities. */
  universe: number;
  /** Chunks of `chunkSize` symbols (in symbol order) the scan fans out over. */
  chunks: number;
  chunkSize: number;
}

export interface ScanChunkInput extends StageRef {
  chunk: number;
  chunkSize: number;
}

/** One symbol's scan figures: what later stages rank on and scan_results records. */
export interface ScanRow {
  symbol: string;
  price: number;
  volume: number;
  gapPct: number;
  momentumPct: number;
  relativeVolume: number;
  scanScore: number;
  momentumScore: number;
  volumeScore: number;
}

export interface ChunkScan {
  symbols: number;
  scannable: number;
  eligible: number;
  /** The chunk's best `topN`, best first. */
  top: ScanRow[];
  /** scan.universe_top_n as the chunk read it. */
  topN: number;
}

/** A candidate on its way down the funnel: the scan's figures and each later stage's factor. */
export interface Candidate extends ScanRow {
  rank: number;
  /** 0..100, 50 = no news or neutral news. */
  newsScore?: number;
  headlines?: number;
  /** 0..100, 50 = no pattern. */
  patternScore?: number;
  patterns?: string[];
  technicalScore?: number;
  /** Close of the last complete minute before the decision minute: the price the order is sized on. */
  lastClose?: number;
  atr?: number | null;
}

export interface StageInput extends StageRef {
  candidates: Candidate[];
}

export interface StageOutcome {
  /** The stage's survivors, best first (at most its configured size). */
  candidates: Candidate[];
}

export interface ScoringOutcome {
  /** At or above the minimum score, best first, at most technical_top_n. */
  candidates: ScoredCandidate[];
  /** Scored but below the minimum composite score. */
  belowMinimum: number;
}

export interface ScoredCandidate {
  symbol: string;
  sector: string;
  price: string;
  compositeScore: number;
  newsScore: number;
  patternScore: number;
  technicalScore: number;
  momentumScore: number;
  volumeScore: number;
  atr: number | null;
}

export interface RiskDecisionSummary {
  symbol: string;
  approved: boolean;
  qty: number;
  /** The quote the decision was made on. */
  entryPrice: string;
  /** The entry's marketable limit; sizing assumed the fill there. */
  limitPrice: string;
  stopPrice: string;
  takeProfitPrice: string;
  reasons: string[];
}

export interface PlaceBracketOrderInput extends CycleRef {
  decision: RiskDecisionSummary;
  /** Market time after which this decision may no longer become an order (never past the cut-off). */
  deadlineMs: number;
}

/** One placement: placed (or found placed by an earlier attempt), refused by the broker, or too late. */
export interface PlacementResult {
  symbol: string;
  clientOrderId: string;
  status: 'placed' | 'rejected' | 'expired';
  brokerOrderId: string | null;
  qty: number;
  errorType?: string;
  message?: string;
}

export interface ExitSent {
  symbol: string;
  clientOrderId: string;
  qty: number;
}

export interface SymbolFailure {
  symbol: string;
  message: string;
}

export interface FlattenOutcome {
  /** Catalyst's working orders cancelled (entries and bracket legs; never anyone else's). */
  cancelledOrders: number;
  /** Market sells sent for Catalyst's own shares. */
  exits: ExitSent[];
  /** Symbols whose exit is already working at the broker. */
  exitsWorking: string[];
  failures: SymbolFailure[];
}

export interface FlatCheck {
  openPositions: number;
  openOrders: number;
  /** Catalyst's symbols still holding shares or orders. */
  symbols: string[];
  foreignPositions: number;
  foreignOrders: number;
  nowMs: number;
  isOpen: boolean;
}

export interface GuardInput {
  tradingDate: string;
  /** Unused: the guard reads the max hold from the config in force each tick (older monitors send it). */
  maxHoldMinutes?: number;
  /** The day is halted: exit every holding of Catalyst's and cancel its entries, whatever else. */
  halted?: boolean;
  /**
   * The market minute this tick stands for (the time the monitor slept until), for the tick-lag
   * metric. Absent: the minute after the previous tick this worker ran, else the tick's own minute.
   */
  intendedMarketMs?: number;
}

/** The monitor's tick, from the broker alone: enforcement happens here, before any bookkeeping. */
export interface GuardReport extends Omit<MonitorReport, 'failedTicks'> {
  dailyLossLevel: 'ok' | 'warning' | 'limit';
  /**
   * What reaching the daily loss limit does, from the same config snapshot that graded the loss
   * (risk_parameters.yaml daily_limits.emergency_stop_at_100 and emergency_actions). Absent in
   * reports of older workers: a full stop.
   */
  lossLimit?: LossLimitPolicy;
  /** Backstop exits sent this tick, with why. */
  exits: (ExitSent & {
    reason: 'max_hold_exit' | 'backstop_stop' | 'halted';
    price: string | null;
    stopPrice: string | null;
  })[];
  /** Entries cancelled because they stayed unfilled past the fill window. */
  staleEntriesCancelled: string[];
  closeFailures: SymbolFailure[];
  /** Symbols of holdings and orders that are not Catalyst's (first few), for the report and the alert. */
  foreignSymbols: string[];
  anomalies: string[];
}

export interface LossLimitPolicy extends EmergencyActions {
  /** daily_limits.emergency_stop_at_100: false leaves only the alert and the risk gate's refusal. */
  emergencyStop: boolean;
  maxLoss: string;
}

export interface CooldownInput {
  tradingDate: string;
  minutes: number;
  reason: string;
  /** Records the cooldown once (retries, replays). */
  eventKey: string;
}

export interface RecordBookInput {
  tradingDate: string;
  /** What the guard just did and found, to write as risk events. */
  guard?: Pick<
    GuardReport,
    | 'exits'
    | 'staleEntriesCancelled'
    | 'dailyLossLevel'
    | 'dailyPnl'
    | 'realizedPnl'
    | 'unrealizedPnl'
    | 'anomalies'
  >;
}

export interface RecordBookOutcome {
  ordersWritten: number;
  positionsWritten: number;
  foreignPositions: { symbol: string; qty: string }[];
  foreignOrders: number;
}

export interface RiskEventRecordInput {
  eventKey: string;
  tradingDate: string;
  eventType: string;
  severity: 'INFO' | 'WARNING' | 'CRITICAL';
  symbol?: string | null;
  message: string;
  details?: Record<string, unknown> | null;
}

export interface DaySummary {
  /** Entry orders the broker holds from this day (counted there, so a placement whose answer was lost still counts). */
  ordersSubmitted: number;
  fills: number;
  realizedPnl: string;
  /** Catalyst's own positions and orders still open (the account's other holdings are not counted). */
  openPositionsAtClose: number;
  openOrdersAtClose: number;
}

export interface FinishDayInput {
  tradingDate: string;
  /** cancelled and failed days are recorded after their close-out flattened them. */
  status: 'completed' | 'market_closed' | 'cancelled' | 'failed';
  cycles: number;
  ordersSubmitted: number;
  halted: boolean;
  haltReason: string | null;
}

export interface FlattenInput {
  tradingDate: string;
  reason: string;
  /** Cancel only Catalyst's entries that have not filled; its positions and their brackets stay. */
  entriesOnly?: boolean;
}

export interface AlertInput {
  severity: 'INFO' | 'WARNING' | 'CRITICAL';
  subject: string;
  body: string;
  /** Sends at most once per key (activity retries, replays). */
  dedupeKey: string;
  /** Files sent with the email, kept by path so the outbox entry stays small (the daily report's page). */
  attachments?: { filename: string; path: string }[];
  /** The daily report: one a day, so the storm limit never holds it (it is what the trader asked for). */
  dailyReport?: boolean;
}

export interface DailyReportInput {
  tradingDate: string;
  venue: Venue;
}

export interface DailyReportOutcome {
  /** The HTML page written for the day. */
  htmlFile: string;
  /** What became of its email ('not_configured' without SMTP: the outbox keeps it). */
  email: string;
  trades: number;
  totalPnl: string;
}

export interface Activities {
  loadDayConfig(): Promise<DayConfig>;
  getMarketDay(tradingDate: string): Promise<MarketDay>;
  readMarketClock(): Promise<MarketClockReading>;
  recordDayStart(input: DayStartInput): Promise<void>;
  /** The input of the day a schedule fire at `firedAtMs` should start (New York date, mode from config). */
  planScheduledDay(firedAtMs: number): Promise<TradingDayInput>;

  beginCycle(input: BeginCycleInput): Promise<void>;
  /** The guide's services in funnel order: scanner, news, patterns, technical, scoring. */
  listUniverse(input: StageRef & { chunkSize: number }): Promise<UniverseOutcome>;
  scanChunk(input: ScanChunkInput): Promise<ChunkScan>;
  recordScan(input: StageRef & { candidates: Candidate[] }): Promise<void>;
  scoreSentiment(input: StageInput): Promise<StageOutcome>;
  detectPatterns(input: StageInput): Promise<StageOutcome>;
  computeIndicators(input: StageInput): Promise<StageOutcome>;
  scoreCandidates(input: StageInput): Promise<ScoringOutcome>;
  validateRisk(input: ValidateRiskInput): Promise<{ decisions: RiskDecisionSummary[] }>;
  /** One bracket order; the workflow checks halt and pause before each, the activity the deadline. */
  placeBracketOrder(input: PlaceBracketOrderInput): Promise<PlacementResult>;
  finishCycle(input: { cycleId: string; status: string; funnel: CycleFunnel; error?: string }): Promise<void>;

  /** The monitor's enforcement, from the broker alone (no database). */
  guardPositions(input: GuardInput): Promise<GuardReport>;
  /** The monitor's bookkeeping: orders, positions and risk events into the database. */
  recordBook(input: RecordBookInput): Promise<RecordBookOutcome>;
  /** Cancels Catalyst's working orders and sells its own shares; nothing else in the account. */
  flattenBook(input: FlattenInput): Promise<FlattenOutcome>;
  /** Starts the cooldown at the broker's time now; the risk manager refuses entries until it ends. */
  startCooldown(input: CooldownInput): Promise<{ startedMs: number; untilMs: number }>;
  checkFlat(input: { tradingDate: string }): Promise<FlatCheck>;
  recordRiskEvent(input: RiskEventRecordInput): Promise<void>;
  finishTradingDay(input: FinishDayInput): Promise<DaySummary>;
  sendAlert(input: AlertInput): Promise<void>;
  /** After the close: the day's report as an HTML page, emailed with its key figures (INFO). */
  sendDailyReport(input: DailyReportInput): Promise<DailyReportOutcome>;

  /** The NYSE trading days of [from, to] from the broker calendar (holidays out, early closes in). */
  listTradingDays(input: { from: string; to: string }): Promise<string[]>;
  /** A backtest's figures over Catalyst's round trips since `from` (the broker's record of its orders). */
  summarizeBacktest(input: { from: string }): Promise<BacktestFigures>;

  /** Driven clock only (backtests): returns the market time once the clock has reached `untilMs`. */
  waitForMarketTime(input: MarketWaitInput): Promise<number>;
  /** Driven clock only: which participants work, wait on something else, join or leave. */
  tellMarketClock(input: MarketClockNotice): Promise<void>;
}

export interface MarketWaitInput {
  participant: string;
  untilMs: number;
}

export interface MarketClockNotice {
  /** join-busy / join-parked add participants; busy holds the clock; park lets it move without them. */
  op: 'join-busy' | 'join-parked' | 'busy' | 'park' | 'leave';
  participants: string[];
}

export type { CandidateSummary };
