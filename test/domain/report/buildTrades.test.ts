/**
 * buildTrades: the recorded orders become trades with their fills' own P&L (partial fills
 * included), their hold time, why they ended and why they were taken.
 */
import { describe, expect, it } from 'vitest';
import { buildTrades, closeOutStartMs } from '../../../src/domain/report/buildTrades';
import {
  ACCOUNT,
  DATE,
  bracket,
  candidate,
  data,
  day,
  exitOrder,
  fillLeg,
  ny,
  order,
  riskEvent,
} from './reportKit';

describe('buildTrades', () => {
  it('no orders: no trades', () => {
    expect(buildTrades(data())).toEqual([]);
  });

  it('a winner closed by its take-profit: entry, exit, quantity, P&L, hold, target, scores', () => {
    const b = bracket({
      symbol: 'AAPL',
      cycle: 1,
      qty: 10,
      entryPrice: '100.25',
      at: '09:36',
      stop: '98.25',
      target: '106.27',
    });
    const target = fillLeg(b.target, 10, '106.27', '10:41');
    const [trade] = buildTrades(
      data({
        orders: [b.entry, b.stop, target],
        candidates: [
          candidate({ cycleId: b.entry.cycleId!, symbol: 'AAPL', riskReasons: ['size 10 sh: risk'] }),
        ],
      }),
    );
    expect(trade).toMatchObject({
      symbol: 'AAPL',
      cycle: 1,
      status: 'closed',
      quantity: 10,
      closedQuantity: 10,
      openQuantity: 0,
      entryPrice: '100.25',
      exitPrice: '106.27',
      openedAt: ny('09:36'),
      closedAt: ny('10:41'),
      holdSeconds: 65 * 60,
      // (106.27 − 100.25) × 10
      realizedPnl: '60.20',
      stopPrice: '98.25',
      takeProfitPrice: '106.27',
      exitReason: 'target',
    });
    expect(trade!.why).toEqual({
      factors: {
        composite: 70,
        news: 65,
        technical: 72,
        pattern: 60,
        momentum: 80,
        volume: 75,
        finalRank: 1,
      },
      riskApproved: true,
      riskReasons: ['size 10 sh: risk'],
    });
  });

  it('a loss through the stop leg', () => {
    const b = bracket({
      symbol: 'MSFT',
      cycle: 2,
      qty: 7,
      entryPrice: '50.10',
      at: '10:05',
      stop: '49.10',
      target: '53.11',
    });
    const [trade] = buildTrades(data({ orders: [b.entry, fillLeg(b.stop, 7, '49.03', '10:20'), b.target] }));
    // (49.03 − 50.10) × 7 = −7.49
    expect(trade).toMatchObject({ realizedPnl: '-7.49', exitReason: 'stop', status: 'closed' });
  });

  it('a partly filled entry: the trade is the shares bought, at the price paid', () => {
    const b = bracket({
      symbol: 'NVDA',
      cycle: 1,
      qty: 20,
      filled: 13,
      entryPrice: '12.3456',
      at: '09:40',
      stop: '12',
      target: '13',
    });
    const exit = exitOrder({ symbol: 'NVDA', cycle: 1, qty: 13, price: '12.5001', at: '15:50' });
    const [trade] = buildTrades(data({ orders: [b.entry, b.stop, b.target, exit] }));
    // (12.5001 − 12.3456) × 13 = 2.0085
    expect(trade).toMatchObject({
      quantity: 13,
      closedQuantity: 13,
      realizedPnl: '2.0085',
      exitReason: 'flatten',
    });
  });

  it('partial exits: two sells close one entry, the P&L is Σ sells − cost', () => {
    const b = bracket({
      symbol: 'AMD',
      cycle: 3,
      qty: 10,
      entryPrice: '20.00',
      at: '11:05',
      stop: '19.60',
      target: '21.20',
    });
    const partTarget = fillLeg(b.target, 4, '21.20', '12:00');
    const rest = exitOrder({ symbol: 'AMD', cycle: 3, qty: 6, price: '19.90', at: '15:51' });
    const [trade] = buildTrades(data({ orders: [b.entry, b.stop, partTarget, rest] }));
    // 4 × 21.20 + 6 × 19.90 − 10 × 20.00 = 84.80 + 119.40 − 200 = 4.20
    expect(trade).toMatchObject({
      closedQuantity: 10,
      realizedPnl: '4.20',
      exitPrice: '20.42',
      exitReason: 'flatten',
    });
  });

  it('a trade still open: nothing realized yet, no exit reason; a half-closed one keeps its realized part', () => {
    const a = bracket({
      symbol: 'TSLA',
      cycle: 4,
      qty: 5,
      entryPrice: '200',
      at: '11:35',
      stop: '196',
      target: '212',
    });
    const b = bracket({
      symbol: 'META',
      cycle: 4,
      qty: 8,
      entryPrice: '300',
      at: '11:36',
      stop: '294',
      target: '318',
    });
    const [open, half] = buildTrades(
      data({
        days: [day({ status: 'running' })],
        orders: [a.entry, a.stop, a.target, b.entry, fillLeg(b.target, 3, '318', '12:30')],
      }),
    );
    expect(open).toMatchObject({
      symbol: 'TSLA',
      status: 'open',
      openQuantity: 5,
      closedQuantity: 0,
      realizedPnl: '0.00',
      exitReason: null,
      closedAt: null,
      holdSeconds: null,
    });
    expect(half).toMatchObject({
      symbol: 'META',
      status: 'open',
      openQuantity: 5,
      closedQuantity: 3,
      realizedPnl: '54.00',
      exitReason: 'target',
    });
  });

  it('market exits: max hold and backstop by the monitor’s events, emergency on a halted day, flatten otherwise', () => {
    const mk = (symbol: string, cycle: number, at: string) => {
      const b = bracket({
        symbol,
        cycle,
        qty: 1,
        entryPrice: '10',
        at: '09:36',
        stop: '9.8',
        target: '10.6',
      });
      const exit = exitOrder({ symbol, cycle, qty: 1, price: '10.1', at });
      return { orders: [b.entry, b.stop, b.target, exit], exit };
    };
    const hold = mk('AAA', 1, '11:36');
    const back = mk('BBB', 1, '12:00');
    const emergency = mk('CCC', 1, '13:00');
    const close = mk('DDD', 1, '15:52');
    const trades = buildTrades(
      data({
        days: [day({ halted: true, haltReason: 'operator' })],
        orders: [...hold.orders, ...back.orders, ...emergency.orders, ...close.orders],
        riskEvents: [
          riskEvent({ eventKey: `${ACCOUNT}/${hold.exit.clientOrderId}`, eventType: 'max_hold_exit' }),
          riskEvent({ eventKey: `${ACCOUNT}/${back.exit.clientOrderId}`, eventType: 'backstop_stop' }),
        ],
      }),
    );
    expect(Object.fromEntries(trades.map((t) => [t.symbol, t.exitReason]))).toEqual({
      AAA: 'max hold',
      BBB: 'stop',
      CCC: 'emergency',
      DDD: 'flatten',
    });
  });

  it('an emergency_stop event of the run marks exits before the close-out as the emergency’s', () => {
    const b = bracket({
      symbol: 'XYZ',
      cycle: 2,
      qty: 3,
      entryPrice: '10',
      at: '10:05',
      stop: '9.8',
      target: '10.6',
    });
    const exit = exitOrder({ symbol: 'XYZ', cycle: 2, qty: 3, price: '9.9', at: '11:01' });
    const d = day();
    const [trade] = buildTrades(
      data({
        days: [d],
        orders: [b.entry, b.stop, b.target, exit],
        riskEvents: [
          riskEvent({
            eventKey: `${d.workflowId}/${d.runId}/emergency-stop/r1`,
            eventType: 'emergency_stop',
          }),
        ],
      }),
    );
    expect(trade!.exitReason).toBe('emergency');
  });

  it('books stay apart: the same symbol in two accounts of a date is two trades', () => {
    const a = bracket({
      symbol: 'AAPL',
      cycle: 1,
      qty: 2,
      entryPrice: '10',
      at: '09:36',
      stop: '9',
      target: '11',
    });
    const b = bracket({
      symbol: 'AAPL',
      cycle: 1,
      qty: 3,
      entryPrice: '12',
      at: '09:37',
      stop: '11',
      target: '13',
      accountId: 'acct-2',
    });
    const trades = buildTrades(
      data({
        days: [day(), day({ accountId: 'acct-2', runId: 'run-2' })],
        orders: [
          a.entry,
          fillLeg(a.target, 2, '11', '10:00'),
          b.entry,
          { ...fillLeg(b.stop, 3, '11', '10:10') },
        ],
      }),
    );
    expect(trades.map((t) => [t.accountId, t.realizedPnl])).toEqual([
      [ACCOUNT, '2.00'],
      ['acct-2', '-3.00'],
    ]);
  });

  it('an entry with no scan row has no rationale rather than a guess', () => {
    const buy = order({
      symbol: 'OLD',
      side: 'buy',
      filledQty: '1',
      filledAvgPrice: '5',
      filledAt: ny('09:31'),
    });
    const [trade] = buildTrades(data({ orders: [buy] }));
    expect(trade!.why).toEqual({ factors: null, riskApproved: null, riskReasons: [] });
  });

  it('the close-out starts flatten_before_close_minutes before the close (13:00 on an early close)', () => {
    expect(new Date(closeOutStartMs(DATE, 10)).toISOString()).toBe(ny('15:50'));
    expect(new Date(closeOutStartMs('2026-11-27', null)).toISOString()).toBe(ny('12:50', '2026-11-27'));
    expect(closeOutStartMs('2026-11-26', 10)).toBeNaN(); // Thanksgiving
  });
});
