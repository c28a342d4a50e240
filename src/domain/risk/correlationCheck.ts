/**
 * The correlation limit: a candidate must not move with anything held (positions, pending entries,
 * this batch's approvals) more than max_correlation. A correlation that cannot be computed is never
 * passed over in silence: correlation.missing_data decides, and the reason says which and why.
 */
import { correlationOfReturns, MIN_CORRELATION_POINTS, type CorrelationProblem } from './correlation';
import type { Held } from './held';
import type { ConcentrationVerdict } from './sectorExposure';
import type { RiskLimits } from './types';

export function checkCorrelation(
  candidate: { symbol: string; returns: ReadonlyMap<string, number> | null },
  held: readonly Held[],
  limits: RiskLimits,
): ConcentrationVerdict {
  const refusals: string[] = [];
  const notes: string[] = [];
  if (!limits.correlationCheckEnabled) return { refusals, notes };

  let worst: { symbol: string; r: number } | null = null;
  for (const h of onePerSymbol(held)) {
    let unknown: string | null = null;
    if (!candidate.returns) unknown = `no recent closes for ${candidate.symbol}`;
    else if (!h.returns) unknown = `no recent closes for ${h.symbol}`;
    else {
      const c = correlationOfReturns(candidate.returns, h.returns);
      if (c.r === null) unknown = problemText(c.problem, c.points);
      else if (worst === null || c.r > worst.r) worst = { symbol: h.symbol, r: c.r };
    }
    if (unknown === null) continue;
    if (limits.correlationMissingData === 'allow') {
      notes.push(
        `correlation with ${h.symbol} unknown (${unknown}); allowed by correlation.missing_data: allow`,
      );
    } else {
      refusals.push(
        `correlation with ${h.symbol} unknown (${unknown}); refused by correlation.missing_data: reject`,
      );
    }
  }
  if (worst && worst.r > limits.maxCorrelation) {
    refusals.unshift(
      `correlation ${worst.r.toFixed(2)} with ${worst.symbol} exceeds ${limits.maxCorrelation}`,
    );
  } else if (worst) {
    notes.unshift(
      `highest correlation ${worst.r.toFixed(2)} with ${worst.symbol} (limit ${limits.maxCorrelation})`,
    );
  }
  return { refusals, notes };
}

/**
 * A symbol can be held twice (a partly filled entry is a position and a pending entry); its prices
 * are the same series, so it is judged once, with whichever entry has closes.
 */
function onePerSymbol(held: readonly Held[]): Held[] {
  const bySymbol = new Map<string, Held>();
  for (const h of held) {
    const seen = bySymbol.get(h.symbol);
    if (!seen || (!seen.returns && h.returns)) bySymbol.set(h.symbol, h);
  }
  return [...bySymbol.values()];
}

function problemText(problem: CorrelationProblem, points: number): string {
  switch (problem) {
    case 'too_few_points':
      return `${points} common dated returns, need ${MIN_CORRELATION_POINTS}`;
    case 'not_finite':
      return 'a close that is not a positive number';
    case 'constant':
      return `returns constant over the ${points} common dates`;
  }
}
