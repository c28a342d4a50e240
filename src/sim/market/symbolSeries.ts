/**
 * One symbol's minute series for one session, stored as integer price units (cents, or 1/100
 * cent for sub-dollar stocks) in typed arrays: about 6 KB per symbol-session.
 * price = beta × market + sector + idiosyncratic noise + news shocks, with an opening gap vs the
 * previous close. Halted minutes (and a flash crash's vacuum) carry no trades (volume 0) and a frozen price.
 */
import type { FactorPaths } from './factorPaths';
import { intradayVolShapes } from './factorPaths';
import { createRng } from './rng';
import type { Session } from './sessionTimeline';
import { MINUTE_MS, minuteStartMs } from './sessionTimeline';
import type { SimAsset } from './universe';

export interface SymbolSeries {
  symbol: string;
  sessionIndex: number;
  unitsPerDollar: number;
  minutes: number;
  /** Trade price at each minute boundary: path[m] opens minute m and path[m + 1] closes it. */
  path: Int32Array;
  high: Int32Array;
  low: Int32Array;
  volume: Uint32Array;
}

/** A bar in price units; `t` is the bar's start (epoch ms). */
export interface UnitBar {
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n: number;
  /** Volume-weighted price, in units (fractional). */
  vw: number;
}

/** Sub-penny prices only exist below $1, as on US exchanges. */
export const unitsPerDollarFor = (price: number): number => (price >= 1 ? 100 : 10_000);

/** Daily idiosyncratic volatility: small, cheap stocks move more. */
export function idiosyncraticDailyVol(asset: SimAsset, price: number): number {
  let vol = 0.012 + 0.006 * asset.beta;
  if (price < 5) vol += 0.015;
  if (price < 2) vol += 0.015;
  if (asset.marketCap > 0 && asset.marketCap < 3e8) vol += 0.01;
  return vol;
}

/**
 * A news-driven move in one symbol's session. `minute` 0 is a pre-market story: the jump opens
 * the session as a gap. Otherwise the jump lands at boundary `minute` (the close of minute
 * `minute - 1`, the minute the story was published in), and the drift plays out after it.
 */
export interface PriceShock {
  minute: number;
  /** Log return of the jump. */
  jump: number;
  /** Log return the price drifts on by after the jump (continuation or, negative, fade). */
  drift: number;
  /** Minutes for about 63 % of the drift. */
  tau: number;
  /** Extra volume multiple right after the story, fading over about half an hour. */
  activity: number;
}

/** Minutes in which nobody trades the symbol: [fromMinute, toMinute). */
export interface HaltWindow {
  fromMinute: number;
  toMinute: number;
}

/**
 * A symbol's minutes without trades from every cause, as disjoint windows in time order: windows
 * that overlap or touch are one pause, frozen at the print before the first and reopening after the last.
 */
export function tradingPauses(windows: readonly (HaltWindow | null | undefined)[]): HaltWindow[] {
  const sorted = windows
    .filter((w): w is HaltWindow => !!w && w.toMinute > w.fromMinute)
    .sort((a, b) => a.fromMinute - b.fromMinute);
  const out: HaltWindow[] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w.fromMinute <= last.toMinute) last.toMinute = Math.max(last.toMinute, w.toMinute);
    else out.push({ fromMinute: w.fromMinute, toMinute: w.toMinute });
  }
  return out;
}

export function generateSymbolSeries(args: {
  seed: number;
  asset: SimAsset;
  session: Session;
  prevClose: number;
  factors: FactorPaths;
  unitsPerDollar: number;
  shocks?: readonly PriceShock[];
  /** Minutes without trades (a halt, a flash crash's vacuum): disjoint, in time order; see tradingPauses. */
  pauses?: readonly HaltWindow[];
}): SymbolSeries {
  const { seed, asset, session, prevClose, factors, unitsPerDollar } = args;
  const shocks = args.shocks ?? [];
  const n = session.minutes;
  const rng = createRng(seed, 'symbol', asset.symbol, session.index);
  const dailyVol = idiosyncraticDailyVol(asset, prevClose);
  const perMinute = dailyVol / Math.sqrt(390);

  // Draw order is fixed whatever the shocks, so news only adds to the same underlying noise.
  const quietGap = rng.normal() * dailyVol * 0.35;
  const quietDrift = rng.normal() * dailyVol * 0.2;
  let newsGap = 0;
  for (const s of shocks) if (s.minute === 0) newsGap += s.jump;
  const sector = factors.sector(asset.sector);
  const beta = asset.beta;
  const logOpen = Math.log(prevClose) + beta * factors.marketGap + sector.gap + quietGap + newsGap;

  // After a story the name trades more, and more nervously, for a while; never before it, so
  // no bar ahead of the headline hints at it. agitation[i] scales the move into boundary i
  // (made during minute i - 1); activity[k] scales minute k's volume.
  const agitation = new Float64Array(n + 1).fill(1);
  const activity = new Float64Array(n).fill(1);
  for (const s of shocks) {
    const published = Math.max(0, s.minute - 1);
    for (let i = published + 1; i <= n; i++)
      agitation[i] = agitation[i]! + 0.9 * Math.exp(-(i - 1 - published) / 90);
    for (let k = published; k < n; k++)
      activity[k] = activity[k]! + s.activity * Math.exp(-(k - published) / 30);
  }

  // The news part of the log price at each boundary: jumps from their minute on, plus drift.
  let newsMove: Float64Array | null = null;
  if (shocks.length > 0) {
    newsMove = new Float64Array(n + 1);
    for (const s of shocks)
      for (let i = s.minute; i <= n; i++)
        newsMove[i] =
          newsMove[i]! + (s.minute > 0 ? s.jump : 0) + s.drift * (1 - Math.exp(-(i - s.minute) / s.tau));
  }

  const path = new Int32Array(n + 1);
  const volShape = intradayVolShapes(n);
  const market = factors.market;
  const marketActivity = factors.activity;
  const sectorPath = sector.path;
  const step = quietDrift / n;
  let idio = 0;
  path[0] = Math.max(1, Math.round(Math.exp(logOpen + (newsMove ? newsMove[0]! : 0)) * unitsPerDollar));
  for (let i = 1; i <= n; i++) {
    idio += rng.normal() * perMinute * agitation[i]! * volShape[i]! * marketActivity[i]! + step;
    const log = logOpen + beta * market[i]! + sectorPath[i]! + idio + (newsMove ? newsMove[i]! : 0);
    path[i] = Math.max(1, Math.round(Math.exp(log) * unitsPerDollar));
  }

  const high = new Int32Array(n);
  const low = new Int32Array(n);
  const betaNoise = beta * 0.0004 * (beta * 0.0004);
  for (let i = 0; i < n; i++) {
    const o = path[i]!;
    const c = path[i + 1]!;
    const noise = perMinute * agitation[i + 1]! * marketActivity[i + 1]!;
    const ext = o * Math.sqrt(noise * noise + betaNoise) * 0.6;
    high[i] = Math.max(o, c) + Math.round(Math.abs(rng.normal()) * ext);
    low[i] = Math.max(1, Math.min(o, c) - Math.round(Math.abs(rng.normal()) * ext));
  }

  const volume = new Uint32Array(n);
  const dayVolume =
    Math.max(100, asset.avgVolume) * Math.exp(0.3 * rng.normal()) * (1 + 6 * Math.abs(quietGap + newsGap));
  const uShape = volumeShape(n);
  const weights = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = uShape[i]! * Math.exp(0.35 * rng.normal());
    weights[i] = w;
    total += w;
  }
  // Early closes trade a proportional share of a normal day; stories and scenarios add to it.
  const sessionShare = n / 390;
  for (let i = 0; i < n; i++)
    volume[i] = Math.max(
      1,
      Math.round((dayVolume * sessionShare * weights[i]! * activity[i]! * factors.activity[i + 1]!) / total),
    );

  for (const halt of args.pauses ?? []) {
    // Frozen at the last trade before the pause; the reopening print is the latent price.
    const frozen = path[halt.fromMinute]!;
    for (let i = halt.fromMinute; i < halt.toMinute; i++) {
      if (i > halt.fromMinute) path[i] = frozen;
      high[i] = frozen;
      low[i] = frozen;
      volume[i] = 0;
    }
    if (halt.toMinute === n) path[n] = frozen;
  }

  return {
    symbol: asset.symbol,
    sessionIndex: session.index,
    unitsPerDollar,
    minutes: n,
    path,
    high,
    low,
    volume,
  };
}

const volumeShapes = new Map<number, Float64Array>();

/** The U shape of intraday volume: heavy at the open, lighter at midday, heavy into the close. */
function volumeShape(n: number): Float64Array {
  let shape = volumeShapes.get(n);
  if (!shape) {
    shape = new Float64Array(n);
    for (let i = 0; i < n; i++) shape[i] = 0.6 + 2.5 * Math.exp(-i / 18) + 1.2 * Math.exp(-(n - 1 - i) / 20);
    volumeShapes.set(n, shape);
  }
  return shape;
}

/** Typical shares per print, so bars carry a plausible trade count. */
const sharesPerTrade = (priceDollars: number): number =>
  priceDollars < 5 ? 400 : priceDollars < 50 ? 120 : 60;

export function tradeCount(volume: number, priceUnits: number, unitsPerDollar: number): number {
  if (volume <= 0) return 0;
  return Math.max(1, Math.round(volume / sharesPerTrade(priceUnits / unitsPerDollar)));
}

export function minuteBar(series: SymbolSeries, session: Session, m: number): UnitBar {
  const o = series.path[m]!;
  const c = series.path[m + 1]!;
  const h = series.high[m]!;
  const l = series.low[m]!;
  const v = series.volume[m]!;
  return {
    t: minuteStartMs(session, m),
    o,
    h,
    l,
    c,
    v,
    n: tradeCount(v, c, series.unitsPerDollar),
    vw: (h + l + 2 * c) / 4,
  };
}

/** Aggregates consecutive bars into one starting at `t`. */
export function aggregateBars(bars: readonly UnitBar[], t: number): UnitBar | null {
  const first = bars[0];
  const last = bars[bars.length - 1];
  if (!first || !last) return null;
  let h = -Infinity;
  let l = Infinity;
  let v = 0;
  let n = 0;
  let pv = 0;
  for (const b of bars) {
    if (b.h > h) h = b.h;
    if (b.l < l) l = b.l;
    v += b.v;
    n += b.n;
    pv += b.vw * b.v;
  }
  return { t, o: first.o, h, l, c: last.c, v, n, vw: v > 0 ? pv / v : last.c };
}

/** Minutes 0..count-1 of a session as one bar (the session so far), or null when none. */
export function sessionBar(series: SymbolSeries, session: Session, count: number, t: number): UnitBar | null {
  if (count <= 0) return null;
  let h = -Infinity;
  let l = Infinity;
  let v = 0;
  let pv = 0;
  for (let m = 0; m < count; m++) {
    const hi = series.high[m]!;
    const lo = series.low[m]!;
    const c = series.path[m + 1]!;
    if (hi > h) h = hi;
    if (lo < l) l = lo;
    const vol = series.volume[m]!;
    v += vol;
    pv += ((hi + lo + 2 * c) / 4) * vol;
  }
  const c = series.path[count]!;
  return {
    t,
    o: series.path[0]!,
    h,
    l,
    c,
    v,
    n: tradeCount(v, c, series.unitsPerDollar),
    vw: v > 0 ? pv / v : c,
  };
}

const SUB_STEPS = 6;

/**
 * The forming minute at `ms`: prices on a 10-second grid bridged from the minute's open toward
 * its close with noise, clamped inside the minute's final range. The noise keeps the partial
 * price from revealing where the minute will close.
 */
export function formingMinute(
  seed: number,
  series: SymbolSeries,
  session: Session,
  m: number,
  ms: number,
): { price: number; high: number; low: number; volume: number; t: number } {
  const start = minuteStartMs(session, m);
  const step = Math.min(SUB_STEPS - 1, Math.max(0, Math.floor(((ms - start) / MINUTE_MS) * SUB_STEPS)));
  const o = series.path[m]!;
  const c = series.path[m + 1]!;
  const hi = series.high[m]!;
  const lo = series.low[m]!;
  const rng = createRng(seed, 'forming', series.symbol, series.sessionIndex, m);
  const spread = Math.max(1, (hi - lo) / 2);
  let price = o;
  let high = o;
  let low = o;
  for (let s = 1; s <= step; s++) {
    const f = s / SUB_STEPS;
    const raw = o + (c - o) * f + rng.normal() * spread * Math.sqrt(f * (1 - f));
    price = Math.min(hi, Math.max(lo, Math.round(raw)));
    if (price > high) high = price;
    if (price < low) low = price;
  }
  const volume = Math.floor((series.volume[m]! * step) / SUB_STEPS);
  return { price, high, low, volume, t: start + (step * MINUTE_MS) / SUB_STEPS };
}
