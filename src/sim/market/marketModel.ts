/**
 * The deterministic market: for a seed, every symbol's minute series in every session, its
 * daily history, each session's news (which drives the big single-name moves) and the optional
 * scenario, and nothing about time (callers decide what is visible at the clock's now).
 * Series are generated lazily on first access; the current session's are cached.
 */
import { nextTradingDay } from '../../domain/calendar';
import { priorDailyBars, priorDayStarts } from './dailyHistory';
import type { FactorPaths } from './factorPaths';
import { buildFactorPaths } from './factorPaths';
import type { MarketDay } from './marketDays';
import { marketDayFor } from './marketDays';
import type { NewsEvent, SessionNews } from './newsModel';
import { DEFAULT_SIGNAL_STRENGTH, generateSessionNews } from './newsModel';
import type { HaltScenario, MarketScenario } from './scenarios';
import { haltOf, parseScenario } from './scenarios';
import type { Session } from './sessionTimeline';
import { makeSession } from './sessionTimeline';
import type { SymbolSeries, UnitBar } from './symbolSeries';
import type { HaltWindow } from './symbolSeries';
import { generateSymbolSeries, sessionBar, tradingPauses, unitsPerDollarFor } from './symbolSeries';
import type { SimAsset, Universe } from './universe';

const FACTOR_CACHE_SIZE = 8;
const NEWS_CACHE_SIZE = 16;

export interface MarketModelOptions {
  /** See scenarios.ts for the syntax; invalid specs throw a ScenarioError naming the spec. */
  scenario?: string;
  /** 0 = headline tone independent of the move, 1 = always matches; default 0.7. */
  signalStrength?: number;
}

export class MarketModel {
  private readonly sessions: Session[] = [];
  private readonly factors = new Map<number, FactorPaths>();
  private currentIndex = 0;
  private readonly currentSeries = new Map<string, SymbolSeries>();
  /** Per symbol, the completed daily bar of each session index. */
  private readonly summaries = new Map<string, UnitBar[]>();
  private readonly prior = new Map<string, UnitBar[]>();
  private readonly priorStarts: number[];
  private readonly newsCache = new Map<number, SessionNews>();
  /** Kept for every session: small, and deep daily-history walks need them symbol by symbol. */
  private readonly shockCache = new Map<number, SessionNews['shocksFor']>();
  readonly scenario: MarketScenario;
  readonly signalStrength: number;

  constructor(
    readonly seed: number,
    readonly universe: Universe,
    private readonly days: readonly MarketDay[],
    firstSessionDate: string,
    options: MarketModelOptions = {},
  ) {
    this.sessions.push(makeSession(0, firstSessionDate));
    this.priorStarts = priorDayStarts(firstSessionDate);
    const strength = options.signalStrength ?? DEFAULT_SIGNAL_STRENGTH;
    if (typeof strength !== 'number' || !(strength >= 0 && strength <= 1))
      throw new Error(`market.signalStrength must be a number from 0 to 1, got ${String(strength)}`);
    this.signalStrength = strength;
    this.scenario = parseScenario(options.scenario, { seed, universe, session: this.sessions[0]! });
  }

  session(index: number): Session {
    if (index < 0) throw new Error(`no session ${index}`);
    while (this.sessions.length <= index) {
      const last = this.sessions[this.sessions.length - 1]!;
      this.sessions.push(makeSession(last.index + 1, nextTradingDay(last.date)));
    }
    return this.sessions[index]!;
  }

  /** The session index trading on `date`, if it is one of the simulated sessions up to `maxIndex`. */
  sessionIndexOf(date: string, maxIndex: number): number | null {
    for (let i = 0; i <= maxIndex; i++) if (this.session(i).date === date) return i;
    return null;
  }

  asset(symbol: string): SimAsset | undefined {
    return this.universe.bySymbol.get(symbol);
  }

  unitsPerDollar(symbol: string): number {
    const asset = this.requireAsset(symbol);
    return unitsPerDollarFor(asset.price);
  }

  /** Drops the previous session's minute series; called when the clock rolls into `index`. */
  setCurrentSession(index: number): void {
    if (index === this.currentIndex) return;
    // Keep the daily bar of every series dropped here: regenerating a whole session for it
    // later (the first screen or snapshot of the next day) would cost far more.
    const old = this.currentIndex;
    const session = this.session(old);
    for (const [symbol, series] of this.currentSeries) {
      const bars = this.summaries.get(symbol) ?? [];
      if (bars.length !== old) continue;
      bars[old] = sessionBar(series, session, session.minutes, session.dayStartMs)!;
      this.summaries.set(symbol, bars);
    }
    this.currentIndex = index;
    this.currentSeries.clear();
  }

  series(symbol: string, index: number): SymbolSeries {
    if (index === this.currentIndex) {
      const cached = this.currentSeries.get(symbol);
      if (cached) return cached;
    }
    const asset = this.requireAsset(symbol);
    const session = this.session(index);
    const unitsPerDollar = unitsPerDollarFor(asset.price);
    const series = generateSymbolSeries({
      seed: this.seed,
      asset,
      session,
      prevClose: this.prevCloseUnits(symbol, index) / unitsPerDollar,
      factors: this.factorPaths(index),
      unitsPerDollar,
      shocks: (this.shockCache.get(index) ?? this.sessionNews(index).shocksFor)(symbol),
      pauses: this.pauses(symbol, index),
    });
    if (index === this.currentIndex) this.currentSeries.set(symbol, series);
    return series;
  }

  /** The close before session `index` (the data file's price before the first session). */
  prevCloseUnits(symbol: string, index: number): number {
    if (index === 0) {
      const asset = this.requireAsset(symbol);
      return Math.max(1, Math.round(asset.price * unitsPerDollarFor(asset.price)));
    }
    return this.completedDailyBar(symbol, index - 1).c;
  }

  /** The full daily bar of session `index` (callers must not show it before that session closes). */
  completedDailyBar(symbol: string, index: number): UnitBar {
    let bars = this.summaries.get(symbol);
    if (!bars) {
      bars = [];
      this.summaries.set(symbol, bars);
    }
    // Walk forward from the last known close so deep histories never recurse.
    for (let i = bars.length; i <= index; i++) {
      const session = this.session(i);
      const series = this.series(symbol, i);
      bars[i] = sessionBar(series, session, session.minutes, session.dayStartMs)!;
    }
    return bars[index]!;
  }

  priorDailyBars(symbol: string): readonly UnitBar[] {
    let bars = this.prior.get(symbol);
    if (!bars) {
      const asset = this.requireAsset(symbol);
      bars = priorDailyBars(this.seed, asset, this.priorStarts, unitsPerDollarFor(asset.price));
      this.prior.set(symbol, bars);
    }
    return bars;
  }

  /** Session `index`'s stories, published or not: callers filter by the clock. */
  news(index: number): readonly NewsEvent[] {
    return this.sessionNews(index).events;
  }

  /** The scenario's trading halt of `symbol` in session `index`, if any. */
  halt(symbol: string, index: number): HaltScenario | null {
    return haltOf(this.scenario, symbol, index);
  }

  /** Every window of minutes in which `symbol` does not trade in session `index`: its halt, the crash's vacuum. */
  pauses(symbol: string, index: number): HaltWindow[] {
    return tradingPauses([this.halt(symbol, index), this.factorPaths(index).vacuum]);
  }

  isHalted(symbol: string, index: number, minute: number): boolean {
    return this.pauses(symbol, index).some((p) => minute >= p.fromMinute && minute < p.toMinute);
  }

  /** Cached minute series of the current session (for memory accounting in tests). */
  cachedSeriesCount(): number {
    return this.currentSeries.size;
  }

  private factorPaths(index: number): FactorPaths {
    let paths = this.factors.get(index);
    if (!paths) {
      const session = this.session(index);
      const shaped = index === this.scenario.sessionIndex;
      paths = buildFactorPaths(this.seed, index, session.minutes, marketDayFor(this.days, this.seed, index), {
        crash: shaped ? this.scenario.crash : null,
        gap: shaped ? this.scenario.gap : null,
      });
      this.factors.set(index, paths);
      if (this.factors.size > FACTOR_CACHE_SIZE) {
        const oldest = [...this.factors.keys()]
          .filter((k) => k !== this.currentIndex)
          .sort((a, b) => a - b)[0];
        if (oldest !== undefined) this.factors.delete(oldest);
      }
    }
    return paths;
  }

  private sessionNews(index: number): SessionNews {
    let news = this.newsCache.get(index);
    if (!news) {
      news = generateSessionNews({
        seed: this.seed,
        session: this.session(index),
        universe: this.universe,
        signalStrength: this.signalStrength,
        scenario: this.scenario,
      });
      this.newsCache.set(index, news);
      this.shockCache.set(index, news.shocksFor);
      if (this.newsCache.size > NEWS_CACHE_SIZE) {
        const oldest = [...this.newsCache.keys()]
          .filter((k) => k !== this.currentIndex)
          .sort((a, b) => a - b)[0];
        if (oldest !== undefined) this.newsCache.delete(oldest);
      }
    }
    return news;
  }

  private requireAsset(symbol: string): SimAsset {
    const asset = this.universe.bySymbol.get(symbol);
    if (!asset) throw new Error(`unknown symbol ${symbol}`);
    return asset;
  }
}
