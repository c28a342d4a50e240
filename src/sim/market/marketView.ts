/**
 * The market as seen at the clock's now: latest trade and quote, snapshots and historical bars.
 * Nothing here reveals a price after `now` (no look-ahead): the forming minute is shown only
 * up to `now`, and bars only from completed minutes.
 */
import { previousTradingDay, sessionBoundsMs } from '../../domain/calendar';
import type { MarketModel } from './marketModel';
import type { Session } from './sessionTimeline';
import { completedMinutes, minuteStartMs } from './sessionTimeline';
import type { UnitBar } from './symbolSeries';
import { aggregateBars, formingMinute, minuteBar, sessionBar } from './symbolSeries';
import { isoData, unitsToNumber } from '../wireFormat';

export interface MarketAt {
  model: MarketModel;
  /** The session the clock is in (or last in, before the next one's date begins). */
  sessionIndex: number;
  now: number;
}

export interface Trade {
  price: number;
  t: number;
  unitsPerDollar: number;
}

export interface Quote {
  bid: number;
  ask: number;
  t: number;
  unitsPerDollar: number;
}

/** Spread: max(one tick, ~5 bps); the bid sits half a spread under the last trade. */
export function spreadAround(price: number): { bid: number; ask: number } {
  const spread = Math.max(1, Math.round(price * 0.0005));
  const bid = Math.max(1, price - Math.floor(spread / 2));
  return { bid, ask: bid + spread };
}

const firstPrevCloseMs = new Map<string, number>();

function previousCloseMs(m: MarketAt, session: Session): number {
  if (session.index > 0) return m.model.session(session.index - 1).closeMs;
  let ms = firstPrevCloseMs.get(session.date);
  if (ms === undefined) {
    ms = sessionBoundsMs(previousTradingDay(session.date))!.closeMs;
    firstPrevCloseMs.set(session.date, ms);
  }
  return ms;
}

export function tradeAt(m: MarketAt, symbol: string): Trade {
  const session = m.model.session(m.sessionIndex);
  const unitsPerDollar = m.model.unitsPerDollar(symbol);
  if (m.now < session.openMs) {
    return {
      price: m.model.prevCloseUnits(symbol, session.index),
      t: previousCloseMs(m, session),
      unitsPerDollar,
    };
  }
  const series = m.model.series(symbol, session.index);
  const halted = haltedAt(m, symbol, session);
  if (halted !== null) return { price: halted.price, t: halted.lastTradeMs, unitsPerDollar };
  if (m.now >= session.closeMs)
    return { price: series.path[session.minutes]!, t: session.closeMs, unitsPerDollar };
  const minute = completedMinutes(session, m.now);
  const forming = formingMinute(m.model.seed, series, session, minute, m.now);
  return { price: forming.price, t: forming.t, unitsPerDollar };
}

/** While `symbol` does not trade at the clock's now (halted, a crash's vacuum): the frozen last trade, else null. */
export function haltedAt(
  m: MarketAt,
  symbol: string,
  session: Session,
): { price: number; lastTradeMs: number } | null {
  for (const pause of m.model.pauses(symbol, session.index)) {
    const from = minuteStartMs(session, pause.fromMinute);
    const until = pause.toMinute < session.minutes ? minuteStartMs(session, pause.toMinute) : Infinity;
    if (m.now < from || m.now >= until) continue;
    // A halt's last trade is the close of the minute before; a crash's vacuum begins after the
    // print at its boundary, so until then its tape is the calm market's to the millisecond.
    const halted = m.model.halt(symbol, session.index)?.fromMinute === pause.fromMinute;
    return {
      price: m.model.series(symbol, session.index).path[pause.fromMinute]!,
      lastTradeMs: halted ? from - 1000 : from,
    };
  }
  return null;
}

export function quoteAt(m: MarketAt, symbol: string): Quote {
  const trade = tradeAt(m, symbol);
  return { ...spreadAround(trade.price), t: trade.t, unitsPerDollar: trade.unitsPerDollar };
}

export interface BarJson {
  t: string;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n: number;
  vw: number;
}

export function barJson(bar: UnitBar, unitsPerDollar: number): BarJson {
  return {
    t: isoData(bar.t),
    o: unitsToNumber(bar.o, unitsPerDollar),
    h: unitsToNumber(bar.h, unitsPerDollar),
    l: unitsToNumber(bar.l, unitsPerDollar),
    c: unitsToNumber(bar.c, unitsPerDollar),
    v: bar.v,
    n: bar.n,
    vw: Math.round((bar.vw / unitsPerDollar) * 10_000) / 10_000,
  };
}

const TAPE: Record<string, string> = { NYSE: 'A', AMEX: 'B', NASDAQ: 'C' };

export function snapshotJson(m: MarketAt, symbol: string): Record<string, unknown> {
  const asset = m.model.asset(symbol)!;
  const session = m.model.session(m.sessionIndex);
  const upd = m.model.unitsPerDollar(symbol);
  const trade = tradeAt(m, symbol);
  const { bid, ask } = spreadAround(trade.price);
  const z = TAPE[asset.exchange] ?? 'C';
  const dayStart = session.dayStartMs;

  let minuteBarJson: BarJson | null = null;
  let dailyBarJson: BarJson | null = null;
  if (m.now >= session.openMs) {
    const series = m.model.series(symbol, session.index);
    const completed = completedMinutes(session, m.now);
    let last = completed - 1;
    while (last >= 0 && series.volume[last] === 0) last--; // halted minutes have no bar
    if (last >= 0) minuteBarJson = barJson(minuteBar(series, session, last), upd);
    let daily = sessionBar(series, session, completed, dayStart);
    if (completed < session.minutes && haltedAt(m, symbol, session) === null) {
      const forming = formingMinute(m.model.seed, series, session, completed, m.now);
      daily = daily
        ? {
            ...daily,
            h: Math.max(daily.h, forming.high),
            l: Math.min(daily.l, forming.low),
            c: forming.price,
            v: daily.v + forming.volume,
          }
        : {
            t: dayStart,
            o: series.path[0]!,
            h: forming.high,
            l: forming.low,
            c: forming.price,
            v: forming.volume,
            n: 0,
            vw: forming.price,
          };
    }
    if (daily) dailyBarJson = barJson(daily, upd);
  }
  const prevDaily =
    session.index > 0
      ? m.model.completedDailyBar(symbol, session.index - 1)
      : m.model.priorDailyBars(symbol).at(-1);
  // Quote sizes (round lots) only need to look alive, and stay reproducible.
  const size = 1 + ((trade.price + Math.floor(trade.t / 10_000)) % 9);
  return {
    latestTrade: {
      t: isoData(trade.t),
      x: 'V',
      p: unitsToNumber(trade.price, upd),
      s: 100,
      c: ['@'],
      i: Math.floor(trade.t / 1000) % 1_000_000_000,
      z,
    },
    latestQuote: {
      t: isoData(trade.t),
      ax: 'V',
      ap: unitsToNumber(ask, upd),
      as: size,
      bx: 'V',
      bp: unitsToNumber(bid, upd),
      bs: size,
      c: ['R'],
      z,
    },
    minuteBar: minuteBarJson,
    dailyBar: dailyBarJson,
    prevDailyBar: prevDaily ? barJson(prevDaily, upd) : null,
  };
}

export type Timeframe = { kind: 'intraday'; bucketMs: number } | { kind: 'day' };

export function parseTimeframe(text: string): Timeframe | null {
  const m = /^(\d{1,2})(Min|T|Hour|H|Day|D)$/.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  switch (m[2]) {
    case 'Min':
    case 'T':
      return n >= 1 && n <= 59 ? { kind: 'intraday', bucketMs: n * 60_000 } : null;
    case 'Hour':
    case 'H':
      return n >= 1 && n <= 23 ? { kind: 'intraday', bucketMs: n * 3_600_000 } : null;
    default:
      return n === 1 ? { kind: 'day' } : null;
  }
}

/** A symbol's visible bars with start ≤ t ≤ end, oldest first. */
export function* barsFor(
  m: MarketAt,
  symbol: string,
  tf: Timeframe,
  start: number,
  end: number,
): Generator<UnitBar> {
  const last = Math.min(end, m.now);
  if (tf.kind === 'day') {
    for (const bar of m.model.priorDailyBars(symbol)) if (bar.t >= start && bar.t <= last) yield bar;
    for (let i = 0; i <= m.sessionIndex; i++) {
      const session = m.model.session(i);
      const t = session.dayStartMs;
      if (t < start || t > last) continue;
      if (i < m.sessionIndex) {
        yield m.model.completedDailyBar(symbol, i);
      } else {
        const bar = sessionBar(m.model.series(symbol, i), session, completedMinutes(session, m.now), t);
        if (bar) yield bar;
      }
    }
    return;
  }
  for (let i = 0; i <= m.sessionIndex; i++) {
    const session = m.model.session(i);
    if (session.closeMs <= start || session.openMs > last) continue;
    const visible = i < m.sessionIndex ? session.minutes : completedMinutes(session, m.now);
    if (visible === 0) continue;
    const series = m.model.series(symbol, i);
    let bucket: UnitBar[] = [];
    let bucketT = Number.NaN;
    const flush = function* (): Generator<UnitBar> {
      if (bucket.length > 0 && bucketT >= start && bucketT <= last) {
        const bar = aggregateBars(bucket, bucketT);
        if (bar) yield bar;
      }
      bucket = [];
    };
    const firstMinute = Math.max(0, Math.floor((start - session.openMs) / 60_000));
    for (let minute = firstMinute; minute < visible; minute++) {
      if (series.volume[minute] === 0) continue; // no trades, no bar (a halt)
      const bar = minuteBar(series, session, minute);
      if (bar.t > last) break;
      const t = Math.floor(bar.t / tf.bucketMs) * tf.bucketMs;
      if (t !== bucketT) {
        yield* flush();
        bucketT = t;
      }
      bucket.push(bar);
    }
    yield* flush();
  }
}
