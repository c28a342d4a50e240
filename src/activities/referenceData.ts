/**
 * Reference data the broker does not provide: sector, industry and typical volume per symbol,
 * from the bundled universe file (data/us-equities-2023-04.csv, see data/SOURCES.md).
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

export const sectorOf = (ref: ReferenceData, symbol: string): string => ref.get(symbol)?.sector ?? 'Unknown';
