/**
 * The audit trail of risk decisions and emergencies. Each event carries a caller-chosen key
 * (e.g. `emergency-stop:2024-03-08:<workflow>`), so a retried activity records it once.
 */
import { and, asc, eq, like } from 'drizzle-orm';
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

/** The event type of a cooldown; its details hold { startedMs, untilMs } (broker time, epoch ms). */
export const COOLDOWN_EVENT = 'cooldown';

export interface Cooldown {
  startedMs: number;
  untilMs: number;
  reason: string;
}

/**
 * The cooldown in force at `nowMs` for an account, if any: the one ending last among those that
 * started at or before `nowMs`. (A simulator replaying an earlier date must not meet a later one.)
 */
export async function cooldownAt(db: CatalystDb, accountId: string, nowMs: number): Promise<Cooldown | null> {
  const rows = await db
    .select({ key: riskEvents.eventKey, message: riskEvents.message, details: riskEvents.details })
    .from(riskEvents)
    .where(and(eq(riskEvents.eventType, COOLDOWN_EVENT), like(riskEvents.eventKey, `${accountId}/%`)));
  let found: Cooldown | null = null;
  for (const r of rows) {
    const startedMs = Number(r.details?.startedMs);
    const untilMs = Number(r.details?.untilMs);
    if (!Number.isFinite(startedMs) || !Number.isFinite(untilMs)) continue;
    if (startedMs <= nowMs && nowMs < untilMs && (!found || untilMs > found.untilMs))
      found = { startedMs, untilMs, reason: r.message };
  }
  return found;
}
