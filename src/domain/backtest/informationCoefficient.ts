/**
 * Does a factor carry information? Its information coefficient (IC) in one cycle is the Spearman
 * rank correlation between the factor and the forward return over that cycle's candidates; across
 * cycles the mean IC, its standard deviation and the t-statistic of the mean say whether it is
 * reliably different from zero (the usual reading: |t| > 2 is unlikely by chance, ~0 is noise).
 *
 * Pure arithmetic on plain numbers; nothing here knows where the factors come from.
 */

/**
 * 1-based ranks of `xs` in ascending order, ties sharing the average of the ranks they span
 * (e.g. [10, 20, 20, 30] → [1, 2.5, 2.5, 4]). Assumes finite values.
 */
export function averageRanks(xs: readonly number[]): number[] {
  const order = xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]!);
  const ranks = new Array<number>(xs.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && xs[order[j + 1]!] === xs[order[i]!]) j++;
    // Positions i..j (0-based) hold one value: each gets the mean of ranks i+1..j+1.
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]!] = rank;
    i = j + 1;
  }
  return ranks;
}

/** Fewest pairs a rank correlation is computed from: with two, it can only be ±1. */
export const MIN_PAIRS = 3;

/**
 * Spearman's rank correlation of the pairs (x[i], y[i]): Pearson's correlation of their average
 * ranks, so ties are handled exactly. Pairs with a non-finite member are left out. Undefined
 * (returns undefined) with fewer than MIN_PAIRS pairs or when either side has no variance (all
 * ranks tied: e.g. every candidate without news has the same neutral news factor).
 */
export function spearman(x: readonly number[], y: readonly number[]): number | undefined {
  if (x.length !== y.length) throw new RangeError(`spearman: ${x.length} x values but ${y.length} y values`);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < x.length; i++)
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      xs.push(x[i]!);
      ys.push(y[i]!);
    }
  const n = xs.length;
  if (n < MIN_PAIRS) return undefined;
  const rx = averageRanks(xs);
  const ry = averageRanks(ys);
  // Both rank vectors have mean (n + 1) / 2, whatever the ties.
  const mean = (n + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = rx[i]! - mean;
    const dy = ry[i]! - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  // Ranks are multiples of 0.5, so a zero sum of squares is exact: no variance at all.
  if (sxx === 0 || syy === 0) return undefined;
  const r = sxy / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, r));
}

/** A factor's ICs across cycles. Figures are null where they are undefined. */
export interface IcSummary {
  /** Mean of the defined per-cycle ICs; null without any. */
  meanIc: number | null;
  /** Sample standard deviation (n − 1); null with fewer than two ICs. */
  sd: number | null;
  /** Cycles with a defined IC (cycles where the factor or the returns had no spread are not counted). */
  n: number;
  /** meanIc / (sd / √n); null when sd is null or zero. */
  t: number | null;
}

/** Summarises per-cycle ICs; undefined and non-finite entries (cycles without an IC) are skipped. */
export function summarizeIc(ics: readonly (number | undefined | null)[]): IcSummary {
  const xs = ics.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  const n = xs.length;
  if (n === 0) return { meanIc: null, sd: null, n: 0, t: null };
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  if (n < 2) return { meanIc: mean, sd: null, n, t: null };
  // Identical ICs have no spread at all, whatever rounding the mean picked up on the way.
  const sd = xs.every((x) => x === xs[0])
    ? 0
    : Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  return { meanIc: mean, sd, n, t: sd > 0 ? mean / (sd / Math.sqrt(n)) : null };
}
