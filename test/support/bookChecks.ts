/** What the e2e tests compare between the broker's book and Catalyst's database. */
import type { Broker, BrokerOrder } from '../../src/broker/port';
import type { CatalystDb } from '../../src/db/createDatabase';
import { ordersForDay } from '../../src/db/repositories/orders';
import { toMicros } from '../../src/domain/money';

/** Every order the broker holds, legs included. */
export async function allBrokerOrders(broker: Broker): Promise<BrokerOrder[]> {
  const orders = await broker.listOrders({ status: 'all', nested: true, limit: 500 });
  return orders.flatMap((o) => [o, ...o.legs]);
}

type OrderView = [id: string, status: string, filledQty: bigint, filledAvgPrice: bigint | null];

const view = (id: string, status: string, filledQty: string, filledAvgPrice: string | null): OrderView => [
  id,
  status,
  toMicros(filledQty),
  filledAvgPrice === null ? null : toMicros(filledAvgPrice),
];
const byId = (a: OrderView, b: OrderView): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** (id, status, filled qty, average price) of each order, at the broker and in the database, sorted alike. */
export async function brokerAndStoredOrders(
  broker: Broker,
  db: CatalystDb,
  accountId: string,
  tradingDate: string,
): Promise<{ atBroker: OrderView[]; stored: OrderView[] }> {
  const atBroker = (await allBrokerOrders(broker)).map((o) =>
    view(o.id, o.status, o.filledQty, o.filledAvgPrice),
  );
  const stored = (await ordersForDay(db, accountId, tradingDate)).map((o) =>
    view(o.brokerOrderId, o.status, o.filledQty, o.filledAvgPrice),
  );
  return { atBroker: atBroker.sort(byId), stored: stored.sort(byId) };
}
