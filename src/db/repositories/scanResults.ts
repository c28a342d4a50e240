/**
 * Every candidate a cycle's scan ranked, with each score it later earned and how far it got.
 * Later stages update these rows rather than adding their own, so one row tells the whole story
 * of a symbol in a cycle.
 */
import { asc, eq, sql, type SQL } from 'drizzle-orm';
import { chunked } from '../chunked';
import type { CatalystDb } from '../createDatabase';
import { decimal, measure } from '../decimal';
import { scanResults, securities } from '../schema';
import { normalizeSymbol, securityIdsFor } from './securities';

type Measure = number | string | null;

export interface ScanResultRow {
  symbol: string;
  rank: number;
  /** Last price, a decimal string. */
  price: string;
  volume: number;
  gapPct?: Measure;
  momentumPct?: Measure;
  relativeVolume?: Measure;
  scanScore?: Measure;
  momentumScore?: Measure;
  volumeScore?: Measure;
  technicalScore?: Measure;
  newsScore?: Measure;
  compositeScore?: Measure;
  stageReached?: string;
  selected?: boolean;
  riskApproved?: boolean | null;
  riskReasons?: string[] | null;
}

export interface ScanScoreUpdate {
  symbol: string;
  momentumScore?: Measure;
  volumeScore?: Measure;
  technicalScore?: Measure;
  newsScore?: Measure;
  patternScore?: Measure;
  compositeScore?: Measure;
  finalRank?: number | null;
  stageReached?: string;
  selected?: boolean;
  riskApproved?: boolean | null;
  riskReasons?: string[] | null;
}

export type ScanResultRecord = typeof scanResults.$inferSelect & { symbol: string };

const CHUNK = 500;

/**
 * Stores a cycle's scan. A retried scan may rank differently, so the cycle's earlier rows are
 * replaced as a whole rather than merged. Returns the number of rows stored.
 */
export async function recordScanResults(
  db: CatalystDb,
  cycleId: string,
  rows: readonly ScanResultRow[],
): Promise<number> {
  const seen = new Set<string>();
  for (const row of rows) {
    const symbol = normalizeSymbol(row.symbol);
    if (seen.has(symbol)) throw new Error(`recordScanResults: ${symbol} appears twice in cycle ${cycleId}`);
    seen.add(symbol);
  }

  return db.transaction(async (tx) => {
    const ids = await securityIdsFor(tx, seen);
    await tx.delete(scanResults).where(eq(scanResults.cycleId, cycleId));
    const values = rows.map((row) => {
      const symbol = normalizeSymbol(row.symbol);
      if (!Number.isSafeInteger(row.volume) || row.volume < 0) {
        throw new TypeError(`volume of ${symbol} must be a whole number of shares, got ${row.volume}`);
      }
      return {
        cycleId,
        securityId: ids.get(symbol)!,
        rank: row.rank,
        price: decimal(row.price, `price of ${symbol}`),
        volume: row.volume,
        gapPct: measure(row.gapPct, `gapPct of ${symbol}`),
        momentumPct: measure(row.momentumPct, `momentumPct of ${symbol}`),
        relativeVolume: measure(row.relativeVolume, `relativeVolume of ${symbol}`),
        scanScore: measure(row.scanScore, `scanScore of ${symbol}`),
        momentumScore: measure(row.momentumScore, `momentumScore of ${symbol}`),
        volumeScore: measure(row.volumeScore, `volumeScore of ${symbol}`),
        technicalScore: measure(row.technicalScore, `technicalScore of ${symbol}`),
        newsScore: measure(row.newsScore, `newsScore of ${symbol}`),
        compositeScore: measure(row.compositeScore, `compositeScore of ${symbol}`),
        stageReached: row.stageReached,
        selected: row.selected,
        riskApproved: row.riskApproved,
        riskReasons: row.riskReasons,
      };
    });
    for (const chunk of chunked(values, CHUNK)) await tx.insert(scanResults).values(chunk);
    return values.length;
  });
}

/** Columns a later stage may set, with the SQL type their values are cast to. */
const SCORE_COLUMNS = {
  momentumScore: ['momentum_score', 'numeric'],
  volumeScore: ['volume_score', 'numeric'],
  technicalScore: ['technical_score', 'numeric'],
  newsScore: ['news_score', 'numeric'],
  patternScore: ['pattern_score', 'numeric'],
  compositeScore: ['composite_score', 'numeric'],
  finalRank: ['final_rank', 'integer'],
  stageReached: ['stage_reached', 'text'],
  selected: ['selected', 'boolean'],
  riskApproved: ['risk_approved', 'boolean'],
  riskReasons: ['risk_reasons', 'jsonb'],
} as const;
type ScoreColumn = keyof typeof SCORE_COLUMNS;

function columnValue(row: ScanScoreUpdate, key: ScoreColumn, symbol: string): unknown {
  const v = row[key];
  if (SCORE_COLUMNS[key][1] === 'numeric') return measure(v as Measure | undefined, `${key} of ${symbol}`);
  if (key === 'riskReasons') return v == null ? v : JSON.stringify(v);
  return v;
}

/**
 * Adds later stages' verdicts to a cycle's scan rows. Omitted fields keep their value; a symbol
 * the scan never stored is skipped. Returns how many rows were updated. One UPDATE … FROM (VALUES …)
 * per set of columns given (a stage gives the same ones for all its rows): a stage's 200 verdicts
 * cost one round trip, not 200.
 */
export async function updateScanScores(
  db: CatalystDb,
  cycleId: string,
  rows: readonly ScanScoreUpdate[],
): Promise<number> {
  const groups = new Map<string, { keys: ScoreColumn[]; values: SQL[] }>();
  for (const row of rows) {
    const symbol = normalizeSymbol(row.symbol);
    const keys = (Object.keys(SCORE_COLUMNS) as ScoreColumn[]).filter((k) => row[k] !== undefined);
    if (keys.length === 0) continue;
    const group = groups.get(keys.join()) ?? { keys, values: [] };
    const cells = keys.map(
      (k) => sql`cast(${columnValue(row, k, symbol)} as ${sql.raw(SCORE_COLUMNS[k][1])})`,
    );
    group.values.push(sql`(${symbol}, ${sql.join(cells, sql`, `)})`);
    groups.set(keys.join(), group);
  }
  if (groups.size === 0) return 0;
  return db.transaction(async (tx) => {
    let updated = 0;
    for (const { keys, values } of groups.values()) {
      for (const part of chunked(values, CHUNK)) {
        const names = keys.map((k) => sql.raw(SCORE_COLUMNS[k][0]));
        const found = await tx.execute(sql`
          update scan_results as r
             set ${sql.join(
               names.map((n) => sql`${n} = v.${n}`),
               sql`, `,
             )}, updated_at = now()
            from (values ${sql.join(part, sql`, `)}) as v(symbol, ${sql.join(names, sql`, `)})
            join securities s on s.symbol = v.symbol
           where r.cycle_id = ${cycleId} and r.security_id = s.id
          returning r.id`);
        updated += (found as unknown as { rows: unknown[] }).rows.length;
      }
    }
    return updated;
  });
}

export async function scanResultsForCycle(db: CatalystDb, cycleId: string): Promise<ScanResultRecord[]> {
  const found = await db
    .select({ row: scanResults, symbol: securities.symbol })
    .from(scanResults)
    .innerJoin(securities, eq(securities.id, scanResults.securityId))
    .where(eq(scanResults.cycleId, cycleId))
    .orderBy(asc(scanResults.rank), asc(scanResults.id));
  return found.map(({ row, symbol }) => ({ ...row, symbol }));
}
