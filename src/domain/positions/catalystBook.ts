/**
 * Catalyst's book inside the account's: from the broker's orders (listed nested) and positions,
 * the shares Catalyst's own fills leave it holding per symbol, its working orders, its P&L, and
 * everything else in the account — holdings and orders that are someone else's — reported apart.
 * Pure: the monitor's guard, the flatten, the flat check and risk all read the book through this.
 */
import { parseClientOrderId } from '../clientOrderId';
import { formatMicros, toMicros } from '../money';
import type { BookOrder, BookPosition } from './bookTypes';
import { legRoleOf, isStopOrder } from './legRole';
import { isOpenOrder } from './orderStatus';
import { flattenOrders, splitByOwner } from './ownership';
import { matchRoundTripsReport, totalRealizedPnl, type Fill, type RoundTrip } from './roundTrips';

export interface Holding {
  symbol: string;
  /** Shares Catalyst's own fills leave it holding: its entries' fills minus its legs' and exits' fills. */
  openQty: number;
  /** What Catalyst may sell: its own shares, never more whole shares than the account holds. */
  closableQty: number;
  /** The account's whole position in the symbol, whoever bought it ("0" when flat). */
  accountQty: string;
  /** Volume-weighted entry of the open lots; null when nothing is held. */
  avgEntryPrice: string | null;
  currentPrice: string | null;
  /**
   * When the oldest open lot's entry was sent: where the max-hold clock starts. Alpaca's order
   * record has no first-fill time (filled_at is the last fill, or absent while partial), and a
   * marketable entry fills within a minute of being sent, so the hold is never exceeded.
   */
  openedAt: string | null;
  /** The entry that opened the oldest open lot, and its cycle (exit ids carry it). */
  entryClientOrderId: string | null;
  entryTradingDate: string | null;
  entryCycle: number | null;
  /** The oldest open lot's stop-loss price, whatever its leg's status now. */
  stopPrice: string | null;
  /** Every order of Catalyst's in this symbol, legs included. */
  orders: BookOrder[];
}

export interface ForeignPosition {
  symbol: string;
  /** The part of the account's position that Catalyst did not buy. */
  qty: string;
}

export interface ForeignOrder {
  id: string;
  clientOrderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  status: string;
  /** Unfilled qty × limit price: what the order can still spend (null: no limit price to tell). */
  unfilledNotional?: string | null;
}

export interface CatalystBook {
  tradingDate: string | null;
  /** Catalyst's top-level orders of the date, legs nested. */
  orders: BookOrder[];
  /** Every symbol in which Catalyst holds shares or has a working order. */
  holdings: Holding[];
  trips: RoundTrip[];
  /** Counts as the day reports them: symbols where Catalyst holds shares it can sell, its open orders (legs included). */
  openPositions: number;
  openOrders: number;
  realizedPnl: string;
  unrealizedPnl: string;
  dailyPnl: string;
  foreignPositions: ForeignPosition[];
  /** Open orders that are not Catalyst's for this date (by hand, other systems, other dates). */
  foreignOrders: ForeignOrder[];
  /** Inconsistencies worth a look that must never stop the rules (e.g. shares sold by hand). */
  anomalies: string[];
}

export interface BookInput {
  /** Orders as listed nested (bracket legs inside their parent), any owner. */
  orders: readonly BookOrder[];
  positions: readonly BookPosition[];
  /** The day whose book this is; null = Catalyst's orders of every date. */
  tradingDate: string | null;
}

const ZERO = 0n;
const SHARE = 1_000_000n;

/** The fill an order's aggregate amounts to (Alpaca reports per order: filled qty and average price). */
function fillOf(o: BookOrder): Fill | null {
  const qty = Number(o.filledQty);
  if (!(qty > 0) || !o.filledAvgPrice) return null;
  return {
    orderId: o.id,
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    qty,
    price: o.filledAvgPrice,
    // A partial fill has no filled_at on Alpaca: its submission still orders it before its exits.
    filledAt: o.filledAt ?? o.submittedAt ?? o.createdAt,
  };
}

export function catalystBook(input: BookInput): CatalystBook {
  const { ours, other_date, foreign } = splitByOwner(input.orders, input.tradingDate);
  const anomalies: string[] = [];
  const all = flattenOrders(ours);

  const fills: Fill[] = [];
  for (const o of all) {
    const fill = fillOf(o);
    if (!fill) continue;
    if (!Number.isSafeInteger(fill.qty)) {
      anomalies.push(
        `order ${o.clientOrderId || o.id} filled a fractional ${o.filledQty} ${o.symbol}; ignored`,
      );
      continue;
    }
    fills.push(fill);
  }
  const { trips, excessSells } = matchRoundTripsReport(fills);
  for (const x of excessSells)
    anomalies.push(`sell ${x.orderId} of ${x.symbol} closes ${x.qty} more shares than Catalyst bought`);

  const accountQty = new Map(input.positions.map((p) => [p.symbol, p]));
  const entryById = new Map(ours.map((o) => [o.id, o]));
  const symbols = new Set<string>([
    ...trips.filter((t) => t.openQty > 0).map((t) => t.symbol),
    ...all.filter(isOpenOrder).map((o) => o.symbol),
  ]);

  const holdings: Holding[] = [...symbols].sort().map((symbol) => {
    const open = trips.filter((t) => t.symbol === symbol && t.openQty > 0);
    const openQty = open.reduce((n, t) => n + t.openQty, 0);
    const position = accountQty.get(symbol);
    const held = position ? toMicros(position.qty) : ZERO;
    const wholeHeld = held > ZERO ? Number(held / SHARE) : 0;
    if (openQty > 0 && held < BigInt(openQty) * SHARE)
      anomalies.push(
        `the account holds ${position?.qty ?? '0'} ${symbol} but Catalyst bought ${openQty} (sold outside Catalyst?)`,
      );
    const oldest = open[0];
    const entry = oldest ? entryById.get(oldest.entryOrderId) : undefined;
    const parts = oldest ? parseClientOrderId(oldest.entryClientOrderId) : null;
    const stopLeg = entry?.legs.find((l) => legRoleOf(l, entry) === 'stop_loss' && isStopOrder(l));
    const lotCost = open.reduce((sum, t) => sum + toMicros(t.entryPrice) * BigInt(t.openQty), ZERO);
    return {
      symbol,
      openQty,
      closableQty: Math.max(0, Math.min(openQty, wholeHeld)),
      accountQty: position?.qty ?? '0',
      avgEntryPrice: openQty > 0 ? formatMicros(lotCost / BigInt(openQty), 6) : null,
      currentPrice: position?.currentPrice ?? null,
      openedAt: entry?.submittedAt ?? entry?.createdAt ?? oldest?.openedAt ?? null,
      entryClientOrderId: oldest?.entryClientOrderId ?? null,
      entryTradingDate: parts?.tradingDate ?? null,
      entryCycle: parts?.cycle ?? null,
      stopPrice: stopLeg?.stopPrice ?? null,
      orders: all.filter((o) => o.symbol === symbol),
    };
  });

  // Marked to market: only the shares the account still holds for Catalyst. Shares someone sold
  // by hand come off the oldest lots first, as the broker's own FIFO accounting takes them.
  let unrealized = ZERO;
  for (const h of holdings) {
    const price = h.currentPrice;
    if (!price) continue;
    let soldByHand = h.openQty - h.closableQty;
    for (const t of trips) {
      if (t.symbol !== h.symbol || t.openQty <= 0) continue;
      const gone = Math.min(soldByHand, t.openQty);
      soldByHand -= gone;
      unrealized += (toMicros(price) - toMicros(t.entryPrice)) * BigInt(t.openQty - gone);
    }
  }
  const realized = totalRealizedPnl(trips);

  const oursBySymbol = new Map(holdings.map((h) => [h.symbol, h.openQty]));
  const foreignPositions: ForeignPosition[] = [];
  for (const p of input.positions) {
    const ours = BigInt(oursBySymbol.get(p.symbol) ?? 0) * SHARE;
    const rest = toMicros(p.qty) - ours;
    // Fewer shares than Catalyst bought is an anomaly (above); any position of a symbol Catalyst
    // holds nothing in — a short included — is someone else's.
    if (rest > ZERO || (ours === ZERO && rest !== ZERO))
      foreignPositions.push({ symbol: p.symbol, qty: formatMicros(rest, 6).replace(/\.?0+$/, '') });
  }
  const foreignOrders: ForeignOrder[] = flattenOrders([...foreign, ...other_date])
    .filter(isOpenOrder)
    .map((o) => ({
      id: o.id,
      clientOrderId: o.clientOrderId,
      symbol: o.symbol,
      side: o.side,
      status: o.status,
      unfilledNotional: unfilledNotional(o),
    }));

  return {
    tradingDate: input.tradingDate,
    orders: ours,
    holdings,
    trips,
    // Shares someone sold outside Catalyst are no longer Catalyst's to close: count what it can act on.
    openPositions: holdings.filter((h) => h.closableQty > 0).length,
    openOrders: all.filter(isOpenOrder).length,
    realizedPnl: realized,
    unrealizedPnl: formatMicros(unrealized, 2),
    dailyPnl: formatMicros(toMicros(realized) + unrealized, 2),
    foreignPositions,
    foreignOrders,
    anomalies,
  };
}

/** True when Catalyst holds nothing and has nothing working: what the close must reach. */
export const isFlat = (book: Pick<CatalystBook, 'openPositions' | 'openOrders'>): boolean =>
  book.openPositions === 0 && book.openOrders === 0;

/** What an open order can still spend or raise: unfilled qty × its limit (null without one). */
export function unfilledNotional(o: Pick<BookOrder, 'qty' | 'filledQty' | 'limitPrice'>): string | null {
  if (!o.limitPrice) return null;
  const unfilled = toMicros(o.qty) - toMicros(o.filledQty);
  if (unfilled <= ZERO) return '0.00';
  return formatMicros((unfilled * toMicros(o.limitPrice)) / SHARE, 6);
}
