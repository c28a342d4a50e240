/** Text helpers for the reasons people read (module-internal: not exported from the index). */
import type { Micros } from '../money';

/** part ÷ whole as a percent with one decimal ("12.5%"); whole ≤ 0 reads as "n/a". */
export function pctText(part: Micros, whole: Micros): string {
  if (whole <= 0n) return 'n/a';
  const tenths = (part * 1000n + whole / 2n) / whole;
  return `${tenths / 10n}.${tenths % 10n}%`;
}

/** An epoch-ms instant as ISO UTC, or a plain word when it is not a usable time. */
export const instantText = (ms: number): string =>
  Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : `an unknown time (${ms})`;
