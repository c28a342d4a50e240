/**
 * Reference data the broker does not provide: sector, industry and typical volume per symbol,
 * from the bundled universe file (data/us-equities-2023-04.csv, see data/SOURCES.md).
 *
 * Sectors are looked up with risk_parameters.yaml's `sector_limits.sector_overrides`, which win
 * over the file: it is a 2023 snapshot, and a reclassified or newly listed stock would otherwise
 * count toward the wrong sector limit. Callers pass the overrides of the settings current at the
 * lookup, so a hot reload applies from the next lookup.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../domain/csv';

export interface SymbolReference {
  name: string;
  exchange: string;
  sector: string;
  industry: string;
  avgVolume: number | undefined;
}

export type ReferenceData = ReadonlyMap<string, SymbolReference>;

const DEFAULT_FILE = fileURLToPath(new URL('../../data/us-equities-2023-04.csv', import.meta.url));

export function loadReferenceData(file: string = DEFAULT_FILE): ReferenceData {
  const map = new Map<string, SymbolReference>();
  for (const row of parseCsv(readFileSync(file, 'utf8'))) {
    const symbol = row.symbol?.trim().toUpperCase();
    if (!symbol) continue;
    const avg = Number(row.avg_volume_10d);
    map.set(symbol, {
      name: row.name ?? symbol,
      exchange: row.exchange ?? '',
      sector: row.sector?.trim() || 'Unknown',
      industry: row.industry?.trim() || 'Unknown',
      avgVolume: Number.isFinite(avg) && avg > 0 ? avg : undefined,
    });
  }
  return map;
}

/** Symbol → sector (risk_parameters.yaml `sector_limits.sector_overrides`). */
export type SectorOverrides = Readonly<Record<string, string>>;

/** The symbol's sector, or undefined when neither the overrides nor the file know it. */
export function knownSectorOf(
  ref: ReferenceData,
  overrides: SectorOverrides,
  symbol: string,
): string | undefined {
  // Own keys only: a plain object's prototype must never read as a sector.
  return Object.hasOwn(overrides, symbol) ? overrides[symbol] : ref.get(symbol)?.sector;
}

export const sectorOf = (ref: ReferenceData, overrides: SectorOverrides, symbol: string): string =>
  knownSectorOf(ref, overrides, symbol) ?? 'Unknown';
