/**
 * The guide's multi-factor score: News 30 % + Technical 30 % + Momentum 20 % + Volume 20 %.
 * Every factor is mapped to 0..100 by a bounded, monotone curve, so one extreme reading (a +40 %
 * squeeze, 50× volume) cannot dominate the composite.
 */
import type { ScanMetrics } from './scan/metrics';

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

/** Rounds to 4 decimals so recorded scores are stable text and ties compare equal. */
export const round4 = (x: number): number => {
  const r = Math.round(x * 1e4) / 1e4;
  return Object.is(r, -0) ? 0 : r;
};

const clamp100 = (x: number): number => Math.min(100, Math.max(0, x));

// Percent at which tanh reaches ~76 % of its range: +3 % since the open is already a strong intraday move.
const MOMENTUM_SCALE_PCT = 3;
const GAP_SCALE_PCT = 4;
// Relative volume at which the volume score is 50: twice the usual volume for this time of day.
const RELATIVE_VOLUME_HALF = 2;

/** 50 when flat since the open, towards 100 for strong gains, towards 0 for losses (Catalyst only buys). */
export function momentumScore(m: Pick<ScanMetrics, 'momentumPct'>): number {
  return signedScore(m.momentumPct, MOMENTUM_SCALE_PCT);
}

/** 50 for no gap, towards 100 for a large gap up, towards 0 for a gap down. */
export function gapScore(m: Pick<ScanMetrics, 'gapPct'>): number {
  return signedScore(m.gapPct, GAP_SCALE_PCT);
}

/** 0 with no volume, 33 at normal volume, 50 at 2×, 80 at 8×; never reaches 100. */
export function volumeScore(m: Pick<ScanMetrics, 'relativeVolume'>): number {
  const rv = m.relativeVolume;
  if (!(rv > 0)) return 0; // also NaN
  if (rv === Infinity) return 100;
  return round4(clamp100((100 * rv) / (rv + RELATIVE_VOLUME_HALF)));
}

function signedScore(pct: number, scale: number): number {
  if (Number.isNaN(pct)) return 50;
  return round4(clamp100(50 + 50 * Math.tanh(pct / scale)));
}

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
