/**
 * A symbol's news as of one decision minute: the recency-weighted mean of its headline scores,
 * and the news factor a candidate's score uses. Only headlines published at or before `asOfMs`
 * count, so a backtest reads the news it would have had then and nothing later.
 */
import type { Catalyst } from './financePhrases';
import { labelOf, scoreHeadline, type HeadlineScore, type SentimentLabel } from './scoreHeadline';

export interface DatedHeadline {
  headline: string;
  /** Epoch milliseconds. */
  publishedAtMs: number;
  /** The headline's score when the caller already has it (it is computed here otherwise). */
  scored?: HeadlineScore;
}

export interface SymbolSentiment {
  /** Recency-weighted mean headline score, in [-1, 1]; 0 without news. */
  score: number;
  label: SentimentLabel;
  /** Headlines published at or before the decision minute. */
  headlineCount: number;
  latestHeadline: string | null;
  latestPublishedAtMs: number | null;
  /** The catalyst of the strongest headline (weighted |score|), else of any headline that names one. */
  catalyst: Catalyst | null;
  /** The headline that weighs most: largest |score| × recency weight. */
  strongest: string | null;
}

/** A headline this old counts half as much as one published at the decision minute. */
export const DEFAULT_HALF_LIFE_MS = 2 * 60 * 60 * 1000;

interface Weighted {
  item: DatedHeadline;
  scored: HeadlineScore;
  weight: number;
}

const NO_NEWS: SymbolSentiment = {
  score: 0,
  label: 'neutral',
  headlineCount: 0,
  latestHeadline: null,
  latestPublishedAtMs: null,
  catalyst: null,
  strongest: null,
};

export function aggregateSentiment(
  headlines: readonly DatedHeadline[],
  asOfMs: number,
  halfLifeMs: number = DEFAULT_HALF_LIFE_MS,
): SymbolSentiment {
  if (!(halfLifeMs > 0)) throw new RangeError(`halfLifeMs must be positive, got ${halfLifeMs}`);
  const known = headlines.filter((h) => h.publishedAtMs <= asOfMs);
  if (known.length === 0) return NO_NEWS;
  const latest = known.reduce((a, b) => (b.publishedAtMs > a.publishedAtMs ? b : a));
  // Ages from the latest headline rather than from asOfMs: the mean is the same (a common factor
  // cancels) and the newest weight is 1, so old news cannot underflow every weight to 0.
  const weighted: Weighted[] = known.map((item) => ({
    item,
    scored: item.scored ?? scoreHeadline(item.headline),
    weight: 0.5 ** ((latest.publishedAtMs - item.publishedAtMs) / halfLifeMs),
  }));
  const totalWeight = weighted.reduce((sum, w) => sum + w.weight, 0);
  const score = weighted.reduce((sum, w) => sum + w.weight * w.scored.score, 0) / totalWeight;
  const strongest = weighted.reduce((a, b) =>
    b.weight * Math.abs(b.scored.score) > a.weight * Math.abs(a.scored.score) ? b : a,
  );
  return {
    score,
    label: labelOf(score),
    headlineCount: known.length,
    latestHeadline: latest.headline,
    latestPublishedAtMs: latest.publishedAtMs,
    catalyst: strongest.scored.catalyst ?? weighted.find((w) => w.scored.catalyst)?.scored.catalyst ?? null,
    strongest: strongest.item.headline,
  };
}

/**
 * The news factor of a candidate's score, 0..100 with 50 for no news or neutral news. A single
 * headline moves it at most halfway (count / (count + 1)): one story may be misread, several
 * agreeing ones are stronger evidence.
 */
export function newsFactor(score: number, headlineCount: number): number {
  if (headlineCount <= 0 || !Number.isFinite(score)) return 50;
  const confidence = headlineCount / (headlineCount + 1);
  const clamped = Math.max(-1, Math.min(1, score));
  return 50 + 50 * clamped * confidence;
}
