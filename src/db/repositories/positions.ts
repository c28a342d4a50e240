/**
 * Positions Catalyst opened, keyed by the client order id of their entry, which the broker
 * guarantees unique per account: a retried open finds the position it already recorded.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { CatalystDb } from '../createDatabase';
import { decimal, optionalDecimal } from '../decimal';
import { excluded } from '../excluded';
import { instant, isoDate, optionalInstant, type Instant } from '../instant';
import { positions, securities, type PositionSide } from '../schema';
import { normalizeSymbol, securityIdsFor } from './securities';

export type PositionRecord = typeof positions.$inferSelect & { symbol: string };

export interface OpenPositionInput {
  accountId: string;
  tradingDate: string;
  symbol: string;
  cycleId?: string | null;
  entryClientOrderId: string;
  side: PositionSide;
  qty: string;
  entryPrice: string;
  stopPrice?: string | null;
  takeProfitPrice?: string | null;
  openedAt?: Instant;
}

export interface PositionKey {
  accountId: string;
  entryClientOrderId: string;
}

export interface MarkPositionInput extends PositionKey {
  currentPrice: string;
  unrealizedPnl: string;
}

export interface ClosePositionInput extends PositionKey {
  exitPrice: string;
  realizedPnl: string;
  exitReason: string;
  closedAt: Instant;
}

export interface PositionStateInput extends OpenPositionInput {
  status: 'open' | 'closed';
  currentPrice?: string | null;
  unrealizedPnl?: string | null;
  exitPrice?: string | null;
  realizedPnl?: string | null;
  exitReason?: string | null;
  closedAt?: Instant | null;
}

/** The columns a position opens with, checked (money as decimal strings, instants as dates). */
async function openingValues(db: CatalystDb, input: OpenPositionInput) {
  const symbol = normalizeSymbol(input.symbol);
  const ids = await securityIdsFor(db, [symbol]);
  return {
    accountId: input.accountId,
    tradingDate: isoDate(input.tradingDate, 'tradingDate'),
    securityId: ids.get(symbol)!,
    cycleId: input.cycleId ?? null,
    entryClientOrderId: input.entryClientOrderId,
    side: input.side,
    qty: decimal(input.qty, 'qty'),
    entryPrice: decimal(input.entryPrice, 'entryPrice'),
    stopPrice: optionalDecimal(input.stopPrice, 'stopPrice') ?? null,
    takeProfitPrice: optionalDecimal(input.takeProfitPrice, 'takeProfitPrice') ?? null,
    openedAt: optionalInstant(input.openedAt, 'openedAt') ?? undefined,
  };
}

/**
 * Writes a position as the broker's fills now describe it: quantity and average entry follow
 * partial fills, exits close it. Idempotent (one row per entry order); the cycle and the leg
 * prices, once known, are never forgotten by a later write that lacks them.
 */
export async function upsertPosition(db: CatalystDb, input: PositionStateInput): Promise<PositionRecord> {
  const closed = input.status === 'closed';
  const values = {
    ...(await openingValues(db, input)),
    status: input.status,
    currentPrice: closed
      ? (optionalDecimal(input.exitPrice, 'exitPrice') ?? null)
      : (optionalDecimal(input.currentPrice, 'currentPrice') ?? null),
    unrealizedPnl: closed ? '0' : (optionalDecimal(input.unrealizedPnl, 'unrealizedPnl') ?? null),
    exitPrice: optionalDecimal(input.exitPrice, 'exitPrice') ?? null,
    realizedPnl: optionalDecimal(input.realizedPnl, 'realizedPnl') ?? null,
    exitReason: input.exitReason ?? null,
    closedAt: optionalInstant(input.closedAt ?? undefined, 'closedAt') ?? null,
  };
  await db
    .insert(positions)
    .values(values)
    .onConflictDoUpdate({
      target: [positions.accountId, positions.entryClientOrderId],
      set: {
        qty: excluded(positions.qty),
        entryPrice: excluded(positions.entryPrice),
        cycleId: sql`coalesce(${excluded(positions.cycleId)}, ${positions.cycleId})`,
        stopPrice: sql`coalesce(${excluded(positions.stopPrice)}, ${positions.stopPrice})`,
        takeProfitPrice: sql`coalesce(${excluded(positions.takeProfitPrice)}, ${positions.takeProfitPrice})`,
        status: excluded(positions.status),
        currentPrice: sql`coalesce(${excluded(positions.currentPrice)}, ${positions.currentPrice})`,
        unrealizedPnl: sql`coalesce(${excluded(positions.unrealizedPnl)}, ${positions.unrealizedPnl})`,
        exitPrice: excluded(positions.exitPrice),
        realizedPnl: excluded(positions.realizedPnl),
        exitReason: sql`coalesce(${positions.exitReason}, ${excluded(positions.exitReason)})`,
        closedAt: excluded(positions.closedAt),
        updatedAt: sql`now()`,
      },
    });
  return positionByKey(db, input);
}

/** Records a new position; if it is already recorded, returns the stored row unchanged. */
export async function openPosition(db: CatalystDb, input: OpenPositionInput): Promise<PositionRecord> {
  await db
    .insert(positions)
    .values(await openingValues(db, input))
    .onConflictDoNothing({ target: [positions.accountId, positions.entryClientOrderId] });
  return positionByKey(db, input);
}

/** Marks an open position to market. A closed position keeps its final values. */
export async function markPosition(db: CatalystDb, input: MarkPositionInput): Promise<PositionRecord> {
  await db
    .update(positions)
    .set({
      currentPrice: decimal(input.currentPrice, 'currentPrice'),
      unrealizedPnl: decimal(input.unrealizedPnl, 'unrealizedPnl'),
      updatedAt: sql`now()`,
    })
    .where(and(keyMatches(input), eq(positions.status, 'open')));
  return positionByKey(db, input);
}

/** Closes a position. Calling it again overwrites the exit with the values given. */
export async function closePosition(db: CatalystDb, input: ClosePositionInput): Promise<PositionRecord> {
  const exitPrice = decimal(input.exitPrice, 'exitPrice');
  await db
    .update(positions)
    .set({
      status: 'closed',
      exitPrice,
      currentPrice: exitPrice,
      unrealizedPnl: '0',
      realizedPnl: decimal(input.realizedPnl, 'realizedPnl'),
      exitReason: input.exitReason,
      closedAt: instant(input.closedAt, 'closedAt'),
      updatedAt: sql`now()`,
    })
    .where(keyMatches(input));
  return positionByKey(db, input);
}

export async function positionsForDay(
  db: CatalystDb,
  accountId: string,
  tradingDate: string,
): Promise<PositionRecord[]> {
  const found = await db
    .select({ row: positions, symbol: securities.symbol })
    .from(positions)
    .innerJoin(securities, eq(securities.id, positions.securityId))
    .where(
      and(eq(positions.accountId, accountId), eq(positions.tradingDate, isoDate(tradingDate, 'tradingDate'))),
    )
    .orderBy(asc(positions.openedAt), asc(positions.id));
  return found.map(({ row, symbol }) => ({ ...row, symbol }));
}

function keyMatches(key: PositionKey) {
  return and(
    eq(positions.accountId, key.accountId),
    eq(positions.entryClientOrderId, key.entryClientOrderId),
  );
}

async function positionByKey(db: CatalystDb, key: PositionKey): Promise<PositionRecord> {
  const [found] = await db
    .select({ row: positions, symbol: securities.symbol })
    .from(positions)
    .innerJoin(securities, eq(securities.id, positions.securityId))
    .where(keyMatches(key));
  if (!found) {
    throw new Error(`no position for account ${key.accountId} with entry order ${key.entryClientOrderId}`);
  }
  return { ...found.row, symbol: found.symbol };
}
