/**
 * The Broker port: everything Catalyst needs from a broker and market-data venue, in Catalyst's
 * own shapes. Money and prices are decimal strings; analysis inputs (bars) are numbers.
 * The Alpaca adapter (`alpacaBroker.ts`) is the only implementation that knows Alpaca's HTTP shapes.
 */
export type OrderSide = 'buy' | 'sell';
export type OrderType = 'market' | 'limit' | 'stop' | 'stop_limit' | 'trailing_stop';
export type TimeInForce = 'day' | 'gtc' | 'opg' | 'cls' | 'ioc' | 'fok';
export type OrderClass = 'simple' | 'bracket' | 'oco' | 'oto';
export type OrderStatus =
  | 'new'
  | 'accepted'
  | 'pending_new'
  | 'partially_filled'
  | 'filled'
  | 'done_for_day'
  | 'canceled'
  | 'expired'
  | 'replaced'
  | 'pending_cancel'
  | 'pending_replace'
  | 'rejected'
  | 'suspended'
  | 'stopped'
  | 'calculated'
  | 'held'
  | 'accepted_for_bidding';

/** Statuses that still hold shares or buying power: one list, kept with the position rules. */
export { OPEN_ORDER_STATUSES } from '../domain/positions/orderStatus';

export interface BrokerAccount {
  id: string;
  accountNumber: string;
  status: string;
  currency: string;
  cash: string;
  equity: string;
  lastEquity: string;
  buyingPower: string;
  portfolioValue: string;
  patternDayTrader: boolean;
  tradingBlocked: boolean;
}

export interface BrokerClock {
  /** RFC 3339 timestamp of the venue's current time (the simulator's scaled clock). */
  timestamp: string;
  isOpen: boolean;
  nextOpen: string;
  nextClose: string;
}

export interface BrokerCalendarDay {
  date: string; // YYYY-MM-DD
  open: string; // HH:MM New York time
  close: string; // HH:MM New York time
}

export interface BrokerAsset {
  symbol: string;
  name: string;
  exchange: string;
  status: 'active' | 'inactive';
  tradable: boolean;
  shortable: boolean;
  fractionable: boolean;
}

export interface BrokerSnapshot {
  symbol: string;
  latestTradePrice: number;
  latestTradeTime: string;
  bidPrice: number;
  askPrice: number;
  /** Today's session so far; absent before the first trade of the day. */
  dailyBar: BrokerBar | null;
  prevDailyBar: BrokerBar | null;
  minuteBar: BrokerBar | null;
}

export interface BrokerBar {
  t: string; // RFC 3339 start of the bar
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n?: number;
  vw?: number;
}

export interface BrokerOrder {
  id: string;
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  timeInForce: TimeInForce;
  orderClass: OrderClass;
  qty: string;
  filledQty: string;
  filledAvgPrice: string | null;
  limitPrice: string | null;
  stopPrice: string | null;
  status: OrderStatus;
  createdAt: string;
  submittedAt: string | null;
  filledAt: string | null;
  canceledAt: string | null;
  /** The broker's last change to this order: what staleness checks compare (never the worker's clock). */
  updatedAt: string | null;
  /** Bracket/OCO child legs (take-profit, stop-loss), when requested nested. */
  legs: BrokerOrder[];
}

export interface BrokerPosition {
  symbol: string;
  qty: string; // negative for shorts
  side: 'long' | 'short';
  avgEntryPrice: string;
  currentPrice: string;
  marketValue: string;
  costBasis: string;
  unrealizedPl: string;
}

export interface BracketOrderRequest {
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  qty: number; // whole shares
  entryType: 'market' | 'limit';
  limitPrice?: string;
  takeProfitLimitPrice: string;
  stopLossStopPrice: string;
  timeInForce: 'day' | 'gtc';
}

/** A simple (single-leg) order: Catalyst's exits. Quantity is a decimal string of whole shares. */
export interface SimpleOrderRequest {
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  qty: string;
  type: 'market' | 'limit';
  limitPrice?: string;
  timeInForce: 'day' | 'gtc' | 'ioc';
}

export interface ListOrdersQuery {
  status: 'open' | 'closed' | 'all';
  after?: string;
  until?: string;
  limit?: number;
  nested?: boolean;
  symbols?: string[];
}

export interface BarsQuery {
  symbols: string[];
  timeframe: '1Min' | '5Min' | '15Min' | '1Hour' | '1Day';
  start: string;
  end?: string;
}

/** One story from the broker's news feed (Alpaca's Benzinga feed; the simulator's own stories). */
export interface BrokerNews {
  id: number;
  headline: string;
  summary: string;
  /** RFC 3339 publication time: what as-of reads compare against the decision's minute. */
  createdAt: string;
  symbols: string[];
  source: string;
}

export interface NewsQuery {
  symbols: string[];
  /** RFC 3339; both ends inclusive, as the API treats them. */
  start: string;
  end: string;
}

/** What became of a cancel request: accepted, or the order can no longer be cancelled (filled, gone). */
export type CancelOutcome = 'requested' | 'not_cancelable' | 'not_found';

export interface Broker {
  getAccount(): Promise<BrokerAccount>;
  getClock(): Promise<BrokerClock>;
  getCalendar(start: string, end: string): Promise<BrokerCalendarDay[]>;
  listAssets(): Promise<BrokerAsset[]>;
  getSnapshots(symbols: string[]): Promise<Map<string, BrokerSnapshot>>;
  getBars(query: BarsQuery): Promise<Map<string, BrokerBar[]>>;
  /** Every story tagged with one of the symbols and published in [start, end], oldest first. */
  getNews(query: NewsQuery): Promise<BrokerNews[]>;

  /**
   * Places a bracket order. Idempotent on `clientOrderId`: when the broker answers that the id is
   * already used (a retry after a lost response), returns the existing order instead.
   */
  submitBracketOrder(request: BracketOrderRequest): Promise<BrokerOrder>;
  /** Places a simple order; idempotent on `clientOrderId` exactly like `submitBracketOrder`. */
  submitOrder(request: SimpleOrderRequest): Promise<BrokerOrder>;
  getOrderByClientOrderId(clientOrderId: string): Promise<BrokerOrder | null>;
  /** One page (at most 500 orders, newest first). */
  listOrders(query: ListOrdersQuery): Promise<BrokerOrder[]>;
  /** Every order matching the query, page after page, oldest first, each once. */
  listAllOrders(query: Omit<ListOrdersQuery, 'limit'>): Promise<BrokerOrder[]>;
  /** Cancels one order by the broker's id. */
  cancelOrder(orderId: string): Promise<CancelOutcome>;
  listPositions(): Promise<BrokerPosition[]>;
  // Deliberately absent: cancel-all, close-all and close-whole-position. Catalyst acts only on
  // the orders it placed and the quantities they filled, so the port offers nothing account-wide.
}
