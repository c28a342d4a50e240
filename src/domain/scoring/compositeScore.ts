/**
 * The guide's multi-factor score: News 30 % + Technical 30 % + Momentum 20 % + Volume 20 %
 * (weights from trading_config.yaml), each factor already on 0..100.
 */
import { clamp100, round4 } from './factors';

export interface ScoreParts {
  news: number;
  technical: number;
  momentum: number;
  volume: number;
}
export type ScoreWeights = ScoreParts;

export const DEFAULT_SCORE_WEIGHTS: Readonly<ScoreWeights> = Object.freeze({
  news: 0.3,
  technical: 0.3,
  momentum: 0.2,
  volume: 0.2,
});

const WEIGHT_SUM_TOLERANCE = 1e-6;

/** Throws unless every weight is in 0..1 and they sum to 1. */
export function assertScoreWeights(weights: ScoreWeights): void {
  const entries = Object.entries(weights) as [keyof ScoreWeights, number][];
  for (const [name, w] of entries) {
    if (!Number.isFinite(w) || w < 0 || w > 1) {
      throw new RangeError(`score weight ${name} must be between 0 and 1 (got ${w})`);
    }
  }
  const sum = weights.news + weights.technical + weights.momentum + weights.volume;
  if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
    throw new RangeError(
      `score weights must sum to 1 (got ${round4(sum)}: news ${weights.news} + technical ${weights.technical} + momentum ${weights.momentum} + volume ${weights.volume})`,
    );
  }
}

/** Weighted sum of 0..100 parts, in 0..100, rounded to 4 decimals. Parts outside 0..100 are clamped. */
export function compositeScore(parts: ScoreParts, weights: ScoreWeights = DEFAULT_SCORE_WEIGHTS): number {
  assertScoreWeights(weights);
  for (const [name, v] of Object.entries(parts)) {
    if (!Number.isFinite(v)) throw new RangeError(`score part ${name} must be a finite number (got ${v})`);
  }
  const total =
    weights.news * clamp100(parts.news) +
    weights.technical * clamp100(parts.technical) +
    weights.momentum * clamp100(parts.momentum) +
    weights.volume * clamp100(parts.volume);
  return round4(clamp100(total));
}
