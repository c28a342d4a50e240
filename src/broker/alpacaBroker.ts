/**
 * The Broker port on Alpaca's official client (`@alpacahq/alpaca-trade-api` 4.x). The same code
 * talks to Alpaca paper/live and to Catalyst's simulator: a fetch wrapper sends the client's
 * trading and market-data requests to the configured base URLs. The client's own retries are
 * off (Temporal retries activities); errors become typed Temporal failures (brokerErrors.ts).
 * One token bucket per broker keeps every request, trading and data alike, under the key's limit.
 */
import type { trading } from '@alpacahq/alpaca-trade-api';
import { Alpaca } from '@alpacahq/alpaca-trade-api';
import { ApplicationFailure } from '@temporalio/common';
import { nyTimeToUtcMs, toNyIso } from '../domain/calendar';
import { normalizeDecimal, toMicros } from '../domain/money';
import { ErrorType } from '../shared';
import {
  isDuplicateClientOrderId,
  isNotCancelable,
  isNotFound,
  mayHaveBeenProcessed,
  toBrokerFailure,
} from './brokerErrors';
import type {
  BarsQuery,
  BracketOrderRequest,
  Broker,
  BrokerAccount,
  BrokerAsset,
  BrokerBar,
  BrokerNews,
  BrokerCalendarDay,
  BrokerClock,
  BrokerOrder,
  BrokerPosition,
  BrokerSnapshot,
  CancelOutcome,
  ListOrdersQuery,
  NewsQuery,
  OrderClass,
  OrderSide,
  OrderStatus,
  OrderType,
  SimpleOrderRequest,
  TimeInForce,
} from './port';
import { currentLane } from './safetyLane';
import type { TokenBucket } from './tokenBucket';
import { createTokenBucket } from './tokenBucket';

export interface AlpacaBrokerOptions {
  keyId: string;
  secretKey: string;
  /** e.g. https://paper-api.alpaca.markets, https://api.alpaca.markets, or the simulator's url. */
  tradingBaseUrl: string;
  /** e.g. https://data.alpaca.markets, or the simulator's url. */
  dataBaseUrl: string;
  paper: boolean;
  /** Client-side budget in requests per broker minute; default 170; false = none. */
  rateLimitPerMinute?: number | false;
  /** Requests that may go at once after a quiet spell; default 5. */
  rateLimitBurst?: number;
  /** Tokens only stops and flattens may spend (safetyLane.ts); default 25. Per minute + burst + reserve = Alpaca's 200. */
  rateLimitSafetyReserve?: number;
  /** Broker minutes per wall-clock minute: the simulator's speed (it limits per market minute); default 1. */
  clockSpeed?: number;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
  /** Market-data feed; default: whatever the account's subscription defaults to. */
  feed?: 'iex' | 'sip';
}

/** Symbols per market-data request: keeps URLs well under server header limits. */
export const SYMBOLS_PER_REQUEST = 500;
/** News takes its symbols in the query string too, but a page holds at most 50 stories. */
const NEWS_SYMBOLS_PER_REQUEST = 100;
const NEWS_PAGE_LIMIT = 50;
const BARS_PAGE_LIMIT = 10_000;
const MAX_PAGES = 10_000;
/** Alpaca's largest page of orders. */
export const ORDERS_PAGE_LIMIT = 500;

// No minute ever holds more than 170 + 5 + 25 = Alpaca's 200 requests. The reserve sends a flatten
// of five positions at once (two reads, a cancel per working order, a re-read, a sell per position:
// ~25 requests) however drained the scan left the budget; the scan gets 170 a minute instead of 190.
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 170;
export const DEFAULT_RATE_LIMIT_BURST = 5;
export const DEFAULT_RATE_LIMIT_SAFETY_RESERVE = 25;

const TRADING_ORIGINS = new Set(['https://paper-api.alpaca.markets', 'https://api.alpaca.markets']);
const DATA_ORIGINS = new Set(['https://data.alpaca.markets', 'https://data.sandbox.alpaca.markets']);

function baseUrl(text: string, name: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw ApplicationFailure.create({
      type: ErrorType.InvalidConfig,
      message: `${name} is not a URL: ${JSON.stringify(text)}`,
      nonRetryable: true,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw ApplicationFailure.create({
      type: ErrorType.InvalidConfig,
      message: `${name} must be http(s): ${text}`,
      nonRetryable: true,
    });
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Sends the client's requests for Alpaca's hosts to our base URLs, and nowhere else. */
function rebasingFetch(
  tradingBase: string,
  dataBase: string,
  budget: TokenBucket | null,
): (url: string, init: RequestInit) => Promise<Response> {
  return async (url, init) => {
    const u = new URL(url);
    const base = TRADING_ORIGINS.has(u.origin) ? tradingBase : DATA_ORIGINS.has(u.origin) ? dataBase : null;
    // Never forward the key headers to a host we were not configured for.
    if (base === null) throw new Error(`refusing to send an Alpaca request to unexpected host ${u.origin}`);
    await budget?.take(init.signal ?? undefined, currentLane());
    return fetch(`${base}${u.pathname}${u.search}`, init);
  };
}

function brokerDataError(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: ErrorType.BrokerRejected, message, nonRetryable: true });
}

/**
 * A 2xx answer whose body is not JSON at all (cut short, empty, an HTML page from a proxy):
 * retryable like a network fault, and still a SyntaxError for callers that ask.
 */
export class BrokerResponseError extends SyntaxError {
  override readonly name = 'BrokerResponseError';
}

/** What was malformed in an answer, by error: the adapter method adds its name and endpoint. */
const MALFORMED = new WeakMap<Error, string>();

/** An answer Catalyst cannot use: `detail` says what ("a malformed bar for AAPL: …"). */
function malformed(detail: string): ApplicationFailure {
  const err = brokerDataError(`Alpaca returned ${detail}`);
  MALFORMED.set(err, detail);
  return err;
}

function notJson(text: string | null): BrokerResponseError {
  const what =
    text === null
      ? 'a body that is not JSON (empty, cut short or an HTML page)'
      : text.trim() === ''
        ? 'an empty body instead of JSON'
        : /^\s*</.test(text)
          ? `an HTML page instead of JSON (${JSON.stringify(text.trim().slice(0, 60))})`
          : `JSON that is cut short or malformed (${text.length} characters)`;
  const err = new BrokerResponseError(`Alpaca returned ${what}`);
  MALFORMED.set(err, what);
  return err;
}

/** The endpoint behind each adapter method, named in every malformed-answer error. */
const ENDPOINTS: Readonly<Record<keyof Broker, string>> = {
  getAccount: 'GET /v2/account',
  getClock: 'GET /v2/clock',
  getCalendar: 'GET /v2/calendar',
  listAssets: 'GET /v2/assets',
  getSnapshots: 'GET /v2/stocks/snapshots',
  getBars: 'GET /v2/stocks/bars',
  getNews: 'GET /v1beta1/news',
  submitBracketOrder: 'POST /v2/orders',
  submitOrder: 'POST /v2/orders',
  getOrderByClientOrderId: 'GET /v2/orders:by_client_order_id',
  listOrders: 'GET /v2/orders',
  listAllOrders: 'GET /v2/orders',
  cancelOrder: 'DELETE /v2/orders/{id}',
  listPositions: 'GET /v2/positions',
};

/** Every method's malformed-answer errors name the method and its endpoint. */
function namingEndpoints(broker: Broker): Broker {
  const named: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(broker) as [
    keyof Broker,
    (...a: unknown[]) => Promise<unknown>,
  ][]) {
    named[name] = async (...args: unknown[]) => {
      try {
        return await method(...args);
      } catch (err) {
        const detail = err instanceof Error ? MALFORMED.get(err) : undefined;
        if (detail === undefined) throw err;
        const message = `Alpaca ${name} (${ENDPOINTS[name]}) returned ${detail}`;
        throw err instanceof BrokerResponseError
          ? new BrokerResponseError(message)
          : brokerDataError(message);
      }
    };
  }
  return named as unknown as Broker;
}

function invalidRequest(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: ErrorType.InvalidOrder, message, nonRetryable: true });
}

function validClientOrderId(clientOrderId: string): void {
  if (!clientOrderId || clientOrderId.length > 48) {
    throw invalidRequest(`clientOrderId must be 1..48 characters, got ${JSON.stringify(clientOrderId)}`);
  }
}

function validPrices(prices: ReadonlyArray<readonly [string, string | undefined]>): void {
  for (const [name, value] of prices) {
    if (value === undefined) continue;
    try {
      if (toMicros(value) <= 0n) throw new Error('not positive');
    } catch {
      throw invalidRequest(`${name} must be a positive decimal string, got ${JSON.stringify(value)}`);
    }
  }
}

/**
 * "10" or "10.00" → "10". Whole shares only: a fraction would open a fractional position that
 * bracket legs and day-trade counts do not expect, so it is refused rather than rounded.
 */
function wholeShares(qty: string): string {
  const m = /^\s*(\d+)(?:\.0*)?\s*$/.exec(qty);
  const n = m ? BigInt(m[1]!) : 0n;
  if (n <= 0n || n > BigInt(Number.MAX_SAFE_INTEGER))
    throw invalidRequest(`qty must be a positive whole number of shares, got ${JSON.stringify(qty)}`);
  return n.toString();
}

const iso = (d: Date | null | undefined): string | null =>
  d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : null;

function decimal(value: string, what: string): string {
  try {
    return normalizeDecimal(value);
  } catch {
    // Named: "a non-decimal amount" alone does not say which field of which answer was wrong.
    throw malformed(`a non-decimal ${what}: ${JSON.stringify(value)?.slice(0, 60)}`);
  }
}

function money(value: string | null | undefined, what: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  return decimal(value, what);
}

function requiredMoney(value: string | null | undefined, what: string): string {
  const m = money(value, what);
  if (m === null) throw malformed(`no ${what}`);
  return m;
}

/** A price that must be above zero (what a position is valued and stopped on). */
function requiredPrice(value: string | null | undefined, what: string): string {
  const m = requiredMoney(value, what);
  // A zero or negative price would value a position at nothing or trigger its stop.
  if (toMicros(m) <= 0n) throw malformed(`a ${what} that is not above zero: ${m}`);
  return m;
}

/** Quantities without trailing zeros: "10", "0.5". */
function quantity(value: string | null | undefined, what: string): string {
  if (value === null || value === undefined || value === '') return '0';
  return decimal(value, what).replace(/\.?0+$/, '') || '0';
}

/**
 * The instant Alpaca gave, as a string or a Date (the client converts some fields, not all),
 * in one canonical form: UTC RFC 3339 with milliseconds.
 */
function instant(value: unknown): string {
  const ms =
    typeof value === 'string' ? Date.parse(value) : value instanceof Date ? value.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw malformed(`an invalid timestamp: ${JSON.stringify(value)?.slice(0, 60)}`);
  return new Date(ms).toISOString();
}

type AlpacaOrder = trading.Order | trading.OrderLeg;

function toBrokerOrder(o: AlpacaOrder): BrokerOrder {
  // A null in a list of orders used to end in a TypeError.
  if (typeof o !== 'object' || o === null) throw malformed(`an order that is not an object: ${String(o)}`);
  if (!o.id || !o.symbol || !o.side)
    throw malformed(`an incomplete order: ${JSON.stringify({ id: o.id, symbol: o.symbol })}`);
  const orderClass = (
    o.orderClass === '' || o.orderClass === undefined || o.orderClass === 'mleg' ? 'simple' : o.orderClass
  ) as OrderClass;
  const legs = (o.legs ?? []) as AlpacaOrder[];
  return {
    id: o.id,
    clientOrderId: o.clientOrderId ?? '',
    symbol: o.symbol,
    side: o.side as OrderSide,
    type: o.type as OrderType,
    timeInForce: o.timeInForce as TimeInForce,
    orderClass,
    qty: quantity(o.qty, `qty of order ${o.id}`),
    filledQty: quantity(o.filledQty, `filled_qty of order ${o.id}`),
    filledAvgPrice: money(o.filledAvgPrice, `filled_avg_price of order ${o.id}`),
    limitPrice: money(o.limitPrice, `limit_price of order ${o.id}`),
    stopPrice: money(o.stopPrice, `stop_price of order ${o.id}`),
    status: (o.status ?? 'new') as OrderStatus,
    createdAt: iso(o.createdAt) ?? '',
    submittedAt: iso(o.submittedAt),
    filledAt: iso(o.filledAt),
    canceledAt: iso(o.canceledAt),
    updatedAt: iso(o.updatedAt),
    legs: legs.filter((leg) => typeof leg === 'object' && leg !== null && 'id' in leg).map(toLegOrder),
  };
}

/** Legs nested inside legs arrive raw (snake_case); brackets never nest deeper than one level. */
function toLegOrder(leg: AlpacaOrder): BrokerOrder {
  return toBrokerOrder({ ...leg, legs: null } as AlpacaOrder);
}

/** The instant Alpaca pages orders by, in ms: submitted_at (created_at if the venue left it out). */
function pagedAt(o: trading.Order): number {
  const t = o.submittedAt ?? o.createdAt;
  const ms = t instanceof Date ? t.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw malformed(`order ${o.id ?? '?'} without a valid submitted_at`);
  return ms;
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw malformed(
      `${what} as ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value} instead of an object`,
    );
  return value as Record<string, unknown>;
}

const finiteField = (o: Record<string, unknown>, key: string): number | null =>
  typeof o[key] === 'number' && Number.isFinite(o[key]) ? (o[key] as number) : null;

/** A finite price above zero, or null: a negative or zero price is no price. */
const priceField = (o: Record<string, unknown>, key: string): number | null => {
  const v = finiteField(o, key);
  return v !== null && v > 0 ? v : null;
};

/** A wire bar {t, o, h, l, c, v, n?, vw?}, or one clear error naming the symbol. */
function wireBar(raw: unknown, symbol: string): BrokerBar {
  const b = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  // Prices above zero and a volume of at least zero: a negative price is as malformed as NaN.
  const o = priceField(b, 'o');
  const h = priceField(b, 'h');
  const l = priceField(b, 'l');
  const c = priceField(b, 'c');
  const v = finiteField(b, 'v');
  if (o === null || h === null || l === null || c === null || v === null || v < 0)
    throw malformed(`a malformed bar for ${symbol}: ${JSON.stringify(raw)?.slice(0, 200)}`);
  const out: BrokerBar = { t: instant(b.t), o, h, l, c, v };
  const n = finiteField(b, 'n');
  const vw = finiteField(b, 'vw');
  if (n !== null) out.n = n;
  if (vw !== null) out.vw = vw;
  return out;
}

/** A wire snapshot; null when the symbol has not traded yet (nothing to price it by). */
function wireSnapshot(symbol: string, raw: unknown): BrokerSnapshot | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const s = raw as Record<string, unknown>;
  const trade = s.latestTrade as Record<string, unknown> | undefined;
  if (!trade || typeof trade !== 'object') return null;
  const price = priceField(trade, 'p');
  if (price === null)
    throw malformed(`a latest trade of ${symbol} without a price above zero: ${JSON.stringify(trade.p)}`);
  const quote = (typeof s.latestQuote === 'object' && s.latestQuote !== null ? s.latestQuote : {}) as Record<
    string,
    unknown
  >;
  const bar = (key: string): BrokerBar | null => (s[key] ? wireBar(s[key], symbol) : null);
  return {
    symbol,
    latestTradePrice: price,
    latestTradeTime: instant(trade.t),
    // No bid or ask (0), or garbage (negative, NaN): the trade price stands in, as for a missing quote.
    bidPrice: priceField(quote, 'bp') ?? price,
    askPrice: priceField(quote, 'ap') ?? price,
    dailyBar: bar('dailyBar'),
    prevDailyBar: bar('prevDailyBar'),
    minuteBar: bar('minuteBar'),
  };
}

/** Longest headline and summary kept: scoring a 1 MB "headline" costs half a CPU second. */
export const MAX_HEADLINE_CHARS = 1_000;
export const MAX_SUMMARY_CHARS = 5_000;

const clip = (text: unknown, max: number): string =>
  typeof text !== 'string' ? '' : text.length > max ? `${text.slice(0, max - 1)}…` : text;

function toBrokerNews(n: {
  id: number;
  headline?: string;
  summary?: string;
  createdAt?: unknown;
  symbols?: string[];
  source?: string;
}): BrokerNews {
  if (typeof n !== 'object' || n === null) throw malformed(`a news item that is not an object`);
  if (!Number.isSafeInteger(n.id)) throw malformed(`a news item without an id`);
  return {
    id: n.id,
    headline: clip(n.headline, MAX_HEADLINE_CHARS),
    summary: clip(n.summary, MAX_SUMMARY_CHARS),
    createdAt: instant(n.createdAt),
    symbols: Array.isArray(n.symbols) ? n.symbols.filter((s) => typeof s === 'string') : [],
    source: typeof n.source === 'string' ? n.source : '',
  };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const uniqueSymbols = (symbols: readonly string[]): string[] => [
  ...new Set(symbols.map((s) => s.trim()).filter(Boolean)),
];

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ORDER_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** RFC 3339 passes through; a bare date means the start (or end) of that New York day. */
function toDate(text: string, name: string, endOfDay = false): Date {
  let ms = Number.NaN;
  try {
    ms = DATE_ONLY.test(text)
      ? endOfDay
        ? nyTimeToUtcMs(text, '23:59:59') + 999
        : nyTimeToUtcMs(text, '00:00')
      : Date.parse(text);
  } catch {
    // reported below
  }
  if (Number.isNaN(ms))
    throw brokerDataError(`${name} is not a date or RFC 3339 timestamp: ${JSON.stringify(text)}`);
  return new Date(ms);
}

export function createAlpacaBroker(opts: AlpacaBrokerOptions): Broker {
  const tradingBase = baseUrl(opts.tradingBaseUrl, 'tradingBaseUrl');
  const dataBase = baseUrl(opts.dataBaseUrl, 'dataBaseUrl');
  if (!opts.keyId || !opts.secretKey) {
    throw ApplicationFailure.create({
      type: ErrorType.InvalidConfig,
      message: 'Alpaca key id and secret are required',
      nonRetryable: true,
    });
  }
  const budget =
    opts.rateLimitPerMinute === false
      ? null
      : createTokenBucket({
          perMinute: opts.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
          burst: opts.rateLimitBurst ?? DEFAULT_RATE_LIMIT_BURST,
          safetyReserve: opts.rateLimitSafetyReserve ?? DEFAULT_RATE_LIMIT_SAFETY_RESERVE,
          clockSpeed: opts.clockSpeed,
        });
  const alpaca = new Alpaca({
    keyId: opts.keyId,
    secret: opts.secretKey,
    paper: opts.paper,
    retry: false,
    rateLimit: false,
    timeoutMs: opts.timeoutMs ?? 30_000,
    fetchApi: rebasingFetch(tradingBase, dataBase, budget),
  });
  const api = alpaca.trading;
  const data = alpaca.marketData;
  const secrets = [opts.secretKey, opts.keyId];
  const feed = opts.feed;

  /** toBrokerFailure, and the client's parse errors as malformed answers. */
  function brokerError(err: unknown, operation: string): unknown {
    const failure = toBrokerFailure(err, operation, secrets);
    if (failure !== err || err instanceof BrokerResponseError) return failure;
    // The client's own JSON parser and model mapping: a raw SyntaxError or TypeError is a 2xx
    // answer that is not JSON, or JSON of the wrong shape (null or an object for a list).
    if (err instanceof SyntaxError) return notJson(null);
    if (err instanceof TypeError)
      return malformed('JSON of the wrong shape (null, or an object where a list belongs)');
    return err;
  }

  async function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw brokerError(err, operation);
    }
  }

  /**
   * Market data in bulk (thousands of snapshots, tens of thousands of bars a cycle) is read from the
   * raw answer with JSON.parse: the client's lossless parser and model mapping cost several times
   * the request itself. Prices are decimals either way, and the shapes are checked here.
   */
  async function rawJson(operation: string, fn: () => Promise<{ raw: Response }>): Promise<unknown> {
    // Reading and parsing the body stays inside `call`: a connection lost mid-body or a truncated
    // answer is classified (and retried) like any other failed request, as the client's parser was.
    return call(operation, async () => {
      const text = await (await fn()).raw.text();
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw notJson(text);
      }
    });
  }

  async function getOrderByClientOrderId(clientOrderId: string): Promise<BrokerOrder | null> {
    try {
      return toBrokerOrder(await api.orders.getOrderByClientOrderId({ clientOrderId }));
    } catch (err) {
      if (isNotFound(err)) return null;
      throw brokerError(err, 'getOrderByClientOrderId');
    }
  }

  async function listOrders(query: ListOrdersQuery): Promise<BrokerOrder[]> {
    const orders = await call('listOrders', () =>
      api.orders.getAllOrders({
        status: query.status,
        after: query.after,
        until: query.until,
        limit: query.limit ?? 500,
        nested: query.nested,
        symbols: query.symbols && query.symbols.length > 0 ? query.symbols : undefined,
        direction: 'desc',
      }),
    );
    return orders.map(toBrokerOrder);
  }

  /**
   * Every order, oldest first. Alpaca pages by time only: `after` is exclusive on submitted_at and
   * several orders can share one instant, so each next page starts 1 ms before the last order seen
   * and the overlap is dropped by id.
   */
  async function listAllOrders(query: Omit<ListOrdersQuery, 'limit'>): Promise<BrokerOrder[]> {
    const byId = new Map<string, BrokerOrder>();
    let after = query.after;
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const page = await call('listAllOrders', () =>
        api.orders.getAllOrders({
          status: query.status,
          after,
          until: query.until,
          limit: ORDERS_PAGE_LIMIT,
          nested: query.nested,
          symbols: query.symbols && query.symbols.length > 0 ? query.symbols : undefined,
          direction: 'asc',
        }),
      );
      let fresh = 0;
      for (const raw of page) {
        const order = toBrokerOrder(raw);
        if (!byId.has(order.id)) fresh++;
        // A re-read order is the newer view of it; Map keeps its first (oldest-first) position.
        byId.set(order.id, order);
      }
      if (page.length < ORDERS_PAGE_LIMIT || fresh === 0) return [...byId.values()];
      const first = pagedAt(page[0]!);
      const last = pagedAt(page[page.length - 1]!);
      // The next page would start 1 ms before this one's instant and bring back the same orders.
      if (first === last) {
        throw brokerDataError(
          `listAllOrders cannot page past ${ORDERS_PAGE_LIMIT} orders submitted at the same instant ` +
            `(${new Date(last).toISOString()}): Alpaca pages orders by submitted_at only`,
        );
      }
      after = new Date(last - 1).toISOString();
    }
    throw brokerDataError(`listAllOrders read ${MAX_PAGES} pages without reaching the last order`);
  }

  /**
   * Places an order at most once per client order id. A retry after a lost answer meets Alpaca's
   * 422 "client_order_id must be unique" and gets the existing order back; a lost answer is
   * looked up before failing, so the activity need not wait out a retry to learn the order exists.
   */
  async function placeOnce(
    operation: string,
    clientOrderId: string,
    request: trading.PostOrderRequest,
  ): Promise<BrokerOrder> {
    try {
      return toBrokerOrder(await api.orders.postOrder({ postOrderRequest: request }));
    } catch (err) {
      if (isDuplicateClientOrderId(err)) {
        const existing = await getOrderByClientOrderId(clientOrderId);
        if (existing) return existing;
      }
      const failure = brokerError(err, operation);
      // A 2xx answer that could not be read means the order was accepted: look it up as for a lost one.
      if (mayHaveBeenProcessed(err) || (failure instanceof Error && MALFORMED.has(failure))) {
        const existing = await getOrderByClientOrderId(clientOrderId).catch(() => null);
        if (existing) return existing;
      }
      throw failure;
    }
  }

  return namingEndpoints({
    async getAccount(): Promise<BrokerAccount> {
      const a = await call('getAccount', () => api.account.getAccount());
      asRecord(a, 'an account'); // null used to end in a TypeError
      return {
        id: a.id,
        accountNumber: a.accountNumber ?? '',
        status: String(a.status ?? ''),
        currency: a.currency ?? 'USD',
        cash: requiredMoney(a.cash, 'account cash'),
        equity: requiredMoney(a.equity, 'account equity'),
        lastEquity: requiredMoney(a.lastEquity, 'account last_equity'),
        buyingPower: requiredMoney(a.buyingPower, 'account buying_power'),
        portfolioValue:
          money(a.portfolioValue, 'account portfolio_value') ?? requiredMoney(a.equity, 'account equity'),
        patternDayTrader: a.patternDayTrader === true,
        tradingBlocked: a.tradingBlocked === true,
      };
    },

    async getClock(): Promise<BrokerClock> {
      const c = await call('getClock', () => api.clock.legacyClock());
      asRecord(c, 'a clock');
      const at = (d: Date, what: string): string => {
        if (!(d instanceof Date) || Number.isNaN(d.getTime()))
          throw malformed(`a clock with an invalid ${what}`);
        return toNyIso(d.getTime());
      };
      // "yes" or 1 would read as open: only a boolean says whether the market is.
      if (typeof c.isOpen !== 'boolean')
        throw malformed(`a clock whose is_open is not true or false: ${JSON.stringify(c.isOpen)}`);
      return {
        timestamp: at(c.timestamp, 'timestamp'),
        isOpen: c.isOpen,
        nextOpen: at(c.nextOpen, 'next_open'),
        nextClose: at(c.nextClose, 'next_close'),
      };
    },

    async getCalendar(start: string, end: string): Promise<BrokerCalendarDay[]> {
      if (!DATE_ONLY.test(start) || !DATE_ONLY.test(end)) {
        throw brokerDataError(`getCalendar needs YYYY-MM-DD dates, got ${JSON.stringify({ start, end })}`);
      }
      const days = await call('getCalendar', () =>
        api.calendar.legacyCalendar({
          start: new Date(`${start}T00:00:00Z`),
          end: new Date(`${end}T00:00:00Z`),
        }),
      );
      return days
        .filter((d) => typeof d === 'object' && d !== null) // a null day is no session
        .map((d) => ({ date: iso(d.date)?.slice(0, 10) ?? '', open: d.open, close: d.close }))
        .filter((d) => d.date >= start && d.date <= end);
    },

    async listAssets(): Promise<BrokerAsset[]> {
      const assets = await call('listAssets', () => api.assets.getV2Assets({ assetClass: 'us_equity' }));
      // An entry without a symbol cannot be scanned or traded: skipped, the others kept.
      return assets
        .filter((a) => typeof a === 'object' && a !== null && typeof a.symbol === 'string' && a.symbol !== '')
        .map((a) => ({
          symbol: a.symbol,
          name: a.name,
          exchange: String(a.exchange),
          status: a.status === 'active' ? 'active' : 'inactive',
          tradable: a.tradable,
          shortable: a.shortable,
          fractionable: a.fractionable,
        }));
    },

    async getSnapshots(symbols: string[]): Promise<Map<string, BrokerSnapshot>> {
      const out = new Map<string, BrokerSnapshot>();
      for (const group of chunk(uniqueSymbols(symbols), SYMBOLS_PER_REQUEST)) {
        const page = await rawJson('getSnapshots', () =>
          data.stocks.stockSnapshotsRaw({ symbols: group.join(','), feed }),
        );
        const asked = new Set(group.map((g) => g.toUpperCase()));
        for (const [symbol, s] of Object.entries(asRecord(page, 'snapshots'))) {
          if (!asked.has(symbol.toUpperCase())) continue; // a symbol nobody asked for is not this answer's
          const snap = wireSnapshot(symbol, s);
          if (snap) out.set(symbol, snap);
        }
      }
      return out;
    },

    async getBars(query: BarsQuery): Promise<Map<string, BrokerBar[]>> {
      const start = toDate(query.start, 'start');
      const end = query.end ? toDate(query.end, 'end', true) : undefined;
      const out = new Map<string, BrokerBar[]>();
      for (const group of chunk(uniqueSymbols(query.symbols), SYMBOLS_PER_REQUEST)) {
        let pageToken: string | undefined;
        const seen = new Set<string>();
        const asked = new Set(group.map((g) => g.toUpperCase()));
        for (let pages = 0; pages < MAX_PAGES; pages++) {
          const resp = asRecord(
            await rawJson('getBars', () =>
              data.stocks.stockBarsRaw({
                symbols: group.join(','),
                timeframe: query.timeframe,
                start,
                end,
                limit: BARS_PAGE_LIMIT,
                pageToken,
                feed,
              }),
            ),
            'bars',
          );
          for (const [symbol, bars] of Object.entries(asRecord(resp.bars ?? {}, 'bars'))) {
            if (!asked.has(symbol.toUpperCase())) continue; // a symbol nobody asked for is not this answer's
            if (!Array.isArray(bars)) throw malformed(`bars of ${symbol} that are not a list`);
            const list = out.get(symbol) ?? [];
            for (const bar of bars) list.push(wireBar(bar, symbol));
            out.set(symbol, list);
          }
          const next = typeof resp.next_page_token === 'string' ? resp.next_page_token : null;
          if (!next || seen.has(next)) break;
          seen.add(next);
          pageToken = next;
        }
      }
      // Oldest first, whatever order they came in: indicators read the last bar as the latest.
      for (const list of out.values()) list.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
      return out;
    },

    async getNews(query: NewsQuery): Promise<BrokerNews[]> {
      const start = toDate(query.start, 'start');
      const end = toDate(query.end, 'end', true);
      const byId = new Map<number, BrokerNews>();
      for (const group of chunk(uniqueSymbols(query.symbols), NEWS_SYMBOLS_PER_REQUEST)) {
        let pageToken: string | undefined;
        const seen = new Set<string>();
        for (let pages = 0; pages < MAX_PAGES; pages++) {
          const resp = await call('getNews', () =>
            data.news.news({
              symbols: group.join(','),
              start,
              end,
              sort: 'asc',
              limit: NEWS_PAGE_LIMIT,
              includeContent: false,
              pageToken,
            }),
          );
          asRecord(resp, 'news');
          // A story tagged with symbols of two groups comes back twice: keep it once. One without
          // a headline has nothing to score: skipped, rather than counted as neutral news.
          for (const n of resp.news ?? []) {
            const story = toBrokerNews(n);
            if (story.headline.trim() !== '') byId.set(story.id, story);
          }
          const next = resp.nextPageToken;
          if (!next || seen.has(next)) break;
          seen.add(next);
          pageToken = next;
        }
      }
      return [...byId.values()].sort(
        (a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id - b.id,
      );
    },

    async submitBracketOrder(req: BracketOrderRequest): Promise<BrokerOrder> {
      validClientOrderId(req.clientOrderId);
      if (!Number.isSafeInteger(req.qty) || req.qty <= 0)
        throw invalidRequest(`qty must be a positive whole number, got ${req.qty}`);
      if (req.entryType === 'limit' && !req.limitPrice)
        throw invalidRequest('a limit entry needs limitPrice');
      validPrices([
        ['takeProfitLimitPrice', req.takeProfitLimitPrice],
        ['stopLossStopPrice', req.stopLossStopPrice],
        ['limitPrice', req.limitPrice],
      ]);
      return placeOnce(`submitBracketOrder ${req.symbol} (${req.clientOrderId})`, req.clientOrderId, {
        symbol: req.symbol,
        qty: String(req.qty),
        side: req.side,
        type: req.entryType,
        timeInForce: req.timeInForce,
        limitPrice: req.entryType === 'limit' ? req.limitPrice : undefined,
        orderClass: 'bracket',
        takeProfit: { limitPrice: req.takeProfitLimitPrice },
        stopLoss: { stopPrice: req.stopLossStopPrice },
        clientOrderId: req.clientOrderId,
      });
    },

    async submitOrder(req: SimpleOrderRequest): Promise<BrokerOrder> {
      validClientOrderId(req.clientOrderId);
      const qty = wholeShares(req.qty);
      if (req.type === 'limit' && !req.limitPrice) throw invalidRequest('a limit order needs limitPrice');
      validPrices([['limitPrice', req.limitPrice]]);
      return placeOnce(`submitOrder ${req.symbol} (${req.clientOrderId})`, req.clientOrderId, {
        symbol: req.symbol,
        qty,
        side: req.side,
        type: req.type,
        timeInForce: req.timeInForce,
        limitPrice: req.type === 'limit' ? req.limitPrice : undefined,
        clientOrderId: req.clientOrderId,
      });
    },

    getOrderByClientOrderId,
    listOrders,

    listAllOrders,

    async cancelOrder(orderId: string): Promise<CancelOutcome> {
      // An empty or dot id would make DELETE /v2/orders/{id} the account-wide cancel-all route.
      if (!ORDER_ID.test(orderId)) throw invalidRequest(`not an order id: ${JSON.stringify(orderId)}`);
      try {
        // The client's own deleteOrderByOrderID never releases the 204 answer, which leaves its
        // 30 s request timer running (a process that is done then waits for it): release it here.
        await (await api.orders.deleteOrderByOrderIDRaw({ orderId })).value();
        return 'requested';
      } catch (err) {
        if (isNotFound(err)) return 'not_found';
        // Filled or cancelled meanwhile: nothing left to cancel, which is what the caller wanted to know.
        if (isNotCancelable(err)) return 'not_cancelable';
        throw brokerError(err, `cancelOrder ${orderId}`);
      }
    },

    async listPositions(): Promise<BrokerPosition[]> {
      const positions = await call('listPositions', () => api.positions.getAllOpenPositions());
      return positions.map((p) => {
        if (typeof p !== 'object' || p === null || typeof p.symbol !== 'string' || p.symbol === '')
          throw malformed(`a position without a symbol: ${JSON.stringify(p)?.slice(0, 100)}`);
        const qty = quantity(p.qty, `qty of ${p.symbol}`);
        return {
          symbol: p.symbol,
          qty,
          side: p.side === 'short' || qty.startsWith('-') ? 'short' : 'long',
          avgEntryPrice: requiredPrice(p.avgEntryPrice, `avg_entry_price of ${p.symbol}`),
          currentPrice: requiredPrice(p.currentPrice, `current_price of ${p.symbol}`),
          marketValue: requiredMoney(p.marketValue, `market_value of ${p.symbol}`),
          costBasis: requiredMoney(p.costBasis, `cost_basis of ${p.symbol}`),
          unrealizedPl: requiredMoney(p.unrealizedPl, `unrealized_pl of ${p.symbol}`),
        };
      });
    },
  });
}
