/**
 * The sector limit: a sector's exposure, counting holdings, pending entries and this batch's
 * approvals, must stay within max_exposure_pct of equity with the new trade.
 */
import { percentOf, sumMicros, type Micros } from '../money';
import { pctText } from './format';
import type { Held } from './held';
import type { RiskLimits } from './types';

export interface ConcentrationVerdict {
  refusals: string[];
  notes: string[];
}

export function checkSectorExposure(
  sector: string,
  notional: Micros,
  held: readonly Held[],
  equity: Micros,
  limits: RiskLimits,
): ConcentrationVerdict {
  if (!sectorLimited(sector, limits)) return { refusals: [], notes: [] };
  const exposure = sumMicros(held.filter((h) => h.sector === sector).map((h) => h.exposure)) + notional;
  const cap = percentOf(equity, limits.maxSectorExposurePct);
  const line = `sector ${sector} ${pctText(exposure, equity)} of equity with this trade`;
  return exposure > cap
    ? { refusals: [`${line}, over the ${limits.maxSectorExposurePct}% limit`], notes: [] }
    : { refusals: [], notes: [`${line} (limit ${limits.maxSectorExposurePct}%)`] };
}

export const sectorLimited = (sector: string, limits: RiskLimits): boolean =>
  limits.sectorsToLimit.length === 0 || limits.sectorsToLimit.includes(sector);
