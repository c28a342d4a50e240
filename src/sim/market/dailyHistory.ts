/**
 * Synthetic daily bars for the trading days before the first simulated session, walked
 * backwards from the data file's price so the last one closes exactly at the first session's
 * previous close, drifting from roughly the 50-day average.
 */
import { nyTimeToUtcMs, previousTradingDay } from '../../domain/calendar';
import { createRng } from './rng';
import type { UnitBar } from './symbolSeries';
import { idiosyncraticDailyVol, tradeCount } from './symbolSeries';
import type { SimAsset } from './universe';

export const PRIOR_DAILY_BARS = 30;

/** Day-start timestamps of the PRIOR_DAILY_BARS trading days before `firstSessionDate`, newest first. */
export function priorDayStarts(firstSessionDate: string): number[] {
  const out: number[] = [];
  let date = firstSessionDate;
  for (let j = 0; j < PRIOR_DAILY_BARS; j++) {
    date = previousTradingDay(date);
    out.push(nyTimeToUtcMs(date, '00:00'));
  }
  return out;
}

/** Oldest first; the last bar is the trading day before the first session (`dayStarts` newest first). */
export function priorDailyBars(
  seed: number,
  asset: SimAsset,
  dayStarts: readonly number[],
  unitsPerDollar: number,
): UnitBar[] {
  const rng = createRng(seed, 'history', asset.symbol);
  const vol = idiosyncraticDailyVol(asset, asset.price) * 0.8;
  const drift = Math.max(
    -0.01,
    Math.min(0.01, Math.log(asset.price / Math.max(asset.fiftyDayAvg, 1e-6)) / 35),
  );
  const toUnits = (p: number): number => Math.max(1, Math.round(p * unitsPerDollar));
  const bars: UnitBar[] = [];
  let close = asset.price;
  for (const t of dayStarts) {
    const prevClose = close / Math.exp(drift + vol * rng.normal());
    const open = prevClose * Math.exp(vol * 0.3 * rng.normal());
    const high = Math.max(open, close) * Math.exp(Math.abs(rng.normal()) * vol * 0.4);
    const low = Math.min(open, close) / Math.exp(Math.abs(rng.normal()) * vol * 0.4);
    const v = Math.max(100, Math.round(Math.max(100, asset.avgVolume) * Math.exp(0.3 * rng.normal())));
    const c = toUnits(close);
    const h = toUnits(high);
    const l = toUnits(low);
    bars.push({
      t,
      o: toUnits(open),
      h,
      l,
      c,
      v,
      n: tradeCount(v, c, unitsPerDollar),
      vw: (h + l + 2 * c) / 4,
    });
    close = prevClose;
  }
  return bars.reverse();
}
