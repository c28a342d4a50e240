/**
 * The common factors of one session: the market path (a Brownian bridge that ends on a real
 * S&P 500 open-to-close move and spans its real range) and one free path per sector.
 * Paths are log returns from the session open, sampled at each minute boundary (length minutes+1).
 */
import type { MarketDay } from './marketDays';
import { createRng } from './rng';

export interface FactorPaths {
  day: MarketDay;
  marketGap: number;
  market: Float64Array;
  sector(name: string): { gap: number; path: Float64Array };
}

/** Intraday volatility is higher after the open and into the close. */
export const intradayVolShape = (i: number, minutes: number): number =>
  0.75 + 1.1 * Math.exp(-i / 20) + 0.4 * Math.exp(-(minutes - i) / 30);

const SECTOR_DAILY_VOL = 0.007;
const SECTOR_GAP_VOL = 0.004;

export function buildFactorPaths(
  seed: number,
  sessionIndex: number,
  minutes: number,
  day: MarketDay,
): FactorPaths {
  const market = marketBridge(seed, sessionIndex, minutes, day);
  const sectors = new Map<string, { gap: number; path: Float64Array }>();
  return {
    day,
    marketGap: day.gap,
    market,
    sector(name) {
      let s = sectors.get(name);
      if (!s) {
        s = sectorPath(seed, sessionIndex, minutes, name);
        sectors.set(name, s);
      }
      return s;
    },
  };
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
