/**
 * Pairwise correlation of recent returns, used to avoid stacking positions that move together.
 * Returns, not prices: two trending price series correlate almost perfectly whatever their link.
 */

/** One daily close; `date` is 'YYYY-MM-DD' (so text order is date order). */
export interface DatedClose {
  date: string;
  close: number;
}

/** Simple returns c[i] / c[i−1] − 1; a non-positive or non-finite close yields NaN for the returns around it. */
export function returnsFromCloses(closes: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < closes.length; i++) out.push(simpleReturn(closes[i - 1]!, closes[i]!));
  return out;
}

const simpleReturn = (prev: number, cur: number): number =>
  prev > 0 && cur > 0 && Number.isFinite(prev) && Number.isFinite(cur) ? cur / prev - 1 : NaN;

/**
 * Returns between consecutive dated closes of one series, keyed by the later date. Series are
 * aligned by date, not position: a symbol halted for a day has one close fewer, and aligning by
 * index would pair every earlier return with another day's. (Its return after the gap spans two
 * days; it is still paired with the other series' return of that date.) The input is sorted by
 * date first; of two closes of one date the later in the input wins.
 */
export function datedReturns(closes: readonly DatedClose[]): Map<string, number> {
  const byDate = new Map<string, number>();
  for (const c of closes) byDate.set(c.date, c.close);
  const dates = [...byDate.keys()].sort();
  const out = new Map<string, number>();
  for (let i = 1; i < dates.length; i++) {
    out.set(dates[i]!, simpleReturn(byDate.get(dates[i - 1]!)!, byDate.get(dates[i]!)!));
  }
  return out;
}

/** Fewer points than this make a correlation meaningless noise. */
export const MIN_CORRELATION_POINTS = 3;

/** Why a correlation could not be computed; the risk manager must then decide, never skip silently. */
export type CorrelationProblem = 'too_few_points' | 'not_finite' | 'constant';

export type DatedCorrelation =
  { r: number; points: number } | { r: null; points: number; problem: CorrelationProblem };

/** Pearson's r of two dated return series over the dates they share. */
export function correlationOfReturns(
  a: ReadonlyMap<string, number>,
  b: ReadonlyMap<string, number>,
): DatedCorrelation {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [date, x] of a) {
    const y = b.get(date);
    if (y === undefined) continue;
    xs.push(x);
    ys.push(y);
  }
  const points = xs.length;
  if (points < MIN_CORRELATION_POINTS) return { r: null, points, problem: 'too_few_points' };
  if (!xs.every(Number.isFinite) || !ys.every(Number.isFinite))
    return { r: null, points, problem: 'not_finite' };
  const r = pearsonCorrelation(xs, ys);
  return r === null ? { r: null, points, problem: 'constant' } : { r, points };
}

/** The correlation of two dated close series' returns, aligned by date. */
export const datedCorrelation = (a: readonly DatedClose[], b: readonly DatedClose[]): DatedCorrelation =>
  correlationOfReturns(datedReturns(a), datedReturns(b));

/**
 * Pearson's r of two series aligned at their most recent end (the longer one's oldest values are
 * dropped). Null when there are fewer than 3 common points, any value is not finite, or either
 * series is constant.
 */
export function pearsonCorrelation(a: readonly number[], b: readonly number[]): number | null {
  const n = Math.min(a.length, b.length);
  if (n < MIN_CORRELATION_POINTS) return null;
  const xs = a.slice(a.length - n);
  const ys = b.slice(b.length - n);
  if (!xs.every(Number.isFinite) || !ys.every(Number.isFinite)) return null;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  // Relative threshold: a series of identical returns has tiny non-zero variance from rounding.
  if (nearlyConstant(sxx, xs) || nearlyConstant(syy, ys)) return null;
  const r = sxy / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, r));
}

function nearlyConstant(sumSquares: number, values: readonly number[]): boolean {
  const scale = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return sumSquares <= 1e-24 * scale * scale * values.length;
}
