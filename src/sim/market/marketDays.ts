/**
 * Real S&P 500 sessions (2000-2020) that drive the simulated market factor: the seed picks a
 * starting day and later simulated sessions replay the days that followed it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../../domain/csv';
import { hashKey } from './rng';

export interface MarketDay {
  date: string;
  /** ln(open / previous close): the overnight gap. */
  gap: number;
  /** ln(close / open): the session's move that the simulated factor must end on. */
  openToClose: number;
  /** ln(high / low): the session's range the factor path is scaled to. */
  range: number;
}

export function loadMarketDays(dataDir: string): MarketDay[] {
  const rows = parseCsv(readFileSync(join(dataDir, 'sp500-daily-2000-2020.csv'), 'utf8'));
  const days: MarketDay[] = [];
  for (let i = 1; i < rows.length; i++) {
    const prev = Number(rows[i - 1]!.close);
    const { date, open, high, low, close } = rows[i]!;
    const o = Number(open);
    const h = Number(high);
    const l = Number(low);
    const c = Number(close);
    if (![prev, o, h, l, c].every((x) => Number.isFinite(x) && x > 0) || !date) continue;
    days.push({ date, gap: Math.log(o / prev), openToClose: Math.log(c / o), range: Math.log(h / l) });
  }
  if (days.length === 0) throw new Error(`no usable rows in ${join(dataDir, 'sp500-daily-2000-2020.csv')}`);
  return days;
}

/** The real day replayed by simulated session `sessionIndex` (0 = the first session). */
export function marketDayFor(days: readonly MarketDay[], seed: number, sessionIndex: number): MarketDay {
  const start = hashKey(seed, 'market-day') % days.length;
  return days[(start + sessionIndex) % days.length]!;
}
