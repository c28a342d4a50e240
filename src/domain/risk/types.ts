/**
 * The risk manager's inputs and outputs. Dollar amounts are decimal strings at this boundary and
 * micros inside; the caller (the risk activity) builds the context from the broker and the book.
 */
import type { DatedClose } from './correlation';

export interface RiskCandidate {
  symbol: string;
  sector: string;
  /** Expected entry (latest price); the bracket legs and size are computed from it. */
  entryPrice: string;
  compositeScore: number;
  atr?: number | null;
  /** Recent daily closes with their dates, oldest first, for the correlation check. */
  recentCloses?: DatedClose[];
}

export interface RiskOpenPosition {
  symbol: string;
  sector: string;
  marketValue: string;
  recentCloses?: DatedClose[];
  /**
   * False for holdings that are not Catalyst's (bought by hand, carried over): they count as
   * exposure (sector, correlation, no second position in the symbol) but not toward max_positions,
   * which limits Catalyst's own concurrent positions. Default true.
   */
  ours?: boolean;
}

/**
 * One of Catalyst's open entry orders. Once it fills it is a position, so it is counted now: in
 * sector exposure, in correlation, as a taken symbol and toward max_positions.
 */
export interface RiskPendingEntry {
  symbol: string;
  sector: string;
  /** The unfilled quantity × the order's limit price (a partly filled entry's filled part is a position). */
  notional: string;
  recentCloses?: DatedClose[];
}

export interface RiskContext {
  equity: string;
  /** The broker's buying power (margin included, open orders already netted). */
  buyingPower: string;
  /**
   * The account's cash. With position_limits.margin_buying_power_pct 0 entries are paid from it,
   * less `pendingBuyNotional`. Absent: the buying power is spent instead (the behaviour before cash
   * was known).
   */
  cash?: string;
  /** The unfilled notional of every open buy order in the account, Catalyst's and others'. Default 0. */
  pendingBuyNotional?: string;
  /** Today's realized + unrealized P&L. */
  dailyPnl: string;
  /**
   * The worst additional loss of Catalyst's open positions and pending entries if every stop fills
   * at its price (a pending entry at its limit): money already committed against today's loss
   * limit. Default 0; a negative figure counts as 0, so it can never enlarge the budget.
   */
  openStopRisk?: string;
  openPositions: RiskOpenPosition[];
  /** Symbols with Catalyst's open orders (pending entries count as positions). */
  openOrderSymbols: string[];
  /** Catalyst's open entry orders: sector exposure, correlation and taken symbols. Default none. */
  pendingEntries?: RiskPendingEntry[];
  /** Symbols with open orders that are not Catalyst's: never entered, not counted as positions. */
  foreignOrderSymbols?: string[];
  halted: boolean;
  /** False after the no-new-entries cut-off (and while entries are paused). */
  entriesAllowed: boolean;
  /** The broker's account flags: every entry is refused while trading is blocked. */
  tradingBlocked?: boolean;
  /**
   * Flagged a pattern day trader: below $25,000 of equity FINRA's rule forbids day trades, and
   * every Catalyst entry is one (it flattens before the close), so none is placed.
   */
  patternDayTrader?: boolean;
  /** The decision time (epoch ms); needed to tell whether a cooldown is still running. */
  nowMs?: number;
  /**
   * The end of the cooldown after an emergency stop (epoch ms); null or absent: none. Entries are
   * refused before it, and also when `nowMs` is not given, since the cooldown may still run.
   */
  cooldownUntilMs?: number | null;
}

/** The risk parameters and the trading-config values the risk manager applies (settings map their YAML onto this). */
export interface RiskLimits {
  /** Positive amount; entries stop once the day's P&L is at or below its negative. */
  maxDailyLoss: string;
  maxPositions: number;
  minPositionSize: string;
  maxPositionSize: string;
  riskPerTradePct: number;
  /**
   * 0: entries are paid from cash less the account's open buy orders, never on margin. N (≤ 100):
   * up to N % of the broker's buying power, which includes margin.
   */
  marginBuyingPowerPct: number;
  maxSectorExposurePct: number;
  /** Sectors the exposure limit applies to; empty means every sector. */
  sectorsToLimit: string[];
  maxCorrelation: number;
  correlationCheckEnabled: boolean;
  /** When a correlation with something held cannot be computed: refuse the candidate, or allow it with a note. */
  correlationMissingData: 'reject' | 'allow';
  /** Approvals per batch (the trading config's execute_top_n). */
  executeTopN: number;
  stopLossPct: number;
  takeProfitPct: number;
  useAtrStops: boolean;
  atrMultiplier: number;
  /**
   * Entries are marketable limit orders this percent above the quote. Sizing assumes the fill at
   * the limit, so the loss to the stop can never exceed the risk budget whatever the fill. 0 = at the quote.
   */
  entryLimitOffsetPct: number;
}

export interface RiskDecision {
  symbol: string;
  sector: string;
  compositeScore: number;
  approved: boolean;
  /** 0 when rejected. */
  qty: number;
  /** The entry's limit price (null when rejected). */
  limitPrice: string | null;
  /** Null when rejected. */
  stopPrice: string | null;
  takeProfitPrice: string | null;
  /** "0.00" when rejected. */
  notional: string;
  /** qty × (limit − stop): the loss if the entry fills at its limit and the stop at its price. */
  riskAmount: string;
  reasons: string[];
}
