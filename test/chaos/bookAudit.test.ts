import { describe, expect, it } from 'vitest';
import type { BrokerOrder } from '../../src/broker/port';
import { auditBook, type AuditInput } from './bookAudit';

const DATE = '2026-11-24';

function order(o: Partial<BrokerOrder> & Pick<BrokerOrder, 'id' | 'clientOrderId'>): BrokerOrder {
  return {
    symbol: 'ACME',
    side: 'buy',
    type: 'limit',
    timeInForce: 'day',
    orderClass: 'simple',
    qty: '10',
    filledQty: '0',
    filledAvgPrice: null,
    limitPrice: '10.00',
    stopPrice: null,
    status: 'canceled',
    createdAt: '2026-11-24T15:00:00Z',
    submittedAt: '2026-11-24T15:00:00Z',
    filledAt: null,
    canceledAt: null,
    updatedAt: null,
    legs: [],
    ...o,
  };
}

/** An entry that filled 10 at 10.00 and its exit that sold them at 11.00: a closed position, +10. */
function roundTrip(): AuditInput {
  const entry = order({
    id: 'b1',
    clientOrderId: 'cat-20261124-c01-ACME-entry',
    orderClass: 'bracket',
    status: 'filled',
    filledQty: '10',
    filledAvgPrice: '10.00',
    filledAt: '2026-11-24T15:00:01Z',
    legs: [
      order({ id: 'b1-tp', clientOrderId: 'leg-tp', side: 'sell', limitPrice: '10.60', status: 'canceled' }),
      order({
        id: 'b1-sl',
        clientOrderId: 'leg-sl',
        side: 'sell',
        type: 'stop',
        limitPrice: null,
        stopPrice: '9.80',
        status: 'canceled',
      }),
    ],
  });
  const exit = order({
    id: 'b2',
    clientOrderId: 'cat-20261124-c01-ACME-exit-a1',
    side: 'sell',
    type: 'market',
    limitPrice: null,
    status: 'filled',
    filledQty: '10',
    filledAvgPrice: '11.00',
    submittedAt: '2026-11-24T16:00:00Z',
    filledAt: '2026-11-24T16:00:01Z',
  });
  const stored = [entry, ...entry.legs, exit].map((o) => ({
    brokerOrderId: o.id,
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    status: o.status,
    filledQty: o.filledQty,
    filledAvgPrice: o.filledAvgPrice,
  }));
  return {
    tradingDate: DATE,
    brokerOrders: [entry, exit],
    brokerPositions: [],
    dbOrders: stored,
    dbPositions: [
      {
        entryClientOrderId: entry.clientOrderId,
        symbol: 'ACME',
        status: 'closed',
        qty: '10.000000',
        realizedPnl: '10.000000',
      },
    ],
  };
}

describe('the chaos run’s audit of the broker against the database', () => {
  it('counts nothing when the two agree (legs included, decimals compared as amounts)', () => {
    const report = auditBook(roundTrip());
    expect(report.counts).toEqual({
      duplicateClientOrderIds: 0,
      ordersAtBrokerNotInDb: 0,
      dbOrdersNotAtBroker: 0,
      positionsMismatched: 0,
      openPositionsAtClose: 0,
      openOrdersAtClose: 0,
      orderStatesMismatched: 0,
    });
    expect(report.brokerOrders).toBe(4);
  });

  it('names an order the broker accepted that the database never recorded, and the position it left unrecorded', () => {
    const input = roundTrip();
    input.dbOrders = input.dbOrders.filter((o) => o.brokerOrderId !== 'b2');
    input.dbPositions = [{ ...input.dbPositions[0]!, status: 'open', realizedPnl: null }];
    const report = auditBook(input);
    expect(report.counts.ordersAtBrokerNotInDb).toBe(1);
    expect(report.detail.ordersAtBrokerNotInDb).toEqual([
      { id: 'b2', clientOrderId: 'cat-20261124-c01-ACME-exit-a1', symbol: 'ACME', status: 'filled' },
    ]);
    expect(report.detail.positionsMismatched).toEqual([
      {
        key: 'cat-20261124-c01-ACME-entry',
        symbol: 'ACME',
        broker: 'closed qty 10 pnl 10.000000',
        db: 'open qty 10.000000',
      },
    ]);
  });

  it('counts a client_order_id on two broker orders, rows of orders the broker does not have, and stale states', () => {
    const input = roundTrip();
    input.brokerOrders = [
      ...input.brokerOrders,
      order({ id: 'b3', clientOrderId: 'cat-20261124-c01-ACME-exit-a1', side: 'sell', status: 'canceled' }),
    ];
    input.dbOrders = [
      ...input.dbOrders.map((o) => (o.brokerOrderId === 'b1-tp' ? { ...o, status: 'new' } : o)),
      {
        brokerOrderId: 'ghost',
        clientOrderId: 'cat-20261124-c02-ACME-entry',
        symbol: 'ACME',
        status: 'new',
        filledQty: '0',
        filledAvgPrice: null,
      },
      {
        brokerOrderId: 'b3',
        clientOrderId: 'cat-20261124-c01-ACME-exit-a1',
        symbol: 'ACME',
        status: 'canceled',
        filledQty: '0',
        filledAvgPrice: null,
      },
    ];
    const report = auditBook(input);
    expect(report.detail.duplicateClientOrderIds).toEqual([
      { clientOrderId: 'cat-20261124-c01-ACME-exit-a1', where: 'broker', ids: ['b2', 'b3'] },
      { clientOrderId: 'cat-20261124-c01-ACME-exit-a1', where: 'db', ids: ['b2', 'b3'] },
    ]);
    expect(report.detail.dbOrdersNotAtBroker.map((o) => o.id)).toEqual(['ghost']);
    expect(report.detail.orderStatesMismatched).toEqual([
      { id: 'b1-tp', clientOrderId: 'leg-tp', broker: 'canceled filled 0 @ -', db: 'new filled 0 @ -' },
    ]);
  });

  it('counts what is still open at the broker after the day', () => {
    const input = roundTrip();
    input.brokerOrders = [
      ...input.brokerOrders,
      order({ id: 'b4', clientOrderId: 'cat-20261124-c03-ZZZ-entry', symbol: 'ZZZ', status: 'new' }),
    ];
    input.brokerPositions = [
      {
        symbol: 'YYY',
        qty: '5',
        side: 'long',
        avgEntryPrice: '1',
        currentPrice: '1',
        marketValue: '5',
        costBasis: '5',
        unrealizedPl: '0',
      },
    ];
    const report = auditBook(input);
    expect(report.counts.openOrdersAtClose).toBe(1);
    expect(report.counts.openPositionsAtClose).toBe(1);
    expect(report.detail.openPositionsAtClose).toEqual([{ symbol: 'YYY', qty: '5' }]);
    // Shares no row of the database accounts for are a position mismatch too.
    expect(report.detail.positionsMismatched.map((m) => m.symbol)).toContain('YYY');
  });
});
