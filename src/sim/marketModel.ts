/**
 * The deterministic market: for a seed, every symbol's minute series in every session, its
 * daily history, and nothing about time (callers decide what is visible at the clock's now).
 * Series are generated lazily on first access; the current session's are cached.
 */
import { nextTradingDay } from '../domain/calendar';
import { priorDailyBars, priorDayStarts } from './dailyHistory';
import type { FactorPaths } from './factorPaths';
import { buildFactorPaths } from './factorPaths';
import type { MarketDay } from './marketDays';
import { marketDayFor } from './marketDays';
import type { Session } from './sessionTimeline';
import { makeSession } from './sessionTimeline';
import type { SymbolSeries, UnitBar } from './symbolSeries';
import { generateSymbolSeries, sessionBar, unitsPerDollarFor } from './symbolSeries';
import type { SimAsset, Universe } from './universe';

const FACTOR_CACHE_SIZE = 8;

export class MarketModel {
  private readonly sessions: Session[] = [];
  private readonly factors = new Map<number, FactorPaths>();
  private currentIndex = 0;
  private readonly currentSeries = new Map<string, SymbolSeries>();
  /** Per symbol, the completed daily bar of each session index. */
  private readonly summaries = new Map<string, UnitBar[]>();
  private readonly prior = new Map<string, UnitBar[]>();
  private readonly priorStarts: number[];

  constructor(
    readonly seed: number,
    readonly universe: Universe,
    private readonly days: readonly MarketDay[],
    firstSessionDate: string,
  ) {
    this.sessions.push(makeSession(0, firstSessionDate));
    this.priorStarts = priorDayStarts(firstSessionDate);
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

  /** Cached minute series of the current session (for memory accounting in tests). */
  cachedSeriesCount(): number {
    return this.currentSeries.size;
  }

  private factorPaths(index: number): FactorPaths {
    let paths = this.factors.get(index);
    if (!paths) {
      const session = this.session(index);
      paths = buildFactorPaths(this.seed, index, session.minutes, marketDayFor(this.days, this.seed, index));
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

  private requireAsset(symbol: string): SimAsset {
    const asset = this.universe.bySymbol.get(symbol);
    if (!asset) throw new Error(`unknown symbol ${symbol}`);
    return asset;
  }
}
