/**
 * The common factors of one session: the market path (a Brownian bridge that ends on a real
 * S&P 500 open-to-close move and spans its real range) and one free path per sector.
 * Paths are log returns from the session open, sampled at each minute boundary (length minutes+1).
 */
import type { MarketDay } from './marketDays';
import { createRng } from './rng';
import type { CrashScenario, GapScenario } from './scenarios';

export interface FactorPaths {
  day: MarketDay;
  marketGap: number;
  market: Float64Array;
  /** Market-wide trading intensity (1 = normal); entry i scales minute i - 1's noise and volume. */
  activity: Float64Array;
  /** Minutes [fromMinute, toMinute) in which no symbol trades (a flash crash's vacuum), else null. */
  vacuum: { fromMinute: number; toMinute: number } | null;
  sector(name: string): { gap: number; path: Float64Array };
}

/** What a scenario changes about the session's common factors. */
export interface FactorShape {
  crash?: CrashScenario | null;
  gap?: GapScenario | null;
}

/** Intraday volatility is higher after the open and into the close. */
export const intradayVolShape = (i: number, minutes: number): number =>
  0.75 + 1.1 * Math.exp(-i / 20) + 0.4 * Math.exp(-(minutes - i) / 30);

const volShapes = new Map<number, Float64Array>();

/** intradayVolShape(i, minutes) for i = 0..minutes, computed once per session length. */
export function intradayVolShapes(minutes: number): Float64Array {
  let shape = volShapes.get(minutes);
  if (!shape) {
    shape = new Float64Array(minutes + 1);
    for (let i = 0; i <= minutes; i++) shape[i] = intradayVolShape(i, minutes);
    volShapes.set(minutes, shape);
  }
  return shape;
}

const SECTOR_DAILY_VOL = 0.007;
const SECTOR_GAP_VOL = 0.004;

export function buildFactorPaths(
  seed: number,
  sessionIndex: number,
  minutes: number,
  day: MarketDay,
  shape: FactorShape = {},
): FactorPaths {
  const market = marketBridge(seed, sessionIndex, minutes, day);
  const activity = new Float64Array(minutes + 1).fill(1);
  const vacuum = shape.crash ? applyCrash(seed, sessionIndex, market, activity, shape.crash) : null;
  const sectorGapScale = shape.gap ? 3 : 1;
  if (shape.gap) for (let i = 0; i <= minutes; i++) activity[i] = activity[i]! + 0.8 * Math.exp(-i / 60);
  const sectors = new Map<string, { gap: number; path: Float64Array }>();
  return {
    day,
    marketGap: day.gap + (shape.gap?.marketGap ?? 0),
    market,
    activity,
    vacuum,
    sector(name) {
      let s = sectors.get(name);
      if (!s) {
        s = sectorPath(seed, sessionIndex, minutes, name);
        s.gap *= sectorGapScale;
        sectors.set(name, s);
      }
      return s;
    },
  };
}

/**
 * A flash crash from `startMinute`, shaped like 6 May 2010's: the bids vanish, nothing trades for
 * `vacuumMinutes`, and the tape reopens at the trough, 1.4–1.7 times the depth down. From there
 * the overshoot recovers (most of it within the hour) while the market keeps `depth` of the
 * loss; the tape stays choppy and volume surges, then both calm down slowly.
 * Returns the vacuum: the minutes without trades.
 */
function applyCrash(
  seed: number,
  sessionIndex: number,
  market: Float64Array,
  activity: Float64Array,
  crash: CrashScenario,
): { fromMinute: number; toMinute: number } {
  const rng = createRng(seed, 'crash', sessionIndex);
  const tau = 15 + 10 * rng.next();
  const overshoot = 0.4 + 0.3 * rng.next();
  const minutes = market.length - 1;
  const reopen = Math.min(minutes, crash.startMinute + crash.vacuumMinutes);
  const trough = crash.depth * (1 + overshoot);
  let chop = 0;
  for (let i = crash.startMinute; i < market.length; i++) {
    const age = i - crash.startMinute;
    // Inside the vacuum nothing prints: these boundaries only lead the latent price down to the trough.
    const loss =
      i < reopen
        ? (trough * age) / Math.max(1, reopen - crash.startMinute)
        : crash.depth * (1 + overshoot * Math.exp(-(i - reopen) / tau));
    if (i > reopen) chop += rng.normal() * 0.0007 * Math.exp(-(i - reopen) / 120);
    market[i] = market[i]! - loss + chop;
    // activity[i] shapes minute i - 1: the minute before the crash stays untouched.
    if (age > 0) activity[i] = activity[i]! + 1.6 * Math.exp(-(age - 1) / 90);
  }
  return { fromMinute: crash.startMinute, toMinute: reopen };
}

function marketBridge(seed: number, sessionIndex: number, minutes: number, day: MarketDay): Float64Array {
  const rng = createRng(seed, 'market', sessionIndex);
  const walk = new Float64Array(minutes + 1);
  for (let i = 1; i <= minutes; i++) walk[i] = walk[i - 1]! + rng.normal() * intradayVolShape(i, minutes);
  const end = walk[minutes]!;
  const bridge = new Float64Array(minutes + 1);
  for (let i = 0; i <= minutes; i++) bridge[i] = walk[i]! - (i / minutes) * end;

  const r = day.openToClose;
  const target = Math.max(day.range, Math.abs(r) + 0.001);
  const path = (alpha: number): Float64Array => {
    const out = new Float64Array(minutes + 1);
    for (let i = 0; i <= minutes; i++) out[i] = alpha * bridge[i]! + (i / minutes) * r;
    return out;
  };
  const range = (p: Float64Array): number => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const x of p) {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    return hi - lo;
  };
  // Scale the bridge noise until the path spans the real day's high-low range.
  let lo = 0;
  let hi = 1e-4;
  while (range(path(hi)) < target && hi < 1) hi *= 2;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (range(path(mid)) < target) lo = mid;
    else hi = mid;
  }
  return path((lo + hi) / 2);
}

function sectorPath(
  seed: number,
  sessionIndex: number,
  minutes: number,
  name: string,
): { gap: number; path: Float64Array } {
  const rng = createRng(seed, 'sector', name, sessionIndex);
  const gap = rng.normal() * SECTOR_GAP_VOL;
  const perMinute = SECTOR_DAILY_VOL / Math.sqrt(390);
  const path = new Float64Array(minutes + 1);
  for (let i = 1; i <= minutes; i++)
    path[i] = path[i - 1]! + rng.normal() * perMinute * intradayVolShape(i, minutes) * 0.8;
  return { gap, path };
}
