/**
 * The rows `catalyst report` is built from, for a date range and optionally one venue: the
 * trading-day runs, and the orders, positions, cycles, judged candidates and risk events that
 * belong to them. Plain rows out (decimal strings, ISO instants); the rules are in
 * src/domain/report.
 *
 * Which rows belong to a run: orders and positions by its account and date (each simulator run is
 * a fresh account, so replays of a date never merge), cycles by its workflow run, candidates by
 * those cycles, risk events by the keys the writers give them (`<account>/…`,
 * `<workflow>/<run>/…`), by those cycles, or `halt-without-day/…` (the operator's halt with no
 * day running, which has no venue and is shown with every report of its date).
 */
import { and, asc, desc, eq, gte, inArray, isNotNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { CatalystDb } from '../createDatabase';
import { isoDate } from '../instant';
import {
  orders,
  positions,
  riskEvents,
  scanResults,
  securities,
  tradingCycles,
  tradingDays,
} from '../schema';
import type {
  ReportCandidateRow,
  ReportCycleRow,
  ReportData,
  ReportDayRow,
  ReportLegRole,
  ReportOrderRow,
  ReportPositionRow,
  ReportRiskEventRow,
} from '../../domain/report/reportRows';

/** Where a day traded (src/shared.ts Venue; the db layer imports nothing above the domain). */
export type Venue = 'simulator' | 'paper' | 'live';

export interface ReportRange {
  from: string;
  to: string;
  /** Omitted: every venue. */
  venue?: Venue | null;
}

/**
 * Workflow ids carry the venue right after the date: `trading-day-<date>-sim[-<run>]`,
 * `…-<date>-paper-<account>`, `…-<date>-live-<account>` (src/shared.ts tradingDayWorkflowId).
 * Anchored at the date, so a backtest's run tag or an account number cannot pass for a venue.
 */
const VENUE_KEY: Record<Venue, string> = { simulator: 'sim', paper: 'paper', live: 'live' };

const venueFilter = (venue: Venue | null | undefined): SQL | undefined =>
  venue
    ? sql`${tradingDays.workflowId} ~ ${`-[0-9]{4}-[0-9]{2}-[0-9]{2}-${VENUE_KEY[venue]}(-|$)`}`
    : undefined;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** The latest trading date with a recorded day (of the venue), or null when none is. */
export async function latestReportDate(db: CatalystDb, venue?: Venue | null): Promise<string | null> {
  const [row] = await db
    .select({ date: tradingDays.tradingDate })
    .from(tradingDays)
    .where(venueFilter(venue))
    .orderBy(desc(tradingDays.tradingDate))
    .limit(1);
  return row?.date ?? null;
}

/** `workflow.flatten_before_close_minutes` of a cycle's config snapshot, when it holds one. */
function flattenMinutesOf(config: Record<string, unknown> | null): number | null {
  const trading = config?.trading as { workflow?: { flatten_before_close_minutes?: unknown } } | undefined;
  const minutes = trading?.workflow?.flatten_before_close_minutes;
  return typeof minutes === 'number' && Number.isFinite(minutes) ? minutes : null;
}

export async function readReportData(db: CatalystDb, range: ReportRange): Promise<ReportData> {
  const from = isoDate(range.from, 'from');
  const to = isoDate(range.to, 'to');
  const dayRows = await db
    .select()
    .from(tradingDays)
    .where(
      and(gte(tradingDays.tradingDate, from), lte(tradingDays.tradingDate, to), venueFilter(range.venue)),
    )
    .orderBy(asc(tradingDays.tradingDate), desc(tradingDays.startedAt), desc(tradingDays.id));
  // A date replayed under one workflow id keeps every run's row: the latest run is the day.
  const seen = new Set<string>();
  const runs = dayRows.filter((d) => {
    const key = `${d.workflowId}|${d.tradingDate}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (runs.length === 0)
    return { days: [], orders: [], positions: [], cycles: [], candidates: [], riskEvents: [] };

  const books = new Set(runs.map((d) => `${d.accountId}|${d.tradingDate}`));
  const accounts = [...new Set(runs.map((d) => d.accountId))];
  const inBooks = <T extends { accountId: string; tradingDate: string }>(rows: T[]): T[] =>
    rows.filter((r) => books.has(`${r.accountId}|${r.tradingDate}`));

  const cycleRows = await db
    .select()
    .from(tradingCycles)
    .where(
      and(
        gte(tradingCycles.tradingDate, from),
        lte(tradingCycles.tradingDate, to),
        or(
          ...runs.map((d) =>
            and(eq(tradingCycles.workflowId, d.workflowId), eq(tradingCycles.runId, d.runId)),
          ),
        ),
      ),
    )
    .orderBy(asc(tradingCycles.marketTime), asc(tradingCycles.cycleNumber));
  const cycleIds = cycleRows.map((c) => c.cycleId);

  const [orderRows, positionRows, candidateRows, eventRows] = await Promise.all([
    db
      .select({ row: orders, symbol: securities.symbol })
      .from(orders)
      .innerJoin(securities, eq(securities.id, orders.securityId))
      .where(
        and(inArray(orders.accountId, accounts), gte(orders.tradingDate, from), lte(orders.tradingDate, to)),
      )
      .orderBy(asc(orders.id)),
    db
      .select({ row: positions, symbol: securities.symbol })
      .from(positions)
      .innerJoin(securities, eq(securities.id, positions.securityId))
      .where(
        and(
          inArray(positions.accountId, accounts),
          gte(positions.tradingDate, from),
          lte(positions.tradingDate, to),
        ),
      )
      .orderBy(asc(positions.id)),
    cycleIds.length === 0
      ? Promise.resolve([])
      : db
          .select({ row: scanResults, symbol: securities.symbol })
          .from(scanResults)
          .innerJoin(securities, eq(securities.id, scanResults.securityId))
          .where(
            and(
              inArray(scanResults.cycleId, cycleIds),
              // Only what reached scoring or the risk manager: the report explains decisions, not the scan.
              or(isNotNull(scanResults.riskApproved), isNotNull(scanResults.finalRank)),
            ),
          )
          .orderBy(asc(scanResults.id)),
    db
      .select({ row: riskEvents, symbol: securities.symbol })
      .from(riskEvents)
      .leftJoin(securities, eq(securities.id, riskEvents.securityId))
      .where(and(gte(riskEvents.tradingDate, from), lte(riskEvents.tradingDate, to)))
      .orderBy(asc(riskEvents.createdAt), asc(riskEvents.id)),
  ]);

  const lastConfigOf = new Map<string, Record<string, unknown>>();
  for (const c of cycleRows) lastConfigOf.set(`${c.workflowId}|${c.runId}`, c.config);
  const days: ReportDayRow[] = runs.map((d) => ({
    workflowId: d.workflowId,
    runId: d.runId,
    tradingDate: d.tradingDate,
    accountId: d.accountId,
    mode: d.mode,
    status: d.status,
    halted: d.halted,
    haltReason: d.haltReason,
    startedAt: d.startedAt.toISOString(),
    finishedAt: iso(d.finishedAt),
    realizedPnl: d.realizedPnl,
    flattenBeforeCloseMinutes: flattenMinutesOf(lastConfigOf.get(`${d.workflowId}|${d.runId}`) ?? null),
  }));

  const cycles: ReportCycleRow[] = cycleRows.map((c) => ({
    cycleId: c.cycleId,
    tradingDate: c.tradingDate,
    workflowId: c.workflowId,
    runId: c.runId,
    cycleNumber: c.cycleNumber,
    status: c.status,
    startedAt: c.startedAt.toISOString(),
    finishedAt: iso(c.finishedAt),
    marketTime: c.marketTime.toISOString(),
    funnel: c.funnel ? { ...c.funnel } : null,
    error: c.error,
  }));

  const orderList: ReportOrderRow[] = inBooks(orderRows.map(({ row, symbol }) => ({ ...row, symbol }))).map(
    (o) => ({
      accountId: o.accountId,
      tradingDate: o.tradingDate,
      brokerOrderId: o.brokerOrderId,
      clientOrderId: o.clientOrderId,
      parentBrokerOrderId: o.parentBrokerOrderId,
      cycleId: o.cycleId,
      symbol: o.symbol,
      side: o.side,
      type: o.type,
      legRole: o.legRole as ReportLegRole,
      qty: o.qty,
      filledQty: o.filledQty,
      filledAvgPrice: o.filledAvgPrice,
      limitPrice: o.limitPrice,
      stopPrice: o.stopPrice,
      status: o.status,
      submittedAt: iso(o.submittedAt),
      filledAt: iso(o.filledAt),
    }),
  );

  const positionList: ReportPositionRow[] = inBooks(
    positionRows.map(({ row, symbol }) => ({ ...row, symbol })),
  ).map((p) => ({
    accountId: p.accountId,
    tradingDate: p.tradingDate,
    entryClientOrderId: p.entryClientOrderId,
    symbol: p.symbol,
    status: p.status,
    cycleId: p.cycleId,
    stopPrice: p.stopPrice,
    takeProfitPrice: p.takeProfitPrice,
    realizedPnl: p.realizedPnl,
    exitReason: p.exitReason,
  }));

  const candidates: ReportCandidateRow[] = candidateRows.map(({ row, symbol }) => ({
    cycleId: row.cycleId,
    symbol,
    compositeScore: row.compositeScore,
    newsScore: row.newsScore,
    technicalScore: row.technicalScore,
    patternScore: row.patternScore,
    momentumScore: row.momentumScore,
    volumeScore: row.volumeScore,
    finalRank: row.finalRank,
    riskApproved: row.riskApproved,
    riskReasons: Array.isArray(row.riskReasons) ? row.riskReasons.map(String) : [],
  }));

  const cycleSet = new Set(cycleIds);
  const ownsEvent = (e: typeof riskEvents.$inferSelect): boolean =>
    e.eventKey.startsWith('halt-without-day/') ||
    (e.cycleId !== null && cycleSet.has(e.cycleId)) ||
    runs.some(
      (d) =>
        d.tradingDate === e.tradingDate &&
        (e.eventKey.startsWith(`${d.accountId}/`) || e.eventKey.startsWith(`${d.workflowId}/${d.runId}/`)),
    );
  const events: ReportRiskEventRow[] = eventRows
    .filter(({ row }) => ownsEvent(row))
    .map(({ row, symbol }) => ({
      eventKey: row.eventKey,
      tradingDate: row.tradingDate,
      cycleId: row.cycleId,
      eventType: row.eventType,
      severity: row.severity,
      symbol,
      message: row.message,
      createdAt: row.createdAt.toISOString(),
    }));

  return { days, orders: orderList, positions: positionList, cycles, candidates, riskEvents: events };
}
