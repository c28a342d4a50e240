/**
 * The scanner's first funnel stage: the whole tradable universe (≥ 4,000 symbols) down to the
 * top N by scan score, after price and liquidity filters.
 */
import { computeScanMetrics, isScannable, type ScanInput, type ScanMetrics } from './metrics';

export interface RankOptions {
  /** How many to keep (default 200). */
  topN?: number;
  minPrice: number;
  maxPrice: number;
  /** Minimum typical full-day dollar volume (see ScanMetrics.liquidityDollarVolume). */
  minDollarVolume: number;
  sessionFractionElapsed: number;
}

export type RankedScan = ScanMetrics & { /** 1-based position in the ranking. */ rank: number };

export const DEFAULT_UNIVERSE_TOP_N = 200;

/**
 * Highest scan score first; equal scores by symbol (code-point order, not locale) so the same
 * snapshot always yields the same list. Inputs with unusable data are skipped; a symbol listed
 * twice keeps its first occurrence.
 */
export function rankUniverse(inputs: readonly ScanInput[], opts: RankOptions): RankedScan[] {
  const topN = opts.topN ?? DEFAULT_UNIVERSE_TOP_N;
  if (!Number.isInteger(topN) || topN < 0)
    throw new RangeError(`topN must be a non-negative integer (got ${topN})`);
  const seen = new Set<string>();
  const eligible: ScanMetrics[] = [];
  for (const input of inputs) {
    if (seen.has(input.symbol)) continue;
    seen.add(input.symbol);
    if (!isScannable(input)) continue;
    if (input.price < opts.minPrice || input.price > opts.maxPrice) continue;
    const m = computeScanMetrics(input, opts.sessionFractionElapsed);
    if (m.liquidityDollarVolume < opts.minDollarVolume) continue;
    eligible.push(m);
  }
  eligible.sort(byScoreThenSymbol);
  return eligible.slice(0, topN).map((m, i) => ({ ...m, rank: i + 1 }));
}

function byScoreThenSymbol(a: ScanMetrics, b: ScanMetrics): number {
  if (a.scanScore !== b.scanScore) return b.scanScore - a.scanScore;
  return a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;
}
