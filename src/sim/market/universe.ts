/**
 * The simulator's asset universe: real US symbols (as of 2023-04) with the levels the market
 * model needs. Tradability follows the rules a broker would apply to a day-trading account.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../../domain/csv';
import { stableUuid } from './rng';

export interface SimAsset {
  id: string;
  symbol: string;
  name: string;
  exchange: string;
  sector: string;
  industry: string;
  /** Last price in the data file: the previous close of the first simulated session. */
  price: number;
  avgVolume: number;
  beta: number;
  marketCap: number;
  fiftyDayAvg: number;
  tradable: boolean;
  status: 'active' | 'inactive';
  marginable: boolean;
  shortable: boolean;
  easyToBorrow: boolean;
  fractionable: boolean;
}

export interface Universe {
  assets: readonly SimAsset[];
  bySymbol: ReadonlyMap<string, SimAsset>;
  byId: ReadonlyMap<string, SimAsset>;
  sectors: readonly string[];
}

const LISTED_EXCHANGES = new Set(['NYSE', 'NASDAQ', 'AMEX']);
export const MIN_TRADABLE_PRICE = 1;
export const MIN_TRADABLE_AVG_VOLUME = 50_000;

const num = (text: string | undefined): number | null => {
  if (text === undefined || text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
};

export function loadUniverse(dataDir: string): Universe {
  const rows = parseCsv(readFileSync(join(dataDir, 'us-equities-2023-04.csv'), 'utf8'));
  const assets: SimAsset[] = [];
  for (const row of rows) {
    const symbol = row.symbol?.trim();
    if (!symbol) continue;
    const price = num(row.price) ?? num(row.fifty_day_avg) ?? 0;
    if (price <= 0) continue; // no level to simulate from
    const avgVolume = Math.max(0, Math.round(num(row.avg_volume_10d) ?? num(row.volume) ?? 0));
    const sector = row.sector?.trim() ?? '';
    const exchange = row.exchange?.trim() ?? '';
    const tradable =
      price >= MIN_TRADABLE_PRICE &&
      avgVolume >= MIN_TRADABLE_AVG_VOLUME &&
      LISTED_EXCHANGES.has(exchange) &&
      sector !== '' &&
      num(row.price) !== null;
    const beta = Math.min(3, Math.max(0, num(row.beta) ?? 1));
    assets.push({
      id: stableUuid('asset', symbol),
      symbol,
      name: row.name?.trim() || symbol,
      exchange,
      sector: sector || 'Unclassified',
      industry: row.industry?.trim() ?? '',
      price,
      avgVolume,
      beta,
      marketCap: num(row.market_cap) ?? 0,
      fiftyDayAvg: num(row.fifty_day_avg) ?? price,
      tradable,
      status: tradable ? 'active' : 'inactive',
      marginable: tradable && price >= 3,
      shortable: tradable && price >= 5,
      easyToBorrow: tradable && price >= 5 && avgVolume >= 500_000,
      fractionable: tradable && (num(row.market_cap) ?? 0) >= 1e9,
    });
  }
  assets.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  return {
    assets,
    bySymbol: new Map(assets.map((a) => [a.symbol, a])),
    byId: new Map(assets.map((a) => [a.id, a])),
    sectors: [...new Set(assets.map((a) => a.sector))].sort(),
  };
}
