/**
 * The market factors of the composite score, each mapped to 0..100 by a bounded, monotone curve,
 * so one extreme reading (a +40 % squeeze, 50× volume) cannot dominate the composite. The news
 * factor lives with the sentiment scorer, the technical one with the indicators.
 */
import type { ScanMetrics } from '../scan/metrics';

/** Rounds to 4 decimals so recorded scores are stable text and ties compare equal. */
export const round4 = (x: number): number => {
  const r = Math.round(x * 1e4) / 1e4;
  return Object.is(r, -0) ? 0 : r;
};

export const clamp100 = (x: number): number => Math.min(100, Math.max(0, x));

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
