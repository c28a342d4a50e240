/**
 * Pairwise correlation of recent returns, used to avoid stacking positions that move together.
 * Returns, not prices: two trending price series correlate almost perfectly whatever their link.
 */

/** Simple returns c[i] / c[i−1] − 1; a non-positive or non-finite close yields NaN for the returns around it. */
export function returnsFromCloses(closes: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < closes.length; i++) {
    const prev = closes[i - 1]!;
    const cur = closes[i]!;
    out.push(prev > 0 && cur > 0 && Number.isFinite(prev) && Number.isFinite(cur) ? cur / prev - 1 : NaN);
  }
  return out;
}

/** Fewer points than this make a correlation meaningless noise. */
export const MIN_CORRELATION_POINTS = 3;

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
