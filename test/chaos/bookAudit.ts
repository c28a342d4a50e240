/**
 * The chaos run's verdict: the broker's record of the day (read straight from the simulator, no
 * proxy, no faults) against Catalyst's database. `auditBook` is pure and names every discrepancy
 * (which order, which position), so a non-zero count is a finding with its evidence.
 */
import type { Broker, BrokerOrder, BrokerPosition } from '../../src/broker/port';
import type { CatalystDb } from '../../src/db/createDatabase';
import { ordersForDay, type OrderRecord } from '../../src/db/repositories/orders';
import { positionsForDay, type PositionRecord } from '../../src/db/repositories/positions';
import { parseClientOrderId } from '../../src/domain/clientOrderId';
import { toMicros } from '../../src/domain/money';
import { catalystBook, flattenOrders, isOpenOrder, positionRecords } from '../../src/domain/positions';
import { nyTimeToUtcMs } from '../../src/domain/calendar';

export interface AuditInput {
  tradingDate: string;
  /** The broker's orders of the day, listed nested (legs inside their parent). */
  brokerOrders: readonly BrokerOrder[];
  brokerPositions: readonly BrokerPosition[];
  dbOrders: readonly Pick<
    OrderRecord,
    'brokerOrderId' | 'clientOrderId' | 'status' | 'filledQty' | 'filledAvgPrice' | 'symbol'
  >[];
  dbPositions: readonly Pick<
    PositionRecord,
    'entryClientOrderId' | 'symbol' | 'status' | 'qty' | 'realizedPnl'
  >[];
}

export interface OrderRef {
  id: string;
  clientOrderId: string;
  symbol: string;
  status: string;
}

export interface AuditCounts {
  duplicateClientOrderIds: number;
  ordersAtBrokerNotInDb: number;
  dbOrdersNotAtBroker: number;
  positionsMismatched: number;
  openPositionsAtClose: number;
  openOrdersAtClose: number;
  /** Orders in both whose status, filled quantity or average price differ. */
  orderStatesMismatched: number;
}

export interface AuditReport {
  counts: AuditCounts;
  brokerOrders: number;
  dbOrders: number;
  detail: {
    duplicateClientOrderIds: { clientOrderId: string; where: 'broker' | 'db'; ids: string[] }[];
    ordersAtBrokerNotInDb: OrderRef[];
    dbOrdersNotAtBroker: OrderRef[];
    positionsMismatched: { key: string; symbol: string; broker: string; db: string }[];
    openPositionsAtClose: { symbol: string; qty: string }[];
    openOrdersAtClose: OrderRef[];
    orderStatesMismatched: { id: string; clientOrderId: string; broker: string; db: string }[];
  };
}

const ref = (o: {
  id?: string;
  brokerOrderId?: string;
  clientOrderId: string;
  symbol: string;
  status: string;
}): OrderRef => ({
  id: o.id ?? o.brokerOrderId ?? '',
  clientOrderId: o.clientOrderId,
  symbol: o.symbol,
  status: o.status,
});

const micros = (v: string | null | undefined): string =>
  v === null || v === undefined ? '-' : String(toMicros(v));
const orderState = (o: { status: string; filledQty: string; filledAvgPrice: string | null }): string =>
  `${o.status} filled ${micros(o.filledQty)} @ ${micros(o.filledAvgPrice)}`;

export function auditBook(input: AuditInput): AuditReport {
  const all = flattenOrders(input.brokerOrders as BrokerOrder[]) as BrokerOrder[];
  const atBroker = new Map(all.map((o) => [o.id, o]));
  const inDb = new Map(input.dbOrders.map((o) => [o.brokerOrderId, o]));

  // The same client_order_id on two broker orders, or on two database rows (two broker ids).
  const duplicates: AuditReport['detail']['duplicateClientOrderIds'] = [];
  const group = <T>(
    rows: readonly T[],
    key: (r: T) => string,
    id: (r: T) => string,
    where: 'broker' | 'db',
  ) => {
    const by = new Map<string, string[]>();
    for (const r of rows) {
      const k = key(r);
      if (!k) continue;
      by.set(k, [...(by.get(k) ?? []), id(r)]);
    }
    for (const [clientOrderId, ids] of by)
      if (new Set(ids).size > 1) duplicates.push({ clientOrderId, where, ids: [...new Set(ids)] });
  };
  group(
    all,
    (o) => o.clientOrderId,
    (o) => o.id,
    'broker',
  );
  group(
    input.dbOrders,
    (o) => o.clientOrderId,
    (o) => o.brokerOrderId,
    'db',
  );

  const ordersAtBrokerNotInDb = all.filter((o) => !inDb.has(o.id)).map(ref);
  const dbOrdersNotAtBroker = input.dbOrders.filter((o) => !atBroker.has(o.brokerOrderId)).map(ref);
  const orderStatesMismatched: AuditReport['detail']['orderStatesMismatched'] = [];
  for (const o of all) {
    const stored = inDb.get(o.id);
    if (!stored) continue;
    const b = orderState(o);
    const d = orderState(stored);
    if (b !== d) orderStatesMismatched.push({ id: o.id, clientOrderId: o.clientOrderId, broker: b, db: d });
  }

  // Positions: what the broker's fills say each of Catalyst's entries became, against its row.
  const book = catalystBook({
    orders: input.brokerOrders,
    positions: input.brokerPositions,
    tradingDate: input.tradingDate,
  });
  const expected = positionRecords(book);
  const rows = new Map(input.dbPositions.map((p) => [p.entryClientOrderId, p]));
  const positionsMismatched: AuditReport['detail']['positionsMismatched'] = [];
  for (const e of expected) {
    const row = rows.get(e.entryClientOrderId);
    const broker = `${e.status} qty ${e.qty}${e.status === 'closed' ? ` pnl ${e.realizedPnl}` : ''}`;
    const db = row
      ? `${row.status} qty ${row.qty}${row.status === 'closed' ? ` pnl ${row.realizedPnl}` : ''}`
      : 'missing';
    const same =
      row !== undefined &&
      row.status === e.status &&
      toMicros(row.qty) === toMicros(e.qty) &&
      (e.status !== 'closed' ||
        (row.realizedPnl !== null && toMicros(row.realizedPnl) === toMicros(e.realizedPnl)));
    if (!same) positionsMismatched.push({ key: e.entryClientOrderId, symbol: e.symbol, broker, db });
    rows.delete(e.entryClientOrderId);
  }
  for (const [key, row] of rows)
    positionsMismatched.push({
      key,
      symbol: row.symbol,
      broker: 'no fills',
      db: `${row.status} qty ${row.qty}`,
    });
  // Shares the broker holds that no open row of the database accounts for (or the reverse).
  const openRows = new Map<string, number>();
  for (const p of input.dbPositions)
    if (p.status === 'open') openRows.set(p.symbol, (openRows.get(p.symbol) ?? 0) + 1);
  for (const p of input.brokerPositions)
    if (
      Number(p.qty) !== 0 &&
      !openRows.has(p.symbol) &&
      !positionsMismatched.some((m) => m.symbol === p.symbol)
    )
      positionsMismatched.push({
        key: p.symbol,
        symbol: p.symbol,
        broker: `holds ${p.qty}`,
        db: 'no open position',
      });

  const openPositionsAtClose = input.brokerPositions
    .filter((p) => Number(p.qty) !== 0)
    .map((p) => ({ symbol: p.symbol, qty: p.qty }));
  const openOrdersAtClose = all.filter(isOpenOrder).map(ref);

  return {
    counts: {
      duplicateClientOrderIds: duplicates.length,
      ordersAtBrokerNotInDb: ordersAtBrokerNotInDb.length,
      dbOrdersNotAtBroker: dbOrdersNotAtBroker.length,
      positionsMismatched: positionsMismatched.length,
      openPositionsAtClose: openPositionsAtClose.length,
      openOrdersAtClose: openOrdersAtClose.length,
      orderStatesMismatched: orderStatesMismatched.length,
    },
    brokerOrders: all.length,
    dbOrders: input.dbOrders.length,
    detail: {
      duplicateClientOrderIds: duplicates,
      ordersAtBrokerNotInDb,
      dbOrdersNotAtBroker,
      positionsMismatched,
      openPositionsAtClose,
      openOrdersAtClose,
      orderStatesMismatched,
    },
  };
}

/** Reads both sides: every broker order since the date began (the account is the run's alone), its positions, and the day's rows. */
export async function loadAuditInput(
  broker: Broker,
  db: CatalystDb,
  accountId: string,
  tradingDate: string,
): Promise<AuditInput> {
  const after = new Date(nyTimeToUtcMs(tradingDate, '00:00') - 1).toISOString();
  const brokerOrders = await broker.listAllOrders({ status: 'all', nested: true, after });
  const brokerPositions = await broker.listPositions();
  return {
    tradingDate,
    brokerOrders,
    brokerPositions,
    dbOrders: await ordersForDay(db, accountId, tradingDate),
    dbPositions: await positionsForDay(db, accountId, tradingDate),
  };
}

/** Catalyst's entry placements among the broker's orders (by client_order_id), for the report. */
export const entryOrders = (orders: readonly BrokerOrder[]): BrokerOrder[] =>
  orders.filter((o) => parseClientOrderId(o.clientOrderId)?.leg === 'entry');
