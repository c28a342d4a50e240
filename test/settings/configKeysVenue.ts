/**
 * A scripted venue for test/settings/configKeys.test.ts: a Broker that answers the few requests the
 * activities under test make (clock, calendar, assets, snapshots, bars, news, account, orders,
 * positions, cancel, sell) from data the test sets, so each test controls exactly the fact a key
 * acts on. Anything else throws: a test that reaches it is testing something else. The real
 * adapter and simulator are covered elsewhere (test/activities, test/sim).
 */
import type {
  BarsQuery,
  Broker,
  BrokerAccount,
  BrokerAsset,
  BrokerBar,
  BrokerCalendarDay,
  BrokerClock,
  BrokerNews,
  BrokerOrder,
  BrokerPosition,
  BrokerSnapshot,
  CancelOutcome,
  ListOrdersQuery,
  NewsQuery,
  SimpleOrderRequest,
} from '../../src/broker/port';
import { addDays, isTradingDay, nyTimeToUtcMs } from '../../src/domain/calendar';
import type { BookOrder } from '../../src/domain/positions';
import type { DatedClose } from '../../src/domain/risk';

export const DATE = '2026-11-24';
export const PRIOR_DATE = '2026-11-23';
export const at = (hhmm: string, date = DATE): number => nyTimeToUtcMs(date, hhmm);
export const MIN = 60_000;

const iso = (ms: number): string => new Date(ms).toISOString();
const OPEN_STATUSES = new Set([
  'new',
  'accepted',
  'pending_new',
  'partially_filled',
  'held',
  'accepted_for_bidding',
]);

export class FakeVenue implements Broker {
  nowMs = at('10:00');
  account: BrokerAccount = {
    id: 'acct',
    accountNumber: 'PA0001',
    status: 'ACTIVE',
    currency: 'USD',
    cash: '100000.00',
    equity: '100000.00',
    lastEquity: '100000.00',
    buyingPower: '200000.00',
    portfolioValue: '100000.00',
    patternDayTrader: false,
    tradingBlocked: false,
  };
  assets: BrokerAsset[] = [];
  snapshots = new Map<string, BrokerSnapshot>();
  /** Per symbol, by timeframe ('1Min', '1Day'), oldest first. */
  bars = new Map<string, BrokerBar[]>();
  news: BrokerNews[] = [];
  orders: BrokerOrder[] = [];
  positions: BrokerPosition[] = [];
  sent: SimpleOrderRequest[] = [];
  calls: string[] = [];

  async getClock(): Promise<BrokerClock> {
    this.calls.push('getClock');
    return {
      timestamp: iso(this.nowMs),
      isOpen: this.nowMs >= at('09:30') && this.nowMs < at('16:00'),
      nextOpen: iso(at('09:30', addDays(DATE, 1))),
      nextClose: iso(at('16:00')),
    };
  }

  async getCalendar(start: string, end: string): Promise<BrokerCalendarDay[]> {
    this.calls.push('getCalendar');
    const out: BrokerCalendarDay[] = [];
    for (let d = start; d <= end; d = addDays(d, 1))
      if (isTradingDay(d)) out.push({ date: d, open: '09:30', close: '16:00' });
    return out;
  }

  async listAssets(): Promise<BrokerAsset[]> {
    this.calls.push('listAssets');
    return this.assets;
  }

  async getSnapshots(symbols: string[]): Promise<Map<string, BrokerSnapshot>> {
    this.calls.push('getSnapshots');
    return new Map(symbols.flatMap((s) => (this.snapshots.has(s) ? [[s, this.snapshots.get(s)!]] : [])));
  }

  async getBars(q: BarsQuery): Promise<Map<string, BrokerBar[]>> {
    this.calls.push(`getBars ${q.timeframe}`);
    const from = Date.parse(q.start);
    const to = q.end === undefined ? Infinity : Date.parse(q.end);
    const out = new Map<string, BrokerBar[]>();
    for (const s of q.symbols) {
      const list = (this.bars.get(`${s}/${q.timeframe}`) ?? []).filter((b) => {
        const t = Date.parse(b.t);
        return t >= from && t <= to;
      });
      if (list.length) out.set(s, list);
    }
    return out;
  }

  async getNews(q: NewsQuery): Promise<BrokerNews[]> {
    this.calls.push('getNews');
    const from = Date.parse(q.start);
    const to = Date.parse(q.end);
    return this.news.filter((n) => {
      const t = Date.parse(n.createdAt);
      return t >= from && t <= to && n.symbols.some((s) => q.symbols.includes(s));
    });
  }

  async getAccount(): Promise<BrokerAccount> {
    this.calls.push('getAccount');
    return this.account;
  }

  async listAllOrders(_q: Omit<ListOrdersQuery, 'limit'>): Promise<BrokerOrder[]> {
    this.calls.push('listAllOrders');
    return structuredClone(this.orders);
  }

  async listPositions(): Promise<BrokerPosition[]> {
    this.calls.push('listPositions');
    return structuredClone(this.positions);
  }

  async cancelOrder(orderId: string): Promise<CancelOutcome> {
    this.calls.push(`cancelOrder ${orderId}`);
    for (const o of this.orders.flatMap((p) => [p, ...p.legs])) {
      if (o.id !== orderId) continue;
      if (!OPEN_STATUSES.has(o.status)) return 'not_cancelable';
      o.status = 'canceled';
      o.canceledAt = iso(this.nowMs);
      return 'requested';
    }
    return 'not_found';
  }

  async submitOrder(r: SimpleOrderRequest): Promise<BrokerOrder> {
    this.calls.push(`submitOrder ${r.clientOrderId}`);
    this.sent.push(r);
    return brokerOrder({
      id: `sent-${this.sent.length}`,
      clientOrderId: r.clientOrderId,
      symbol: r.symbol,
      side: r.side,
      type: r.type,
      qty: r.qty,
      filledQty: '0',
      filledAvgPrice: null,
      limitPrice: r.limitPrice ?? null,
      stopPrice: null,
      status: 'new',
      createdAt: iso(this.nowMs),
      submittedAt: iso(this.nowMs),
      filledAt: null,
      legs: [],
    });
  }

  submitBracketOrder(): Promise<BrokerOrder> {
    throw new Error('FakeVenue: submitBracketOrder is not scripted');
  }
  getOrderByClientOrderId(): Promise<BrokerOrder | null> {
    throw new Error('FakeVenue: getOrderByClientOrderId is not scripted');
  }
  listOrders(): Promise<BrokerOrder[]> {
    throw new Error('FakeVenue: listOrders is not scripted');
  }
}

/** A BookOrder (test/domain/bookKit.ts builds them) as the broker port returns it. */
export function brokerOrder(o: BookOrder): BrokerOrder {
  return {
    ...o,
    side: o.side,
    type: o.type as BrokerOrder['type'],
    status: o.status as BrokerOrder['status'],
    timeInForce: 'day',
    orderClass: o.legs.length ? 'bracket' : 'simple',
    canceledAt: null,
    updatedAt: o.updatedAt ?? null,
    legs: o.legs.map(brokerOrder),
  };
}

export function position(symbol: string, qty: number, avgEntry: string, current: string): BrokerPosition {
  const value = (Number(current) * qty).toFixed(2);
  return {
    symbol,
    qty: String(qty),
    side: 'long',
    avgEntryPrice: avgEntry,
    currentPrice: current,
    marketValue: value,
    costBasis: (Number(avgEntry) * qty).toFixed(2),
    unrealizedPl: ((Number(current) - Number(avgEntry)) * qty).toFixed(2),
  };
}

export function asset(symbol: string): BrokerAsset {
  return {
    symbol,
    name: symbol,
    exchange: 'NASDAQ',
    status: 'active',
    tradable: true,
    shortable: true,
    fractionable: false,
  };
}

/** A snapshot at the decision minute: today's open, last price and volume so far; yesterday's close and volume. */
export function snapshot(
  symbol: string,
  s: { price: number; open: number; prevClose: number; volume: number; prevVolume: number },
): BrokerSnapshot {
  const bar = (o: number, c: number, v: number, t: string): BrokerBar => ({
    t,
    o,
    h: Math.max(o, c),
    l: Math.min(o, c),
    c,
    v,
  });
  return {
    symbol,
    latestTradePrice: s.price,
    latestTradeTime: iso(at('09:59')),
    bidPrice: s.price,
    askPrice: s.price,
    dailyBar: bar(s.open, s.price, s.volume, iso(at('09:30'))),
    prevDailyBar: bar(s.prevClose, s.prevClose, s.prevVolume, iso(at('09:30', PRIOR_DATE))),
    minuteBar: null,
  };
}

/** `count` trading days before DATE, oldest first. */
export function tradingDaysBefore(count: number, date = DATE): string[] {
  const out: string[] = [];
  for (let d = addDays(date, -1); out.length < count; d = addDays(d, -1)) if (isTradingDay(d)) out.unshift(d);
  return out;
}

/** Dated closes from 100 following the given daily returns (one more close than returns). */
export function closesFromReturns(
  returns: readonly number[],
  dates = tradingDaysBefore(returns.length + 1),
): DatedClose[] {
  const out: DatedClose[] = [{ date: dates[0]!, close: 100 }];
  returns.forEach((r, i) => out.push({ date: dates[i + 1]!, close: out[i]!.close * (1 + r) }));
  return out;
}

/** Daily bars (noon UTC, inside the New York date) of dated closes. */
export const dailyBars = (closes: readonly DatedClose[]): BrokerBar[] =>
  closes.map((c) => ({
    t: `${c.date}T17:00:00Z`,
    o: c.close,
    h: c.close,
    l: c.close,
    c: c.close,
    v: 1_000_000,
  }));

/**
 * Row k (1..7) of the 8×8 Walsh–Hadamard matrix as ±1 % daily returns: zero mean, and any two
 * rows are orthogonal, so the returns of two different rows have a Pearson correlation of 0.
 */
export const walsh = (k: number, scale = 0.01): number[] =>
  Array.from({ length: 8 }, (_, i) => (popcount(k & i) % 2 === 0 ? scale : -scale));
const popcount = (x: number): number => (x === 0 ? 0 : (x & 1) + popcount(x >> 1));

/**
 * Minute bars for one symbol over the previous session and today up to `untilMs`: a deterministic
 * zig-zag whose bar range grows with the minute's position in its quarter hour, so ATRs of
 * different timeframes differ.
 */
export function minuteBars(untilMs: number): BrokerBar[] {
  const out: BrokerBar[] = [];
  let price = 50;
  for (const date of [PRIOR_DATE, DATE]) {
    for (let t = at('09:30', date); t < at('16:00', date) && t < untilMs; t += MIN) {
      const i = out.length;
      const step = ((i * 7919) % 13) / 100 - 0.06;
      const range = 0.02 + (i % 15) * 0.01;
      const o = price;
      const c = Math.max(1, price + step);
      out.push({
        t: iso(t),
        o,
        h: Math.max(o, c) + range,
        l: Math.min(o, c) - range,
        c,
        v: 1000 + (i % 50) * 10,
      });
      price = c;
    }
  }
  return out;
}
