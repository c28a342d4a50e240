/**
 * Fills orders against 1-minute bars, one minute boundary at a time, in market time only, so
 * fills depend on (seed, orders, submission minute) and never on wall-clock speed.
 *
 * At the boundary that starts minute j (time open + j min), in this order:
 *  1. orders live during minute j-1 that its range touched fill (stops before limits, so when
 *     one minute touches both legs of a bracket the stop wins: pessimistic);
 *  2. orders live at minute j that are marketable at its open fill at the open (market buys at
 *     the ask, sells at the bid; limits and stops that gapped through fill at the open);
 *  3. at the close boundary, day orders still open expire.
 */
import type { Account } from './account';
import type { MarketModel } from './marketModel';
import { spreadAround } from './marketView';
import type { OrderBook } from './orderBook';
import type { SimOrder } from './orderModel';
import { isOpen } from './orderModel';
import type { Session } from './sessionTimeline';
import { MINUTE_MS } from './sessionTimeline';
import { microsPerUnit, unitsToMicros } from './wireFormat';

export class MatchingEngine {
  private sessionIndex = 0;
  /** The next minute boundary of the current session to process (0 = the open). */
  private nextBoundary = 0;

  constructor(
    private readonly model: MarketModel,
    private readonly book: OrderBook,
    private readonly account: Account,
  ) {}

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

  private processOpens(session: Session, j: number, t: number): void {
    const queue = this.book.open().filter((o) => this.isLive(o, session, j));
    for (let i = 0; i < queue.length; i++) {
      const o = queue[i]!;
      if (!isOpen(o)) continue;
      const series = this.model.series(o.symbol, session.index);
      const open = series.path[j]!;
      const price = this.openFillPrice(o, open, series.unitsPerDollar);
      if (price === null) continue;
      // Legs released by this fill may already be marketable at the same open.
      for (const leg of this.fill(o, price, series.unitsPerDollar, t, session, j)) {
        if (this.isLive(leg, session, j)) queue.push(leg);
      }
    }
  }

  private processTouches(session: Session, minute: number, t: number): void {
    const candidates = this.book
      .open()
      .filter((o) => o.type !== 'market' && this.isLive(o, session, minute))
      .sort((a, b) => (a.type === b.type ? a.seq - b.seq : a.type === 'stop' ? -1 : 1));
    for (const o of candidates) {
      if (!isOpen(o)) continue;
      const series = this.model.series(o.symbol, session.index);
      const upd = series.unitsPerDollar;
      const high = series.high[minute]!;
      const low = series.low[minute]!;
      let price: number | null = null;
      if (o.type === 'limit') {
        const limit = this.toUnits(o.limitPrice!, upd);
        if (o.side === 'buy' && low <= limit) price = limit;
        if (o.side === 'sell' && high >= limit) price = limit;
      } else if (o.type === 'stop') {
        const stop = this.toUnits(o.stopPrice!, upd);
        if (o.side === 'sell' && low <= stop) price = Math.max(1, stop - 1);
        if (o.side === 'buy' && high >= stop) price = stop + 1;
      }
      if (price !== null) this.fill(o, price, upd, t, session, minute + 1);
    }
  }

  private openFillPrice(o: SimOrder, open: number, upd: number): number | null {
    switch (o.type) {
      case 'market': {
        const { bid, ask } = spreadAround(open);
        return o.side === 'buy' ? ask : bid;
      }
      case 'limit': {
        const limit = this.toUnits(o.limitPrice!, upd);
        if (o.side === 'buy') return open <= limit ? open : null;
        return open >= limit ? open : null;
      }
      case 'stop': {
        const stop = this.toUnits(o.stopPrice!, upd);
        // One tick of slippage through a triggered stop.
        if (o.side === 'sell') return open <= stop ? Math.max(1, open - 1) : null;
        return open >= stop ? open + 1 : null;
      }
    }
  }

  private toUnits(micros: bigint, upd: number): number {
    return Number(micros / microsPerUnit(upd));
  }

  /** Fills the whole remaining quantity; returns bracket legs this fill released. */
  private fill(
    o: SimOrder,
    priceUnits: number,
    upd: number,
    t: number,
    session: Session,
    liveMinute: number,
  ): SimOrder[] {
    const qty = o.qty - o.filledQty;
    const price = unitsToMicros(priceUnits, upd);
    if (o.side === 'sell') {
      const held = this.account.positions.get(o.symbol)?.qty ?? 0;
      if (held < qty) {
        // The shares are gone (closed elsewhere): nothing left for this order to sell.
        this.cancel(o, t);
        return [];
      }
    }
    this.account.applyFill(
      { orderId: o.id, symbol: o.symbol, side: o.side, qty, price, at: t },
      session.index,
    );
    o.filledQty = o.qty;
    o.filledAvgPrice = price;
    o.status = 'filled';
    o.filledAt = t;
    o.updatedAt = t;
    o.reservedCash = 0n;

    const released: SimOrder[] = [];
    for (const leg of this.book.legs(o)) {
      if (leg.status !== 'held') continue;
      leg.status = 'new';
      leg.live = { session: session.index, minute: liveMinute };
      leg.updatedAt = t;
      released.push(leg);
    }
    if (o.parentId) {
      const parent = this.book.get(o.parentId);
      if (parent)
        for (const sibling of this.book.legs(parent))
          if (sibling !== o && isOpen(sibling)) this.cancel(sibling, t);
    }
    return released;
  }

  private cancel(o: SimOrder, t: number): void {
    o.status = 'canceled';
    o.canceledAt = t;
    o.updatedAt = t;
    o.reservedCash = 0n;
  }

  private expireDayOrders(session: Session, t: number): void {
    for (const o of this.book.open()) {
      if (o.status === 'held' || o.timeInForce !== 'day' || !o.live || o.live.session > session.index)
        continue;
      o.status = 'expired';
      o.expiredAt = t;
      o.updatedAt = t;
      o.reservedCash = 0n;
      for (const leg of this.book.legs(o)) if (leg.status === 'held') this.cancel(leg, t);
    }
  }
}
