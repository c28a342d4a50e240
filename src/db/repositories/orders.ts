/**
 * Broker orders as last seen, one row per broker order id. Placement, fill notifications and
 * reconciliation all write through upsertOrder, in whatever order they happen to arrive.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { CatalystDb } from '../createDatabase';
import { decimal, optionalDecimal } from '../decimal';
import { excluded } from '../excluded';
import { instant, isoDate, optionalInstant, type Instant } from '../instant';
import { orders, securities, type LegRole, type OrderSide } from '../schema';
import { normalizeSymbol, securityIdsFor } from './securities';

export interface OrderRow {
  accountId: string;
  brokerOrderId: string;
  /** Deterministic id Catalyst chose (≤ 48 chars); unique per account like the broker's own id. */
  clientOrderId: string;
  cycleId?: string | null;
  tradingDate: string;
  symbol: string;
  side: OrderSide;
  /** market | limit | stop | stop_limit | trailing_stop */
  type: string;
  /** simple | bracket | oco | oto */
  orderClass?: string;
  legRole: LegRole;
  parentBrokerOrderId?: string | null;
  qty: string;
  filledQty?: string;
  filledAvgPrice?: string | null;
  limitPrice?: string | null;
  stopPrice?: string | null;
  status: string;
  submittedAt?: Instant | null;
  filledAt?: Instant | null;
  canceledAt?: Instant | null;
  /** The broker's last-change time; defaults to now. */
  updatedAt?: Instant;
}

export type OrderRecord = typeof orders.$inferSelect & { symbol: string };

/**
 * Inserts an order or brings it up to date. Fields left undefined keep their stored value.
 * A snapshot older than the stored one (by updatedAt) changes nothing, so a slow retry cannot
 * turn a filled order back into a new one. Returns the stored row.
 */
export async function upsertOrder(db: CatalystDb, row: OrderRow): Promise<OrderRecord> {
  const symbol = normalizeSymbol(row.symbol);
  const ids = await securityIdsFor(db, [symbol]);
  const values = {
    accountId: row.accountId,
    brokerOrderId: row.brokerOrderId,
    clientOrderId: row.clientOrderId,
    cycleId: row.cycleId ?? null,
    tradingDate: isoDate(row.tradingDate, 'tradingDate'),
    securityId: ids.get(symbol)!,
    side: row.side,
    type: row.type,
    orderClass: row.orderClass,
    legRole: row.legRole,
    parentBrokerOrderId: row.parentBrokerOrderId ?? null,
    qty: decimal(row.qty, 'qty'),
    filledQty: optionalDecimal(row.filledQty, 'filledQty') ?? undefined,
    filledAvgPrice: optionalDecimal(row.filledAvgPrice, 'filledAvgPrice'),
    limitPrice: optionalDecimal(row.limitPrice, 'limitPrice'),
    stopPrice: optionalDecimal(row.stopPrice, 'stopPrice'),
    status: row.status,
    submittedAt: optionalInstant(row.submittedAt, 'submittedAt'),
    filledAt: optionalInstant(row.filledAt, 'filledAt'),
    canceledAt: optionalInstant(row.canceledAt, 'canceledAt'),
    updatedAt: row.updatedAt === undefined ? new Date() : instant(row.updatedAt, 'updatedAt'),
  };

  const mutable = [
    'qty',
    'filledQty',
    'filledAvgPrice',
    'limitPrice',
    'stopPrice',
    'status',
    'submittedAt',
    'filledAt',
    'canceledAt',
    'updatedAt',
  ] as const;
  const set: Record<string, unknown> = {
    // Reconciliation may not know which cycle or parent an order came from; never forget them.
    cycleId: sql`coalesce(${excluded(orders.cycleId)}, ${orders.cycleId})`,
    parentBrokerOrderId: sql`coalesce(${excluded(orders.parentBrokerOrderId)}, ${orders.parentBrokerOrderId})`,
  };
  for (const key of mutable) if (values[key] !== undefined) set[key] = excluded(orders[key]);

  const written = await db
    .insert(orders)
    .values(values)
    .onConflictDoUpdate({
      target: [orders.accountId, orders.brokerOrderId],
      set,
      setWhere: sql`${excluded(orders.updatedAt)} >= ${orders.updatedAt}`,
    })
    .returning({ id: orders.id });

  const found = await db
    .select({ row: orders, symbol: securities.symbol })
    .from(orders)
    .innerJoin(securities, eq(securities.id, orders.securityId))
    .where(
      written[0]
        ? eq(orders.id, written[0].id)
        : and(eq(orders.accountId, row.accountId), eq(orders.brokerOrderId, row.brokerOrderId)),
    );
  const stored = found[0]!;
  return { ...stored.row, symbol: stored.symbol };
}

export async function ordersForDay(
  db: CatalystDb,
  accountId: string,
  tradingDate: string,
): Promise<OrderRecord[]> {
  const found = await db
    .select({ row: orders, symbol: securities.symbol })
    .from(orders)
    .innerJoin(securities, eq(securities.id, orders.securityId))
    .where(and(eq(orders.accountId, accountId), eq(orders.tradingDate, isoDate(tradingDate, 'tradingDate'))))
    .orderBy(sql`${orders.submittedAt} asc nulls last`, asc(orders.id));
  return found.map(({ row, symbol }) => ({ ...row, symbol }));
}
