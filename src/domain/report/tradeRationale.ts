/**
 * Why a trade was taken: the candidate's row of the cycle that placed its entry — its factor
 * scores and the risk manager's decision with every reason (sizing for an approval). A trade
 * whose cycle left no row (an entry adopted by reconciliation) has no rationale, said as such.
 */
import type { ReportCandidateRow } from './reportRows';
import type { TradeFactors, TradeRationale } from './reportTypes';

const score = (value: string | null): number | null => (value === null ? null : Number(value));

export function factorsOf(row: ReportCandidateRow): TradeFactors {
  return {
    composite: score(row.compositeScore),
    news: score(row.newsScore),
    technical: score(row.technicalScore),
    pattern: score(row.patternScore),
    momentum: score(row.momentumScore),
    volume: score(row.volumeScore),
    finalRank: row.finalRank,
  };
}

export const NO_RATIONALE: TradeRationale = { factors: null, riskApproved: null, riskReasons: [] };

/** Candidates by `<cycleId>|<SYMBOL>`. */
export function candidatesByCycleAndSymbol(
  candidates: readonly ReportCandidateRow[],
): Map<string, ReportCandidateRow> {
  return new Map(candidates.map((c) => [`${c.cycleId}|${c.symbol.toUpperCase()}`, c]));
}

export function tradeRationale(
  trade: { cycleId: string | null; symbol: string },
  candidates: ReadonlyMap<string, ReportCandidateRow>,
): TradeRationale {
  if (trade.cycleId === null) return NO_RATIONALE;
  const row = candidates.get(`${trade.cycleId}|${trade.symbol.toUpperCase()}`);
  if (!row) return NO_RATIONALE;
  return { factors: factorsOf(row), riskApproved: row.riskApproved, riskReasons: [...row.riskReasons] };
}
