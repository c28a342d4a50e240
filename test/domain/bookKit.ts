/**
 * Builders for the position rules' inputs: broker orders as Alpaca lists them nested (a bracket's
 * legs inside their entry, with the broker's own random client ids), and positions. Every test
 * states the facts it depends on; the builders fill in the rest with neutral values.
 */
import { clientOrderId } from '../../src/domain/clientOrderId';
import { formatMicros, toMicros } from '../../src/domain/money';
import type { BookOrder, BookPosition } from '../../src/domain/positions';

export const DATE = '2026-11-24';
export const OTHER_DATE = '2026-11-23';

/** 09:30 New York on DATE (a Tuesday in EST: UTC−5) plus `minutes`. */
export const OPEN_MS = Date.parse('2026-11-24T14:30:00.000Z');
export const MIN = 60_000;
export const T = (minutes: number): string => new Date(OPEN_MS + minutes * MIN).toISOString();

let next = 0;
/** A fresh broker id (the broker's uuid stands in as "o<n>"). */
export const brokerId = (): string => `o${++next}`;

/** Catalyst's id for an order of `symbol` in `cycle` (default: an entry on DATE). */
export const catId = (
  symbol: string,
  cycle = 1,
  leg = 'entry',
  attempt?: number,
  tradingDate: string = DATE,
): string =>
  clientOrderId({ tradingDate, cycle, symbol, leg, ...(attempt === undefined ? {} : { attempt }) });

export function order(p: Partial<BookOrder> & Pick<BookOrder, 'symbol' | 'side'>): BookOrder {
  const id = p.id ?? brokerId();
  return {
    id,
    clientOrderId: `manual-${id}`,
    type: 'market',
    qty: '1',
    filledQty: '0',
    filledAvgPrice: null,
    limitPrice: null,
    stopPrice: null,
    status: 'new',
    createdAt: T(0),
    submittedAt: p.createdAt ?? T(0),
    filledAt: null,
    legs: [],
    ...p,
  };
}

/** An order that filled `qty` at `price` at minute `at` (status filled, or partially_filled when short). */
export function filled(
  o: Partial<BookOrder> & Pick<BookOrder, 'symbol' | 'side'>,
  qty: number,
  price: string,
  at: number,
): BookOrder {
  const whole = Number(o.qty ?? qty);
  return order({
    createdAt: T(at - 1),
    ...o,
    qty: String(whole),
    filledQty: String(qty),
    filledAvgPrice: price,
    filledAt: T(at),
    status: o.status ?? (qty >= whole ? 'filled' : 'partially_filled'),
  });
}

export interface BracketSpec {
  symbol: string;
  cycle?: number;
  tradingDate?: string;
  /** Client id of the entry; default Catalyst's entry id for symbol, cycle and date. */
  clientOrderId?: string;
  qty: number;
  /** Shares the entry filled (default all of them) at `price`. */
  filledQty?: number;
  price?: string;
  /** Entry status; default follows the fill (new / partially_filled / filled). */
  status?: string;
  stop: string;
  target: string;
  /** Minute the entry was sent; it fills a minute later. */
  at?: number;
  /** Status of both legs; default held until the entry fills, then new. */
  legStatus?: string;
}

/** A bracket entry (limit buy) with its take-profit (limit sell) and stop-loss (stop sell) legs. */
export function bracket(s: BracketSpec): BookOrder {
  const at = s.at ?? 5;
  const fq = s.filledQty ?? s.qty;
  const status = s.status ?? (fq === 0 ? 'new' : fq < s.qty ? 'partially_filled' : 'filled');
  const legStatus = s.legStatus ?? (status === 'filled' ? 'new' : 'held');
  const leg = (p: Partial<BookOrder>): BookOrder =>
    order({ symbol: s.symbol, side: 'sell', qty: String(s.qty), status: legStatus, createdAt: T(at), ...p });
  return order({
    symbol: s.symbol,
    side: 'buy',
    type: 'limit',
    clientOrderId:
      s.clientOrderId ?? catId(s.symbol, s.cycle ?? 1, 'entry', undefined, s.tradingDate ?? DATE),
    qty: String(s.qty),
    limitPrice: s.price ?? '100.00',
    filledQty: String(fq),
    filledAvgPrice: fq > 0 ? (s.price ?? '100.00') : null,
    filledAt: fq > 0 ? T(at + 1) : null,
    status,
    createdAt: T(at),
    legs: [leg({ type: 'limit', limitPrice: s.target }), leg({ type: 'stop', stopPrice: s.stop })],
  });
}

/** The bracket with one leg (by type) replaced by `patch`. */
export function withLeg(entry: BookOrder, type: 'limit' | 'stop', patch: Partial<BookOrder>): BookOrder {
  return { ...entry, legs: entry.legs.map((l) => (l.type === type ? { ...l, ...patch } : l)) };
}

export const position = (symbol: string, qty: string | number, currentPrice = '100.00'): BookPosition => ({
  symbol,
  qty: String(qty),
  currentPrice,
});

/** Cents as a price string ("123.45"). */
export const dollars = (cents: number | bigint): string => formatMicros(BigInt(cents) * 10_000n, 2);
/** A price string as exact cents. */
export const centsOf = (price: string): bigint => toMicros(price) / 10_000n;
