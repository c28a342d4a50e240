/**
 * The news service: the broker's stories for the scan's candidates since the previous close and up
 * to the decision minute, each headline scored by the finance-aware scorer, aggregated per symbol
 * with recency weight into the news factor (0..100, 50 = no news). Cut to `filters.news_top_n`;
 * every candidate's sentiment goes to news_sentiment, with or without headlines.
 */
import type { BrokerNews } from '../broker/port';
import { recordNewsSentiment, type NewsSentimentRow } from '../db/repositories/cycleAnalysis';
import { updateScanScores } from '../db/repositories/scanResults';
import { previousTradingDay } from '../domain/calendar';
import { cutStage } from '../domain/scoring';
import { aggregateSentiment, newsFactor, scoreHeadline } from '../domain/sentiment';
import type { ActivityDeps } from './deps';
import { beat } from './heartbeat';
import type { MarketCache } from './marketCache';
import { sessionOf } from './marketClock';
import type { Candidate, StageInput, StageOutcome } from './types';

/** Headlines kept per symbol in news_sentiment.details (the newest). */
const HEADLINES_RECORDED = 10;

export function createNewsActivities(deps: ActivityDeps, cache: MarketCache) {
  return {
    async scoreSentiment(input: StageInput): Promise<StageOutcome> {
      if (input.candidates.length === 0) return { candidates: [] };
      const { trading } = deps.settings.at(input.configVersion);
      const prior = await sessionOf(deps, cache, previousTradingDay(input.tradingDate));
      const stories = await deps.broker.getNews({
        symbols: input.candidates.map((c) => c.symbol),
        start: new Date(prior.closeMs).toISOString(),
        end: new Date(input.asOfMs).toISOString(),
      });
      beat('news');
      const bySymbol = storiesBySymbol(stories, input.asOfMs);

      const rows: NewsSentimentRow[] = [];
      const scored: Candidate[] = input.candidates.map((c) => {
        const own = bySymbol.get(c.symbol) ?? [];
        const headlines = own.map((n) => ({
          headline: n.headline,
          publishedAtMs: Date.parse(n.createdAt),
          scored: scoreHeadline(n.headline),
        }));
        const agg = aggregateSentiment(headlines, input.asOfMs);
        const newsScore = newsFactor(agg.score, agg.headlineCount);
        rows.push({
          symbol: c.symbol,
          headlineCount: agg.headlineCount,
          sentiment: agg.score,
          newsScore,
          catalystType: agg.catalyst,
          latestHeadline: agg.latestHeadline,
          latestPublishedAt: agg.latestPublishedAtMs === null ? null : new Date(agg.latestPublishedAtMs),
          details: {
            label: agg.label,
            headlines: headlines
              .slice(-HEADLINES_RECORDED)
              .reverse()
              .map((h) => ({
                headline: h.headline,
                publishedAt: new Date(h.publishedAtMs).toISOString(),
                score: h.scored.score,
                label: h.scored.label,
                catalyst: h.scored.catalyst,
              })),
          },
        });
        return { ...c, newsScore, headlines: agg.headlineCount };
      });

      const top = cutStage(scored, trading.filters.news_top_n, [
        (c) => c.newsScore ?? 50,
        (c) => c.scanScore,
      ]);
      const kept = new Set(top.map((c) => c.symbol));
      await recordNewsSentiment(deps.db, input.cycleId, rows);
      await updateScanScores(
        deps.db,
        input.cycleId,
        scored.map((c) => ({
          symbol: c.symbol,
          newsScore: c.newsScore,
          ...(kept.has(c.symbol) ? { stageReached: 'news' } : {}),
        })),
      );
      return { candidates: top };
    },
  };
}

/** Each symbol's stories published by the decision minute, oldest first. */
function storiesBySymbol(stories: readonly BrokerNews[], asOfMs: number): Map<string, BrokerNews[]> {
  const out = new Map<string, BrokerNews[]>();
  for (const story of stories) {
    // The request already ends at the minute; a venue that ignored it must still not leak the future.
    if (!(Date.parse(story.createdAt) <= asOfMs)) continue;
    for (const symbol of story.symbols) {
      const list = out.get(symbol) ?? [];
      list.push(story);
      out.set(symbol, list);
    }
  }
  return out;
}
