/**
 * Securities and their sectors. Ids are what every other table references, so callers resolve
 * symbols here once per batch rather than row by row.
 */
import { inArray, sql } from 'drizzle-orm';
import { chunked } from '../chunked';
import type { CatalystDb } from '../createDatabase';
import { sectors, securities } from '../schema';

export interface SecurityInput {
  symbol: string;
  name?: string | null;
  exchange?: string | null;
  sector?: string | null;
  industry?: string | null;
  /** Omitted: an existing row keeps its flag, a new row is active. */
  isActive?: boolean;
}

const CHUNK = 1000;

/** The stored form of a ticker: trimmed, upper-case. */
export function normalizeSymbol(symbol: string): string {
  const normalized = typeof symbol === 'string' ? symbol.trim().toUpperCase() : '';
  if (!normalized) throw new TypeError(`symbol must be a non-empty string, got ${JSON.stringify(symbol)}`);
  return normalized;
}

/**
 * Inserts or refreshes securities (and any sectors they name). Attributes given as null or
 * omitted keep their stored value, so a sparse feed never erases a richer one.
 * Returns normalized symbol → security id.
 */
export async function upsertSecurities(
  db: CatalystDb,
  rows: readonly SecurityInput[],
): Promise<Map<string, number>> {
  // ON CONFLICT DO UPDATE may not touch one row twice in a statement: the last mention wins.
  const bySymbol = new Map<string, SecurityInput>();
  for (const row of rows) bySymbol.set(normalizeSymbol(row.symbol), row);
  const ids = new Map<string, number>();
  if (bySymbol.size === 0) return ids;

  const sectorIds = await sectorIdsFor(
    db,
    [...bySymbol.values()].map((r) => r.sector?.trim()).filter((s): s is string => !!s),
  );

  const values = [...bySymbol].map(([symbol, row]) => ({
    symbol,
    name: clean(row.name),
    exchange: clean(row.exchange),
    sectorId: row.sector?.trim() ? sectorIds.get(row.sector.trim())! : null,
    industry: clean(row.industry),
    isActive: row.isActive,
  }));

  const keep = {
    name: sql`coalesce(excluded.name, ${securities.name})`,
    exchange: sql`coalesce(excluded.exchange, ${securities.exchange})`,
    sectorId: sql`coalesce(excluded.sector_id, ${securities.sectorId})`,
    industry: sql`coalesce(excluded.industry, ${securities.industry})`,
    updatedAt: sql`now()`,
  };
  // Rows that state isActive overwrite it; rows that do not must leave it alone, which one
  // statement cannot express because the omitted value arrives as the column default.
  const withFlag = values.filter((v) => v.isActive !== undefined);
  const withoutFlag = values
    .filter((v) => v.isActive === undefined)
    .map((v) => ({ ...v, isActive: undefined }));

  for (const [batch, set] of [
    [withFlag, { ...keep, isActive: sql`excluded.is_active` }],
    [withoutFlag, keep],
  ] as const) {
    for (const chunk of chunked(batch, CHUNK)) {
      const written = await db
        .insert(securities)
        .values(chunk)
        .onConflictDoUpdate({ target: securities.symbol, set })
        .returning({ id: securities.id, symbol: securities.symbol });
      for (const w of written) ids.set(w.symbol, w.id);
    }
  }
  return ids;
}

/** Ids for the given symbols, creating bare rows for unknown ones. Keys are normalized symbols. */
export async function securityIdsFor(
  db: CatalystDb,
  symbols: Iterable<string>,
): Promise<Map<string, number>> {
  const wanted = [...new Set([...symbols].map(normalizeSymbol))];
  const ids = await existingSecurityIds(db, wanted);
  const missing = wanted.filter((s) => !ids.has(s));
  for (const chunk of chunked(missing, CHUNK)) {
    const created = await db
      .insert(securities)
      .values(chunk.map((symbol) => ({ symbol })))
      .onConflictDoNothing({ target: securities.symbol })
      .returning({ id: securities.id, symbol: securities.symbol });
    for (const c of created) ids.set(c.symbol, c.id);
  }
  // A concurrent caller may have created some of them between our read and our insert.
  const raced = missing.filter((s) => !ids.has(s));
  if (raced.length > 0) for (const [s, id] of await existingSecurityIds(db, raced)) ids.set(s, id);
  return ids;
}

/** Ids of symbols already stored, without creating any. Keys are normalized symbols. */
export async function existingSecurityIds(
  db: CatalystDb,
  symbols: Iterable<string>,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const chunk of chunked([...new Set([...symbols].map(normalizeSymbol))], CHUNK)) {
    const found = await db
      .select({ id: securities.id, symbol: securities.symbol })
      .from(securities)
      .where(inArray(securities.symbol, chunk));
    for (const f of found) ids.set(f.symbol, f.id);
  }
  return ids;
}

async function sectorIdsFor(db: CatalystDb, names: readonly string[]): Promise<Map<string, number>> {
  const unique = [...new Set(names)];
  const ids = new Map<string, number>();
  for (const chunk of chunked(unique, CHUNK)) {
    await db
      .insert(sectors)
      .values(chunk.map((name) => ({ name })))
      .onConflictDoNothing({ target: sectors.name });
    const found = await db
      .select({ id: sectors.id, name: sectors.name })
      .from(sectors)
      .where(inArray(sectors.name, chunk));
    for (const f of found) ids.set(f.name, f.id);
  }
  return ids;
}

function clean(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}
