/**
 * Expected share of a full day's volume traded after a fraction of the regular session.
 *
 * US equity volume is U-shaped: heavy in the first and last half hour, thin at midday. A linear
 * curve would call every stock "3× relative volume" at 09:45 simply because the open is busy, so
 * the scanner uses a U-shaped density d(f) ∝ 1 + K·(2f − 1)², whose integral is closed-form:
 * C(f) = (f + K·((2f − 1)³ + 1)/6) / (1 + K/3). With K = 3 the open and close trade at 4× the
 * midday rate, the first 30 minutes carry ≈ 14 % of the day and C(0.5) = 0.5.
 */
const K = 3;
const SESSION_MINUTES = 390;
/** One minute: before any minute has elapsed there is no volume to compare. */
export const MIN_SESSION_FRACTION = 1 / SESSION_MINUTES;

export function clampSessionFraction(fraction: number): number {
  if (!Number.isFinite(fraction)) return 1;
  return Math.min(1, Math.max(MIN_SESSION_FRACTION, fraction));
}

export function expectedVolumeFraction(sessionFractionElapsed: number): number {
  const f = clampSessionFraction(sessionFractionElapsed);
  const u = 2 * f - 1;
  return (f + (K * (u * u * u + 1)) / 6) / (1 + K / 3);
}
