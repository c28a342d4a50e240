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
  if (shape.crash) applyCrash(seed, sessionIndex, market, activity, shape.crash);
  const sectorGapScale = shape.gap ? 3 : 1;
  if (shape.gap) for (let i = 0; i <= minutes; i++) activity[i] = activity[i]! + 0.8 * Math.exp(-i / 60);
  const sectors = new Map<string, { gap: number; path: Float64Array }>();
  return {
    day,
    marketGap: day.gap + (shape.gap?.marketGap ?? 0),
    market,
    activity,
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
 * A selloff from `startMinute`: most of the depth goes in the first hour, the tape turns
 * choppy and volume surges, then both calm down slowly.
 */
function applyCrash(
  seed: number,
  sessionIndex: number,
  market: Float64Array,
  activity: Float64Array,
  crash: CrashScenario,
): void {
  const rng = createRng(seed, 'crash', sessionIndex);
  const tau = 15 + 10 * rng.next();
  let chop = 0;
  for (let i = crash.startMinute; i < market.length; i++) {
    const age = i - crash.startMinute;
    if (age > 0) chop += rng.normal() * 0.0007 * Math.exp(-age / 120);
    market[i] = market[i]! - crash.depth * (1 - Math.exp(-age / tau)) + chop;
    // activity[i] shapes minute i - 1: the minute before the selloff stays untouched.
    if (age > 0) activity[i] = activity[i]! + 1.6 * Math.exp(-(age - 1) / 90);
  }
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
