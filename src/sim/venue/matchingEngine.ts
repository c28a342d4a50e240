/**
 * Fills orders against 1-minute bars, one minute boundary at a time, in market time only, so
 * fills depend on (seed, orders, submission minute) and never on wall-clock speed.
 *
 * At the boundary that starts minute j (time open + j min), in this order:
 *  1. resting orders live during minute j-1 that its range reached fill: stops (and trailing
 *     stops, and stop-limits) before limits, so when one minute touches both exits of a group
 *     the stop wins (pessimistic). Trailing stops that did not trigger then raise their mark;
 *  2. orders live at minute j that are marketable at its open fill at the open, against the
 *     quote there (market orders, orders that gapped through their price, remainders of
 *     partial fills); ioc and fok orders that are still open after this are cancelled;
 *  3. at the close boundary, day orders still open expire.
 * Nothing fills in a minute without trades (a halt): orders wait for the reopening print.
 */
import type { Micros } from '../../domain/money';
import type { Account } from './account';
import {
  bestPriceInMinute,
  limitMarketable,
  marketFill,
  stopFill,
  stopLimitFill,
  stopPriceInMinute,
  stopTouched,
  takerPrice,
} from './fillPricing';
import type { MarketModel } from '../market/marketModel';
import type { OrderBook } from './orderBook';
import type { SimOrder } from './orderModel';
import { isOpen, remainingQty } from './orderModel';
import { PartialFills } from './partialFills';
import type { Session } from '../market/sessionTimeline';
import { MINUTE_MS, completedMinutes } from '../market/sessionTimeline';
import type { SymbolSeries } from '../market/symbolSeries';
import { nextMark, trailingStopUnits } from './trailingStop';
import { microsPerUnit, unitsToMicros } from '../wireFormat';

export interface MatchingOptions {
  seed: number;
  /** Share of first fills that come up short; see partialFills.ts. */
  partialFillRate: number;
}

const isStopLike = (o: SimOrder): boolean =>
  o.type === 'stop' || o.type === 'trailing_stop' || (o.type === 'stop_limit' && !o.triggered);

/** Orders that take whatever the market gives: market orders and triggered stops. */
const takesLiquidity = (o: SimOrder): boolean =>
  o.type === 'market' || ((o.type === 'stop' || o.type === 'trailing_stop') && o.triggered);

/** Exact when fills came in partial lots (see partialFills.ts); to the nearest micro otherwise. */
function averagePrice(notional: Micros, qty: number): Micros {
  const q = BigInt(qty);
  return (notional * 2n + q) / (2n * q);
}

export class MatchingEngine {
  private sessionIndex = 0;
  /** The next minute boundary of the current session to process (0 = the open). */
  private nextBoundary = 0;
  private readonly partials: PartialFills;

  constructor(
    private readonly model: MarketModel,
    private readonly book: OrderBook,
    private readonly account: Account,
    options: MatchingOptions,
  ) {
    this.partials = new PartialFills(options.seed, options.partialFillRate);
  }

  get currentSessionIndex(): number {
    return this.sessionIndex;
  }

  /** Processes every boundary of the current session at or before `now`. */
  runUntil(now: number): void {
    const session = this.model.session(this.sessionIndex);
    if (now < session.openMs) return;
    const last = Math.min(session.minutes, Math.floor((now - session.openMs) / MINUTE_MS));
    while (this.nextBoundary <= last) this.processBoundary(session, this.nextBoundary++);
  }

  /** Runs the current session through its close, then starts the next one. */
  finishSessionAndAdvance(): void {
    const session = this.model.session(this.sessionIndex);
    while (this.nextBoundary <= session.minutes) this.processBoundary(session, this.nextBoundary++);
    this.sessionIndex += 1;
    this.nextBoundary = 0;
  }

  /**
   * Fills a market order as it arrives, inside the forming minute, at `tradeUnits` (the minute's
   * last trade) with the usual spread and impact; its legs trade from the next minute. A first
   * fill that comes up short (partialFills.ts) is followed at once by the rest one tick worse: a
   * marketable order sweeps the book instead of resting (ioc keeps only the first fill, fok none).
   */
  fillOnArrival(o: SimOrder, tradeUnits: number, now: number): void {
    const session = this.model.session(this.sessionIndex);
    const minute = completedMinutes(session, now);
    const series = this.series(o, session);
    const volume = this.minuteVolume(series, minute);
    if (volume === 0) return;
    const price = marketFill(o.side, tradeUnits, remainingQty(o), volume);
    this.fill(o, price, series, now, session, minute + 1);
    if (!isOpen(o)) return;
    if (o.timeInForce === 'ioc' || o.timeInForce === 'fok') return this.cancel(o, now);
    this.fill(o, o.side === 'buy' ? price + 1 : Math.max(1, price - 1), series, now, session, minute + 1);
  }

  private processBoundary(session: Session, j: number): void {
    const t = session.openMs + j * MINUTE_MS;
    if (j === 0) this.activateQueued(session, t);
    if (this.book.open().length === 0) return;
    if (j > 0) this.processTouches(session, j - 1, t);
    this.processOpens(session, j, t);
    if (j === session.minutes) this.expireDayOrders(session, t);
  }

  private isLive(o: SimOrder, session: Session, minute: number): boolean {
    if (!o.live || o.status === 'held') return false;
    return o.live.session < session.index || (o.live.session === session.index && o.live.minute <= minute);
  }

  private activateQueued(session: Session, t: number): void {
    for (const o of this.book.open()) {
      if (o.status === 'accepted' && o.live && o.live.session <= session.index) {
        o.status = 'new';
        o.updatedAt = t;
      }
    }
  }

  private series(o: SimOrder, session: Session): SymbolSeries {
    return this.model.series(o.symbol, session.index);
  }

  private units(micros: Micros, series: SymbolSeries): number {
    return Number(micros / microsPerUnit(series.unitsPerDollar));
  }

  /** Shares traded in `minute` (the close print counts as the last minute); 0 while halted. */
  private minuteVolume(series: SymbolSeries, minute: number): number {
    return series.volume[Math.min(minute, series.minutes - 1)] ?? 0;
  }

  private processTouches(session: Session, minute: number, t: number): void {
    const candidates = this.book
      .open()
      .filter((o) => !takesLiquidity(o) && this.isLive(o, session, minute))
      .sort((a, b) => Number(isStopLike(b)) - Number(isStopLike(a)) || a.seq - b.seq);
    for (const o of candidates) {
      // The remainder of a fill at this minute's open waits for the next open: had the price
      // come back to the order, it would have filled there, not at its limit.
      if (!isOpen(o) || o.lastFillAt === t - MINUTE_MS) continue;
      const series = this.series(o, session);
      const volume = this.minuteVolume(series, minute);
      // No trades, no fills (a halted minute), and no new mark either.
      if (volume === 0) continue;
      const low = series.low[minute]!;
      const high = series.high[minute]!;
      const qty = remainingQty(o);
      let price: number | null = null;
      if (isStopLike(o)) {
        if (o.stopPrice === null) continue;
        const stop = this.units(o.stopPrice, series);
        if (stopTouched(o.side, stop, stopPriceInMinute(o.side, low, high))) {
          o.triggered = true;
          o.updatedAt = t;
          price =
            o.type === 'stop_limit'
              ? stopLimitFill(o.side, stop, this.units(o.limitPrice!, series), qty, volume)
              : stopFill(o.side, stop, qty, volume);
        } else if (o.type === 'trailing_stop') {
          this.moveMark(o, series, low, high, t);
        }
      } else {
        const limit = this.units(o.limitPrice!, series);
        if (limitMarketable(o.side, limit, bestPriceInMinute(o.side, low, high))) price = limit;
      }
      if (price !== null) this.fill(o, price, series, t, session, minute + 1);
    }
  }

  private processOpens(session: Session, j: number, t: number): void {
    const queue = this.book.open().filter((o) => this.isLive(o, session, j));
    for (let i = 0; i < queue.length; i++) {
      const o = queue[i]!;
      if (!isOpen(o) || o.lastFillAt === t) continue;
      const series = this.series(o, session);
      const open = series.path[j]!;
      const volume = this.minuteVolume(series, j);
      if (o.type === 'trailing_stop' && o.hwm === null && volume > 0) this.startMark(o, series, open, t);
      const price = volume > 0 ? this.openFillPrice(o, open, series, volume, t) : null;
      if (price !== null) {
        // Legs released by this fill may already be marketable at the same open.
        for (const leg of this.fill(o, price, series, t, session, j))
          if (this.isLive(leg, session, j)) queue.push(leg);
      } else if (o.type === 'trailing_stop' && !o.triggered && volume > 0) {
        this.moveMark(o, series, open, open, t);
      }
      // Immediate-or-cancel and fill-or-kill get exactly one chance: their first live open.
      if ((o.timeInForce === 'ioc' || o.timeInForce === 'fok') && isOpen(o)) this.cancel(o, t);
    }
  }

  private openFillPrice(
    o: SimOrder,
    open: number,
    series: SymbolSeries,
    volume: number,
    t: number,
  ): number | null {
    const qty = remainingQty(o);
    if (takesLiquidity(o)) return marketFill(o.side, open, qty, volume);
    if (o.type === 'limit' || (o.type === 'stop_limit' && o.triggered)) {
      const limit = this.units(o.limitPrice!, series);
      return limitMarketable(o.side, limit, open) ? takerPrice(o.side, open) : null;
    }
    if (o.stopPrice === null) return null;
    if (!stopTouched(o.side, this.units(o.stopPrice, series), open)) return null;
    o.triggered = true;
    o.updatedAt = t;
    if (o.type === 'stop_limit')
      return stopLimitFill(o.side, open, this.units(o.limitPrice!, series), qty, volume);
    return stopFill(o.side, open, qty, volume);
  }

  private startMark(o: SimOrder, series: SymbolSeries, price: number, t: number): void {
    o.hwm = unitsToMicros(price, series.unitsPerDollar);
    this.restop(o, series);
    o.updatedAt = t;
  }

  private moveMark(o: SimOrder, series: SymbolSeries, low: number, high: number, t: number): void {
    if (o.hwm === null) return;
    const mark = unitsToMicros(nextMark(o.side, this.units(o.hwm, series), low, high), series.unitsPerDollar);
    if (mark === o.hwm) return;
    o.hwm = mark;
    this.restop(o, series);
    // The order's hwm and stop_price changed: a client reading updated_at must see that.
    o.updatedAt = t;
  }

  private restop(o: SimOrder, series: SymbolSeries): void {
    const upd = series.unitsPerDollar;
    const stop = trailingStopUnits(o.side, this.units(o.hwm!, series), o.trail!, microsPerUnit(upd));
    o.stopPrice = unitsToMicros(stop, upd);
  }

  /**
   * Fills the order's remaining quantity, or the part of it the partial-fill draw allows, at
   * `priceUnits`; returns legs this fill released (they go live at `legsLiveMinute`).
   */
  private fill(
    o: SimOrder,
    priceUnits: number,
    series: SymbolSeries,
    t: number,
    session: Session,
    legsLiveMinute: number,
  ): SimOrder[] {
    const remaining = remainingQty(o);
    const upd = series.unitsPerDollar;
    const qty = this.partials.fillQty(o.drawKey, t, o.qty, remaining, microsPerUnit(upd));
    if (qty < remaining && o.timeInForce === 'fok') {
      this.cancel(o, t);
      return [];
    }
    if (o.side === 'sell' && (this.account.positions.get(o.symbol)?.qty ?? 0) < qty) {
      // The shares are gone (sold by another order): nothing left for this one to sell.
      this.cancel(o, t);
      return [];
    }
    const price = unitsToMicros(priceUnits, upd);
    o.filledQty += qty;
    o.filledNotional += price * BigInt(qty);
    o.filledAvgPrice = averagePrice(o.filledNotional, o.filledQty);
    o.status = o.filledQty === o.qty ? 'filled' : 'partially_filled';
    o.filledAt = t;
    o.lastFillAt = t;
    o.updatedAt = t;
    this.account.applyFill(
      {
        orderId: o.id,
        symbol: o.symbol,
        side: o.side,
        qty,
        price,
        at: t,
        cumQty: o.filledQty,
        leavesQty: remainingQty(o),
      },
      session.index,
    );

    // One-cancels-other: a complete exit cancels its partners, a partial one shrinks them.
    for (const sibling of this.book.exitSiblings(o)) {
      if (!isOpen(sibling)) continue;
      if (o.status === 'filled') this.cancel(sibling, t);
      else {
        sibling.qty = sibling.filledQty + remainingQty(o);
        sibling.updatedAt = t;
      }
    }

    const released: SimOrder[] = [];
    if (o.status !== 'filled') return released;
    for (const leg of this.book.legs(o)) {
      if (leg.status !== 'held') continue;
      leg.status = 'new';
      leg.live = { session: session.index, minute: legsLiveMinute };
      leg.updatedAt = t;
      released.push(leg);
    }
    return released;
  }

  private cancel(o: SimOrder, t: number): void {
    o.status = 'canceled';
    o.canceledAt = t;
    o.updatedAt = t;
  }

  private expireDayOrders(session: Session, t: number): void {
    for (const o of this.book.open()) {
      if (o.status === 'held' || o.timeInForce !== 'day' || !o.live || o.live.session > session.index)
        continue;
      o.status = 'expired';
      o.expiredAt = t;
      o.updatedAt = t;
      for (const leg of this.book.legs(o)) if (leg.status === 'held') this.cancel(leg, t);
    }
  }
}
