/**
 * The pattern service: candlestick patterns and intraday setups (opening-range breakout, bull
 * flag, VWAP reclaim, high-of-day breakout) on the news stage's survivors, from the minute bars up
 * to the decision minute; the pattern factor ranks them. Cut to `filters.pattern_top_n`; every
 * pattern found goes to pattern_analysis.
 */
import type { PatternRow } from '../db/repositories/cycleAnalysis';
import { recordPatterns } from '../db/repositories/cycleAnalysis';
import { updateScanScores } from '../db/repositories/scanResults';
import { detectPatterns as detect, patternFactor } from '../domain/patterns';
import { cutStage } from '../domain/scoring';
import { candidateBars } from './candidateBars';
import type { ActivityDeps } from './deps';
import { beat } from './heartbeat';
import type { MarketCache } from './marketCache';
import type { Candidate, StageInput, StageOutcome } from './types';

export function createPatternActivities(deps: ActivityDeps, cache: MarketCache) {
  return {
    async detectPatterns(input: StageInput): Promise<StageOutcome> {
      if (input.candidates.length === 0) return { candidates: [] };
      const { trading } = deps.settings.at(input.configVersion);
      const bars = await candidateBars(deps, cache, {
        ...input,
        symbols: input.candidates.map((c) => c.symbol),
      });
      beat('bars');
      const rows: PatternRow[] = [];
      const scored: Candidate[] = input.candidates.map((c) => {
        const cb = bars.get(c.symbol)!;
        const hits = detect(cb.bars, cb.sessionStart);
        for (const hit of hits) {
          rows.push({
            symbol: c.symbol,
            pattern: hit.pattern,
            direction: hit.direction,
            confidence: hit.confidence,
            price: cb.bars.close[hit.barIndex] ?? null,
            detectedAt: new Date(input.asOfMs),
            details: { kind: hit.kind, barsAgo: cb.bars.length - 1 - hit.barIndex, reason: hit.reason },
          });
        }
        return { ...c, patternScore: patternFactor(hits), patterns: hits.map((h) => h.pattern) };
      });
      const top = cutStage(scored, trading.filters.pattern_top_n, [
        (c) => c.patternScore ?? 50,
        (c) => c.newsScore ?? 50,
        (c) => c.scanScore,
      ]);
      const kept = new Set(top.map((c) => c.symbol));
      await recordPatterns(
        deps.db,
        input.cycleId,
        scored.map((c) => c.symbol),
        rows,
      );
      await updateScanScores(
        deps.db,
        input.cycleId,
        scored.map((c) => ({
          symbol: c.symbol,
          patternScore: c.patternScore,
          ...(kept.has(c.symbol) ? { stageReached: 'patterns' } : {}),
        })),
      );
      return { candidates: top };
    },
  };
}
