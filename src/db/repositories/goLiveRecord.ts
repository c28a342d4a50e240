/**
 * What `catalyst go-live-check` reads: every trading day, the closed positions of the accounts
 * it names, the emergency stops, and which migrations the database has applied. Read-only: the
 * check must see the schema as it is, so it never migrates.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { chunked } from '../chunked';
import { MIGRATIONS_FOLDER, type CatalystDb } from '../createDatabase';
import { rows } from '../rows';
import { positions, riskEvents, tradingDays, type TradingDayStatus } from '../schema';

export interface GoLiveDayRow {
  workflowId: string;
  tradingDate: string;
  accountId: string;
  status: TradingDayStatus;
  openPositionsAtClose: number | null;
  openOrdersAtClose: number | null;
}

export interface GoLiveTradeRow {
  id: number;
  accountId: string;
  tradingDate: string;
  /** Decimal string, as stored. */
  realizedPnl: string;
  closedAt: Date | null;
}

export interface GoLiveStopRow {
  eventKey: string;
  tradingDate: string;
  details: Record<string, unknown> | null;
}

export async function recordedTradingDays(db: CatalystDb): Promise<GoLiveDayRow[]> {
  return db
    .select({
      workflowId: tradingDays.workflowId,
      tradingDate: tradingDays.tradingDate,
      accountId: tradingDays.accountId,
      status: tradingDays.status,
      openPositionsAtClose: tradingDays.openPositionsAtClose,
      openOrdersAtClose: tradingDays.openOrdersAtClose,
    })
    .from(tradingDays)
    .orderBy(asc(tradingDays.tradingDate), asc(tradingDays.id));
}

/** Closed positions with a realized P&L, of the given accounts only (a simulator's trades are not read). */
export async function closedTradesOf(
  db: CatalystDb,
  accountIds: readonly string[],
): Promise<GoLiveTradeRow[]> {
  const found: GoLiveTradeRow[] = [];
  for (const chunk of chunked([...new Set(accountIds)], 500)) {
    const selected = await db
      .select({
        id: positions.id,
        accountId: positions.accountId,
        tradingDate: positions.tradingDate,
        realizedPnl: positions.realizedPnl,
        closedAt: positions.closedAt,
      })
      .from(positions)
      .where(
        and(
          inArray(positions.accountId, chunk),
          eq(positions.status, 'closed'),
          isNotNull(positions.realizedPnl),
        ),
      )
      .orderBy(asc(positions.tradingDate), asc(positions.closedAt), asc(positions.id));
    // The filter above keeps only rows with a realized P&L.
    for (const r of selected) found.push({ ...r, realizedPnl: r.realizedPnl! });
  }
  return found;
}

export async function emergencyStopEvents(db: CatalystDb): Promise<GoLiveStopRow[]> {
  return db
    .select({
      eventKey: riskEvents.eventKey,
      tradingDate: riskEvents.tradingDate,
      details: riskEvents.details,
    })
    .from(riskEvents)
    .where(eq(riskEvents.eventType, 'emergency_stop'))
    .orderBy(asc(riskEvents.tradingDate), asc(riskEvents.id));
}

// drizzle's migrator keeps its record here (drizzle-orm's defaults, which createDatabase keeps).
const MIGRATIONS_TABLE = 'drizzle.__drizzle_migrations';

/** The created_at (the journal's `when`) of every applied migration; null when none was ever applied. */
export async function appliedMigrationMillis(db: CatalystDb): Promise<number[] | null> {
  const [table] = await rows<{ found: string | null }>(
    db,
    sql`select to_regclass(${MIGRATIONS_TABLE})::text as found`,
  );
  if (!table?.found) return null;
  const applied = await rows<{ created_at: string | number | null }>(
    db,
    sql`select created_at from drizzle.__drizzle_migrations order by created_at`,
  );
  return applied.map((r) => Number(r.created_at));
}

/** The migrations this build ships, in order (drizzle/meta/_journal.json). */
export function migrationJournal(folder: string = MIGRATIONS_FOLDER): { tag: string; when: number }[] {
  const journal = JSON.parse(readFileSync(join(folder, 'meta/_journal.json'), 'utf8')) as {
    entries: { tag: string; when: number }[];
  };
  return journal.entries.map((e) => ({ tag: e.tag, when: e.when }));
}
