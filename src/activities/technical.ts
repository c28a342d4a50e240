/**
 * The technical service: intraday indicators for the scanner's candidates, then the composite
 * score (news 30 % + technical 30 % + momentum 20 % + volume 20 %, configurable) → top N.
 * News sentiment is neutral (50) until the news stage lands; the weight stays so scores keep
 * their scale.
 */
import { Context } from '@temporalio/activity';
import { updateScanScores } from '../db/repositories/scanResults';
import { computeIndicators as indicatorsOf, technicalScore } from '../domain/indicators';
import { roundPrice } from '../domain/money';
import { rankUniverse, type RankedScan } from '../domain/scan';
import { compositeScore, momentumScore, volumeScore } from '../domain/scoring';
import type { CycleRef, ScoredCandidate } from './types';
import type { ActivityDeps } from './deps';
import type { MarketCache } from './marketCache';
import { sessionOf } from './marketClock';
import { sectorOf, type ReferenceData } from './referenceData';
import { snapshotToScanInput } from './scanner';

const NEUTRAL_NEWS_SCORE = 50;

export function createTechnicalActivities(deps: ActivityDeps, cache: MarketCache, ref: ReferenceData) {
  /** The scan metrics of this cycle, recomputed from fresh snapshots when the cache missed. */
  async function scanMetrics(
    cycleId: string,
    symbols: string[],
    tradingDate: string,
  ): Promise<Map<string, RankedScan>> {
    const cached = cache.scan.get(cycleId);
    if (cached && symbols.every((s) => cached.has(s))) return cached;
    const day = await sessionOf(deps, cache, tradingDate);
    const snaps = await deps.broker.getSnapshots(symbols);
    const inputs = [...snaps].map(([s, snap]) => snapshotToScanInput(s, snap, ref)).filter((x) => x !== null);
    const newest = Math.max(
      ...[...snaps.values()].map((s) => Date.parse(s.latestTradeTime)).filter(Number.isFinite),
      day.openMs,
    );
    const ranked = rankUniverse(inputs, {
      topN: symbols.length,
      minPrice: 0,
      maxPrice: Number.MAX_SAFE_INTEGER,
      minDollarVolume: 0,
      sessionFractionElapsed: (newest - day.openMs) / Math.max(1, day.closeMs - day.openMs),
    });
    return new Map(ranked.map((r) => [r.symbol, r]));
  }

  return {
    async computeIndicators(
      input: CycleRef & { symbols: string[] },
    ): Promise<{ candidates: ScoredCandidate[] }> {
      if (input.symbols.length === 0) return { candidates: [] };
      const { trading } = deps.settings.current();
      const metrics = await scanMetrics(input.cycleId, input.symbols, input.tradingDate);
      const day = await sessionOf(deps, cache, input.tradingDate);
      const bars = await deps.broker.getBars({
        symbols: input.symbols,
        timeframe: '1Min',
        start: new Date(day.openMs).toISOString(),
      });
      Context.current().heartbeat('bars');

      const scored: (ScoredCandidate & { reasons: string[] })[] = [];
      for (const symbol of input.symbols) {
        const m = metrics.get(symbol);
        if (!m) continue;
        const ind = indicatorsOf(bars.get(symbol) ?? []);
        const tech = technicalScore(ind);
        const momentum = momentumScore(m);
        const volume = volumeScore(m);
        scored.push({
          symbol,
          sector: sectorOf(ref, symbol),
          price: roundPrice(ind.lastClose ?? m.price),
          technicalScore: tech.score,
          momentumScore: momentum,
          volumeScore: volume,
          compositeScore: compositeScore(
            { news: NEUTRAL_NEWS_SCORE, technical: tech.score, momentum, volume },
            trading.scoring.weights,
          ),
          atr: ind.atr14,
          reasons: tech.reasons,
        });
      }
      scored.sort((a, b) => b.compositeScore - a.compositeScore || (a.symbol < b.symbol ? -1 : 1));
      const top = scored.slice(0, trading.filters.technical_top_n);
      const selected = new Set(top.map((c) => c.symbol));
      await updateScanScores(
        deps.db,
        input.cycleId,
        scored.map((c) => ({
          symbol: c.symbol,
          technicalScore: c.technicalScore,
          newsScore: NEUTRAL_NEWS_SCORE,
          compositeScore: c.compositeScore,
          stageReached: selected.has(c.symbol) ? 'technical' : 'scan',
          selected: selected.has(c.symbol),
        })),
      );
      return { candidates: top.map(({ reasons: _reasons, ...c }) => c) };
    },
  };
}
