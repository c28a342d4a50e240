/**
 * The last cut before risk: every candidate's composite score, its place among the cycle's
 * candidates, and whether it clears the minimum score. A cycle whose best candidates are all poor
 * buys nothing rather than the least bad of them.
 */
import { compositeScore, type ScoreParts, type ScoreWeights } from './compositeScore';
import { compareBy } from './stageRanking';

export interface Ranked<T> {
  item: T;
  composite: number;
  /** 1-based, by composite score (ties by symbol). */
  finalRank: number;
  clearsMinimum: boolean;
}

export function rankByComposite<T extends { symbol: string }>(
  items: readonly T[],
  partsOf: (item: T) => ScoreParts,
  weights: ScoreWeights,
  minimumScore: number,
): Ranked<T>[] {
  const scored = items.map((item) => ({ item, composite: compositeScore(partsOf(item), weights) }));
  scored.sort((a, b) =>
    compareBy({ symbol: a.item.symbol, c: a.composite }, { symbol: b.item.symbol, c: b.composite }, [
      (x) => x.c,
    ]),
  );
  return scored.map((s, i) => ({ ...s, finalRank: i + 1, clearsMinimum: s.composite >= minimumScore }));
}
