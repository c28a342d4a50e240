import { randomUUID } from 'node:crypto';
/**
 * The simulated venue: one clock, one market, one account, one order book and its matching
 * engine. Every request first syncs the venue to the clock's now, so fills and session
 * rollovers happen lazily in market-time order whatever the wall-clock speed.
 */
import { nyTimeToUtcMs } from '../../domain/calendar';
import type { Micros } from '../../domain/money';
import { Account } from './account';
import type { SimClock } from '../clock/simClock';
import type { Holding } from './holdings';
import type { MarketDay } from '../market/marketDays';
import { MarketModel } from '../market/marketModel';
import type { MarketAt } from '../market/marketView';
import { haltedAt, tradeAt } from '../market/marketView';
import { MatchingEngine } from './matchingEngine';
import { OrderBook } from './orderBook';
import type { LivePoint, SimOrder } from './orderModel';
import type { OutageScenario } from '../market/scenarios';
import { outageAt } from '../market/scenarios';
import type { Session } from '../market/sessionTimeline';
import { MINUTE_MS, completedMinutes } from '../market/sessionTimeline';
import type { MarketFills, SimMarketOptions, SimTradingOptions } from '../startSimulator';
import type { Universe } from '../market/universe';
import { unitsToMicros } from '../wireFormat';

export interface VenueOptions {
  seed: number;
  universe: Universe;
  marketDays: readonly MarketDay[];
  firstSessionDate: string;
  clock: SimClock;
  initialCash: Micros;
  /** Shares held before session 0 (checked by parseHoldings). */
  holdings?: readonly Holding[];
  preOpenMinutes: number;
  market?: SimMarketOptions;
  trading?: SimTradingOptions;
}

export class Venue {
  readonly seed: number;
  readonly clock: SimClock;
  readonly model: MarketModel;
  readonly book = new OrderBook();
  readonly account: Account;
  readonly engine: MatchingEngine;
  readonly preOpenMinutes: number;
  /** Refuse a 4th day trade in 5 sessions under $25k (403 40310100). */
  readonly dayTradingProtection: boolean;
  readonly marketFills: MarketFills;
  private sessionIndex = 0;

  constructor(o: VenueOptions) {
    this.seed = o.seed;
    this.clock = o.clock;
    this.preOpenMinutes = o.preOpenMinutes;
    this.model = new MarketModel(o.seed, o.universe, o.marketDays, o.firstSessionDate, o.market ?? {});
    this.account = new Account({
      // A new simulator is a new paper account: records of an earlier run (same seed, same date)
      // must not merge with this one's. Fills and prices stay a function of the seed alone.
      id: randomUUID(),
      accountNumber: `PA${String(o.seed >>> 0)
        .padStart(10, '0')
        .slice(-10)}`,
      initialCash: o.initialCash,
      createdAt: this.model.session(0).openMs - 30 * 86_400_000,
      // Bought at the close before session 0 (so never a day trade, and no P&L before the open).
      openingPositions: (o.holdings ?? []).map((h) => ({
        symbol: h.symbol,
        qty: h.qty,
        costBasis:
          unitsToMicros(this.model.prevCloseUnits(h.symbol, 0), this.model.unitsPerDollar(h.symbol)) *
          BigInt(h.qty),
        openedSession: -1,
      })),
    });
    this.engine = new MatchingEngine(this.model, this.book, this.account, {
      seed: o.seed,
      partialFillRate: o.trading?.partialFillRate ?? 0.1,
    });
    this.dayTradingProtection = o.trading?.dayTradingProtection ?? false;
    this.marketFills = o.trading?.marketFills ?? 'next-open';
  }

  /**
   * With on-arrival fills, a market order submitted while its symbol trades fills now, at the last
   * trade the quotes show (tradeAt); in a halted minute it waits for the reopening print as before.
   */
  fillOnArrival(o: SimOrder, now: number): void {
    if (this.marketFills !== 'on-arrival' || o.type !== 'market' || o.status !== 'new') return;
    const session = this.session();
    if (now < session.openMs || now >= session.closeMs) return;
    const market = this.market(now);
    if (haltedAt(market, o.symbol, session) !== null) return;
    this.engine.fillOnArrival(o, tradeAt(market, o.symbol).price, now);
  }

  get universe(): Universe {
    return this.model.universe;
  }

  session(): Session {
    return this.model.session(this.sessionIndex);
  }

  /**
   * Generates the current session's market for every tradable symbol now rather than on first
   * use: seconds of CPU that a client's first scan would otherwise spend, market minutes at high speed.
   */
  prepareSession(): void {
    this.sync();
    const index = this.sessionIndex;
    for (const a of this.model.universe.assets) {
      if (!a.tradable) continue;
      this.model.series(a.symbol, index);
      // The previous day's bar every snapshot carries: the generated history before the first session.
      if (index === 0) this.model.priorDailyBars(a.symbol);
      else this.model.completedDailyBar(a.symbol, index - 1);
    }
  }

  /** Brings sessions, fills and expiries up to the clock's now; returns that now. */
  sync(): number {
    const now = this.clock.now();
    // A new session begins at midnight of its date: the old one is closed out first.
    for (;;) {
      const next = this.model.session(this.sessionIndex + 1);
      if (now < nyTimeToUtcMs(next.date, '00:00')) break;
      this.engine.finishSessionAndAdvance();
      this.account.lastEquity = this.equityAtClose(this.sessionIndex);
      this.sessionIndex += 1;
      this.model.setCurrentSession(this.sessionIndex);
    }
    this.engine.runUntil(now);
    return now;
  }

  /** Moves the clock forward to `ms` (never back) and syncs. */
  advanceTo(ms: number): void {
    const now = this.clock.now();
    if (ms < now) throw new Error(`the market clock only moves forward (now ${new Date(now).toISOString()})`);
    this.clock.set(ms);
    this.sync();
  }

  /** Jumps to `preOpenMinutes` before the open of the trading day after the current session. */
  advanceToNextSession(): void {
    this.sync();
    const next = this.model.session(this.sessionIndex + 1);
    this.advanceTo(Math.max(this.clock.now(), next.openMs - this.preOpenMinutes * MINUTE_MS));
  }

  /** The scenario outage under way at market time `now`, if any: the broker answers nothing then. */
  outageAt(now: number): OutageScenario | null {
    const s = this.model.session(this.model.scenario.sessionIndex);
    if (now < s.openMs) return null;
    return outageAt(this.model.scenario, Math.floor((now - s.openMs) / MINUTE_MS));
  }

  market(now: number): MarketAt {
    return { model: this.model, sessionIndex: this.sessionIndex, now };
  }

  /** When an order submitted at `now` may first trade, and the status it starts in. */
  liveFor(now: number): { live: LivePoint; status: 'new' | 'accepted' } {
    const s = this.session();
    if (now < s.openMs) return { live: { session: s.index, minute: 0 }, status: 'accepted' };
    if (now >= s.closeMs) return { live: { session: s.index + 1, minute: 0 }, status: 'accepted' };
    return { live: { session: s.index, minute: completedMinutes(s, now) + 1 }, status: 'new' };
  }

  priceMicros(symbol: string, now: number): Micros {
    const trade = tradeAt(this.market(now), symbol);
    return unitsToMicros(trade.price, trade.unitsPerDollar);
  }

  longMarketValue(now: number): Micros {
    let total = 0n;
    for (const p of this.account.positions.values()) total += this.priceMicros(p.symbol, now) * BigInt(p.qty);
    return total;
  }

  equity(now: number): Micros {
    return this.account.cash + this.longMarketValue(now);
  }

  buyingPower(): Micros {
    const bp = this.account.cash - this.book.reservedCash();
    return bp > 0n ? bp : 0n;
  }

  private equityAtClose(index: number): Micros {
    let total = this.account.cash;
    for (const p of this.account.positions.values()) {
      const series = this.model.series(p.symbol, index);
      total += unitsToMicros(series.path[series.minutes]!, series.unitsPerDollar) * BigInt(p.qty);
    }
    return total;
  }
}
