/**
 * The scoring service: the composite score (news, technical, momentum and volume factors, weighted
 * by trading_config.yaml) for the technical stage's survivors, the final rank, and the minimum
 * score below which nothing is bought. Every score and rank goes to scan_results.
 */
import { updateScanScores } from '../db/repositories/scanResults';
import { roundPrice } from '../domain/money';
import { rankByComposite } from '../domain/scoring';
import type { ActivityDeps } from './deps';
import { sectorOf, type ReferenceData } from './referenceData';
import type { ScoredCandidate, ScoringOutcome, StageInput } from './types';

/** A factor a stage did not produce (no news stage run) counts as neutral, never as a verdict. */
const NEUTRAL = 50;

export function createScoringActivities(deps: ActivityDeps, ref: ReferenceData) {
  return {
    async scoreCandidates(input: StageInput): Promise<ScoringOutcome> {
      const settings = deps.settings.at(input.configVersion);
      const { scoring } = settings.trading;
      const overrides = settings.risk.sector_limits.sector_overrides;
      const ranked = rankByComposite(
        input.candidates,
        (c) => ({
          news: c.newsScore ?? NEUTRAL,
          technical: c.technicalScore ?? NEUTRAL,
          momentum: c.momentumScore,
          volume: c.volumeScore,
        }),
        scoring.weights,
        scoring.min_composite_score,
      );
      await updateScanScores(
        deps.db,
        input.cycleId,
        ranked.map((r) => ({
          symbol: r.item.symbol,
          compositeScore: r.composite,
          finalRank: r.finalRank,
          selected: r.clearsMinimum,
          ...(r.clearsMinimum ? { stageReached: 'scored' } : {}),
        })),
      );
      const candidates: ScoredCandidate[] = ranked
        .filter((r) => r.clearsMinimum)
        .map(({ item: c, composite }) => ({
          symbol: c.symbol,
          sector: sectorOf(ref, overrides, c.symbol),
          price: roundPrice(c.lastClose ?? c.price),
          compositeScore: composite,
          newsScore: c.newsScore ?? NEUTRAL,
          patternScore: c.patternScore ?? NEUTRAL,
          technicalScore: c.technicalScore ?? NEUTRAL,
          momentumScore: c.momentumScore,
          volumeScore: c.volumeScore,
          atr: c.atr ?? null,
        }));
      return { candidates, belowMinimum: ranked.length - candidates.length };
    },
  };
}
