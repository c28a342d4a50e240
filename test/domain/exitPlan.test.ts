/**
 * planExit: how Catalyst gets out of one holding without touching anything else — cancel its own
 * working orders first (an open bracket entry takes its legs with it), never send a second exit
 * while one works, sell only what it may close, under an id every decider computes alike.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseClientOrderId } from '../../src/domain/clientOrderId';
import {
  catalystBook,
  planExit,
  type BookOrder,
  type BookPosition,
  type Holding,
} from '../../src/domain/positions';
import { bracket, catId, DATE, filled, order, OTHER_DATE, position, T, withLeg } from './bookKit';

const holdingOf = (orders: BookOrder[], positions: BookPosition[], symbol = 'AAPL'): Holding => {
  const h = catalystBook({ orders, positions, tradingDate: DATE }).holdings.find((x) => x.symbol === symbol);
  if (!h) throw new Error(`no holding in ${symbol}`);
  return h;
};
const ids = (orders: BookOrder[]) => orders.map((o) => o.id).sort();

describe('planExit: what to cancel first', () => {
  it('a filled bracket: both working legs are cancelled, and nothing is sold until they are gone', () => {
    const entry = bracket({ symbol: 'AAPL', cycle: 3, qty: 10, stop: '98.00', target: '106.00' });
    const plan = planExit(holdingOf([entry], [position('AAPL', 10)]));
    expect(ids(plan.cancel)).toEqual(ids(entry.legs));
    expect(plan).toMatchObject({ sellQty: 0, clientOrderId: null, workingExit: null });
  });

  it('an open entry covers its held legs: cancelling it alone cancels the group', () => {
    for (const filledQty of [0, 4]) {
      const entry = bracket({ symbol: 'AAPL', qty: 10, filledQty, stop: '98.00', target: '106.00' });
      const plan = planExit(holdingOf([entry], filledQty ? [position('AAPL', filledQty)] : []));
      expect(ids(plan.cancel), `filled ${filledQty}`).toEqual([entry.id]);
      expect(plan.sellQty).toBe(0);
    }
  });

  it('once cancelled, the shares a partly filled entry bought are sold, under the entry’s cycle', () => {
    const entry = bracket({
      symbol: 'AAPL',
      cycle: 7,
      qty: 10,
      filledQty: 4,
      status: 'canceled',
      legStatus: 'canceled',
      stop: '98.00',
      target: '106.00',
    });
    const plan = planExit(holdingOf([entry], [position('AAPL', 4)]));
    expect(plan).toEqual({
      symbol: 'AAPL',
      cancel: [],
      workingExit: null,
      sellQty: 4,
      clientOrderId: 'cat-20261124-c07-AAPL-exit-a1',
    });
  });

  it('never cancels anyone else’s order in the symbol, nor Catalyst’s orders of another day', () => {
    const entry = bracket({ symbol: 'AAPL', qty: 10, stop: '98.00', target: '106.00' });
    const manualBuy = order({
      symbol: 'AAPL',
      side: 'buy',
      type: 'limit',
      limitPrice: '50.00',
      clientOrderId: 'gtc-dip',
    });
    const manualSell = order({ symbol: 'AAPL', side: 'sell', type: 'limit', limitPrice: '500.00' });
    const yesterday = bracket({
      symbol: 'AAPL',
      qty: 3,
      tradingDate: OTHER_DATE,
      stop: '90.00',
      target: '120.00',
    });
    const plan = planExit(holdingOf([yesterday, manualBuy, entry, manualSell], [position('AAPL', 113)]));
    expect(ids(plan.cancel)).toEqual(ids(entry.legs));
  });

  it('Catalyst’s own exit is never cancelled: while it works there is nothing else to do', () => {
    const entry = bracket({
      symbol: 'AAPL',
      qty: 10,
      stop: '98.00',
      target: '106.00',
      legStatus: 'canceled',
    });
    const exit = order({
      symbol: 'AAPL',
      side: 'sell',
      qty: '10',
      clientOrderId: catId('AAPL', 1, 'exit', 1),
      createdAt: T(30),
    });
    const plan = planExit(holdingOf([entry, exit], [position('AAPL', 10)]));
    expect(plan.workingExit?.id).toBe(exit.id);
    expect(plan).toMatchObject({ cancel: [], sellQty: 0, clientOrderId: null });
  });
});

describe('planExit: how many shares', () => {
  it('sells exactly what Catalyst may close: its own shares, never more than the account holds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 500 }),
        (bought, preHeld, soldByHand) => {
          const entry = bracket({
            symbol: 'AAPL',
            qty: bought,
            stop: '98.00',
            target: '106.00',
            legStatus: 'canceled',
          });
          const account = Math.max(0, preHeld + bought - soldByHand);
          const positions = account > 0 ? [position('AAPL', account)] : [];
          const plan = planExit(holdingOf([entry], positions));
          const expected = Math.min(bought, account);
          expect(plan.sellQty).toBe(expected);
          expect(plan.clientOrderId === null).toBe(expected === 0);
        },
      ),
    );
  });
});

describe('planExit: the exit id', () => {
  it('is cat-<entry date>-c<entry cycle>-<SYMBOL>-exit-a<previous exits of the lot + 1>', () => {
    const statuses = fc.constantFrom('canceled', 'rejected', 'expired', 'filled');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99 }),
        fc.array(fc.tuple(statuses, fc.integer({ min: 0, max: 3 })), { maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 3 }),
        (cycle, previous, otherLots) => {
          const entry = bracket({
            symbol: 'BRK.B',
            cycle,
            qty: 100,
            stop: '98.00',
            target: '106.00',
            at: 200,
            legStatus: 'canceled',
          });
          let sold = 0;
          // Earlier exits of this lot that did not (completely) get it out.
          const exits = previous.map(([status, qty], i) => {
            const q = status === 'filled' ? Math.max(qty, 1) : status === 'canceled' ? qty : 0;
            sold += q;
            const base = {
              symbol: 'BRK.B',
              side: 'sell' as const,
              qty: '100',
              clientOrderId: catId('BRK.B', cycle, 'exit', i + 1),
              status,
            };
            return q > 0 ? filled(base, q, '101.00', 210 + i) : order({ ...base, createdAt: T(210 + i) });
          });
          // Closed lots of other cycles and their exits: not this lot's attempts.
          const closed = otherLots.flatMap((_, k) => {
            const c = cycle === 99 ? k : 100 + k;
            const e = bracket({
              symbol: 'BRK.B',
              cycle: c,
              qty: 1,
              stop: '98.00',
              target: '106.00',
              at: k,
              legStatus: 'canceled',
            });
            const x = filled(
              { symbol: 'BRK.B', side: 'sell', qty: '1', clientOrderId: catId('BRK.B', c, 'exit', 1) },
              1,
              '99.00',
              k + 3,
            );
            return [e, x];
          });
          const h = holdingOf([...closed, entry, ...exits], [position('BRK.B', 100 - sold)], 'BRK.B');
          const plan = planExit(h);
          expect(plan.sellQty).toBe(100 - sold);
          expect(parseClientOrderId(plan.clientOrderId!)).toEqual({
            tradingDate: DATE,
            cycle,
            symbol: 'BRK.B',
            leg: 'exit',
            attempt: previous.length + 1,
          });
          expect(plan.clientOrderId!.length).toBeLessThanOrEqual(48);
        },
      ),
    );
  });

  it('every decider reading the same book computes the same id (deciders converge on one order)', () => {
    const entry = withLeg(
      bracket({ symbol: 'AAPL', cycle: 4, qty: 10, stop: '98.00', target: '106.00', legStatus: 'canceled' }),
      'stop',
      {
        status: 'canceled',
      },
    );
    const orders = [entry];
    const positions = [position('AAPL', 10)];
    const a = planExit(holdingOf(orders, positions));
    const b = planExit(holdingOf(structuredClone(orders), structuredClone(positions)));
    expect(a.clientOrderId).toBe('cat-20261124-c04-AAPL-exit-a1');
    expect(b).toEqual(a);
  });

  it('a holding of an earlier day (halt with no day running) exits under that day’s id', () => {
    const entry = bracket({
      symbol: 'AAPL',
      cycle: 2,
      qty: 5,
      tradingDate: OTHER_DATE,
      stop: '98.00',
      target: '106.00',
      legStatus: 'canceled',
    });
    const h = catalystBook({ orders: [entry], positions: [position('AAPL', 5)], tradingDate: null })
      .holdings[0]!;
    expect(planExit(h).clientOrderId).toBe('cat-20261123-c02-AAPL-exit-a1');
  });
});
