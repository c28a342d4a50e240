/**
 * The risk manager's decisions over the range: every candidate it judged, approved or rejected
 * with its reasons, and the rejections tallied by kind. A reason reads `<kind>: <details>` (for
 * example `daily loss limit reached: P&L …`), so the kind is the text before its first colon.
 */
import type { ReportCandidateRow, ReportCycleRow } from './reportRows';
import type { RiskDecision, RiskDecisionSummary } from './reportTypes';

export const reasonKind = (reason: string): string => {
  const colon = reason.indexOf(':');
  return (colon > 0 ? reason.slice(0, colon) : reason).trim();
};

export function riskDecisions(
  candidates: readonly ReportCandidateRow[],
  cycles: readonly ReportCycleRow[],
): RiskDecisionSummary {
  const cycleOf = new Map(cycles.map((c) => [c.cycleId, c]));
  const decisions: RiskDecision[] = candidates
    .filter((c) => c.riskApproved !== null)
    .map((c) => {
      const cycle = cycleOf.get(c.cycleId);
      return {
        tradingDate: cycle?.tradingDate ?? '',
        cycleNumber: cycle?.cycleNumber ?? null,
        marketTime: cycle?.marketTime ?? '',
        symbol: c.symbol,
        approved: c.riskApproved === true,
        compositeScore: c.compositeScore === null ? null : Number(c.compositeScore),
        reasons: [...c.riskReasons],
      };
    })
    .sort((a, b) =>
      a.marketTime !== b.marketTime
        ? a.marketTime < b.marketTime
          ? -1
          : 1
        : (b.compositeScore ?? -1) - (a.compositeScore ?? -1),
    )
    .map(({ marketTime: _marketTime, ...d }) => d);

  const tally = new Map<string, number>();
  for (const d of decisions) {
    if (d.approved) continue;
    for (const kind of new Set(d.reasons.map(reasonKind))) tally.set(kind, (tally.get(kind) ?? 0) + 1);
  }
  const approved = decisions.filter((d) => d.approved).length;
  return {
    judged: decisions.length,
    approved,
    rejected: decisions.length - approved,
    rejectionReasons: [...tally]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1)),
    decisions,
  };
}
