/**
 * The audit trail of risk decisions and emergencies. Each event carries a caller-chosen key
 * (e.g. `emergency-stop:2024-03-08:<workflow>`), so a retried activity records it once.
 */
import { asc, eq } from 'drizzle-orm';
import type { CatalystDb } from '../createDatabase';
import { isoDate } from '../instant';
import { riskEvents, securities, type Severity } from '../schema';
import { normalizeSymbol, securityIdsFor } from './securities';

export type RiskEventRecord = typeof riskEvents.$inferSelect & { symbol: string | null };

export interface RiskEventInput {
  eventKey: string;
  tradingDate: string;
  cycleId?: string | null;
  eventType: string;
  severity: Severity;
  symbol?: string | null;
  message: string;
  details?: Record<string, unknown> | null;
}

const SEVERITIES: readonly Severity[] = ['INFO', 'WARNING', 'CRITICAL'];

/**
 * Records an event once. A second call with the same key leaves the first record as it was:
 * the audit trail keeps what was decided at the time. Returns the stored row.
 */
export async function recordRiskEvent(db: CatalystDb, input: RiskEventInput): Promise<RiskEventRecord> {
  if (!input.eventKey) throw new TypeError('recordRiskEvent: eventKey must be a non-empty string');
  if (!SEVERITIES.includes(input.severity)) {
    throw new TypeError(
      `recordRiskEvent: severity must be one of ${SEVERITIES.join(', ')}, got ${input.severity}`,
    );
  }
  let securityId: number | null = null;
  if (input.symbol) {
    const symbol = normalizeSymbol(input.symbol);
    securityId = (await securityIdsFor(db, [symbol])).get(symbol)!;
  }
  await db
    .insert(riskEvents)
    .values({
      eventKey: input.eventKey,
      tradingDate: isoDate(input.tradingDate, 'tradingDate'),
      cycleId: input.cycleId ?? null,
      eventType: input.eventType,
      severity: input.severity,
      securityId,
      message: input.message,
      details: input.details ?? null,
    })
    .onConflictDoNothing({ target: riskEvents.eventKey });

  const [found] = await selectEvents(db).where(eq(riskEvents.eventKey, input.eventKey));
  return toRecord(found!);
}

export async function riskEventsForDay(db: CatalystDb, tradingDate: string): Promise<RiskEventRecord[]> {
  const found = await selectEvents(db)
    .where(eq(riskEvents.tradingDate, isoDate(tradingDate, 'tradingDate')))
    .orderBy(asc(riskEvents.createdAt), asc(riskEvents.id));
  return found.map(toRecord);
}

function selectEvents(db: CatalystDb) {
  return db
    .select({ row: riskEvents, symbol: securities.symbol })
    .from(riskEvents)
    .leftJoin(securities, eq(securities.id, riskEvents.securityId))
    .$dynamic();
}

function toRecord({
  row,
  symbol,
}: {
  row: typeof riskEvents.$inferSelect;
  symbol: string | null;
}): RiskEventRecord {
  return { ...row, symbol };
}
