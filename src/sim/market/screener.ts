/**
 * The screener's view of the day at the clock's now: each tradable symbol's price, change from
 * the previous close, volume and trade count so far. Like Alpaca's, it resets at the open: before
 * it, the previous session's final numbers are shown.
 */
import { previousTradingDay, sessionBoundsMs } from '../../domain/calendar';
import type { MarketAt } from './marketView';
import { haltedAt, tradeAt } from './marketView';
import { completedMinutes } from './sessionTimeline';
import type { SymbolSeries } from './symbolSeries';
import { formingMinute, tradeCount } from './symbolSeries';

export interface DayActivity {
  symbol: string;
  /** Price units (see unitsPerDollar). */
  price: number;
  prevClose: number;
  volume: number;
  trades: number;
  unitsPerDollar: number;
}

export interface Screen {
  /** The instant the numbers are as of. */
  asOf: number;
  rows: DayActivity[];
}

/** Volume before each minute boundary, so a screen costs O(symbols), not O(symbols × minutes). */
const cumulative = new WeakMap<SymbolSeries, Float64Array>();

function volumeBefore(series: SymbolSeries, minute: number): number {
  let cum = cumulative.get(series);
  if (!cum) {
    cum = new Float64Array(series.minutes + 1);
    for (let i = 0; i < series.minutes; i++) cum[i + 1] = cum[i]! + series.volume[i]!;
    cumulative.set(series, cum);
  }
  return cum[minute]!;
}

/** The last screen per model: most-actives and movers asked at the same instant share it. */
const lastScreen = new WeakMap<MarketAt['model'], { sessionIndex: number; now: number; screen: Screen }>();

export function screenAt(m: MarketAt): Screen {
  const cached = lastScreen.get(m.model);
  if (cached && cached.sessionIndex === m.sessionIndex && cached.now === m.now) return cached.screen;
  const screen = computeScreen(m);
  lastScreen.set(m.model, { sessionIndex: m.sessionIndex, now: m.now, screen });
  return screen;
}

function computeScreen(m: MarketAt): Screen {
  const { model } = m;
  const session = model.session(m.sessionIndex);
  const tradable = model.universe.assets.filter((a) => a.tradable);
  if (m.now < session.openMs) {
    if (session.index === 0) {
      // Before the first simulated session only the synthetic daily history exists.
      const asOf = sessionBoundsMs(previousTradingDay(session.date))!.closeMs;
      return {
        asOf,
        rows: tradable.map((a) => {
          const bars = model.priorDailyBars(a.symbol);
          const last = bars[bars.length - 1]!;
          const before = bars[bars.length - 2] ?? last;
          return {
            symbol: a.symbol,
            price: last.c,
            prevClose: before.c,
            volume: last.v,
            trades: last.n,
            unitsPerDollar: model.unitsPerDollar(a.symbol),
          };
        }),
      };
    }
    const prev = session.index - 1;
    return {
      asOf: model.session(prev).closeMs,
      rows: tradable.map((a) => {
        const bar = model.completedDailyBar(a.symbol, prev);
        return {
          symbol: a.symbol,
          price: bar.c,
          prevClose: model.prevCloseUnits(a.symbol, prev),
          volume: bar.v,
          trades: bar.n,
          unitsPerDollar: model.unitsPerDollar(a.symbol),
        };
      }),
    };
  }
  const completed = completedMinutes(session, m.now);
  const rows = tradable.map((a) => {
    const series = model.series(a.symbol, session.index);
    let volume = volumeBefore(series, completed);
    if (completed < session.minutes && haltedAt(m, a.symbol, session) === null)
      volume += formingMinute(model.seed, series, session, completed, m.now).volume;
    const trade = tradeAt(m, a.symbol);
    return {
      symbol: a.symbol,
      price: trade.price,
      prevClose: model.prevCloseUnits(a.symbol, session.index),
      volume,
      trades: tradeCount(volume, trade.price, series.unitsPerDollar),
      unitsPerDollar: series.unitsPerDollar,
    };
  });
  return { asOf: Math.min(m.now, session.closeMs), rows };
}
