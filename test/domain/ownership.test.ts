/**
 * Who owns an order: Catalyst owns exactly the orders whose client_order_id it could have made for
 * the day in question. Everything else in the account (orders by hand, other systems, Catalyst's
 * orders of other days) is someone else's, and a bracket's legs always go with their entry.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientOrderId } from '../../src/domain/clientOrderId';
import {
  flattenOrders,
  isOpenOrder,
  isStopOrder,
  isWorkingOrder,
  legRoleOf,
  ownerOf,
  splitByOwner,
  type BookOrder,
} from '../../src/domain/positions';
import { bracket, catId, DATE, order, OTHER_DATE } from './bookKit';

const isoDate = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const symbol = fc.stringMatching(/^[A-Z]{1,5}(\.[A-Z])?$/);
const leg = fc.constantFrom('entry', 'exit', 'flatten');

describe('ownerOf', () => {
  it('a Catalyst id is ours on its own date, another date’s otherwise, and ours for any date when none is given', () => {
    fc.assert(
      fc.property(
        isoDate,
        isoDate,
        fc.integer({ min: 0, max: 99 }),
        symbol,
        leg,
        (made, asked, cycle, sym, l) => {
          const id = clientOrderId({ tradingDate: made, cycle, symbol: sym, leg: l });
          expect(ownerOf({ clientOrderId: id }, asked)).toBe(made === asked ? 'ours' : 'other_date');
          expect(ownerOf({ clientOrderId: id }, made)).toBe('ours');
          expect(ownerOf({ clientOrderId: id }, null)).toBe('ours');
        },
      ),
    );
  });

  it('any id Catalyst cannot have made is foreign, whatever the date', () => {
    const notOurs = fc.oneof(
      fc.string(),
      fc.uuid(),
      // Near misses: a person copying the pattern, a padded cycle, an impossible date.
      fc.constantFrom(
        '',
        'manual-1',
        'cat-20261124-c3-AAPL-entry',
        'cat-20261124-c003-AAPL-entry',
        'cat-20261131-c03-AAPL-entry',
        'CAT-20261124-c03-AAPL-entry',
        'cat-20261124-c03-AAPL-entry-a01',
        'x-cat-20261124-c03-AAPL-entry',
      ),
    );
    fc.assert(
      fc.property(notOurs, fc.option(isoDate, { nil: null }), (id, date) => {
        expect(ownerOf({ clientOrderId: id }, date)).toBe('foreign');
      }),
    );
  });
});

describe('splitByOwner and flattenOrders', () => {
  it('splits top-level orders by owner, each exactly once, legs travelling with their entry', () => {
    const ownerArb = fc.constantFrom('ours', 'other_date', 'foreign');
    fc.assert(
      fc.property(fc.array(fc.tuple(ownerArb, fc.boolean()), { maxLength: 12 }), (specs) => {
        const orders = specs.map(([owner, isBracket], i): BookOrder => {
          const sym = `S${i}`;
          const cid =
            owner === 'ours'
              ? catId(sym, i)
              : owner === 'other_date'
                ? catId(sym, i, 'entry', undefined, OTHER_DATE)
                : `manual-${i}`;
          return isBracket
            ? bracket({ symbol: sym, qty: 10, stop: '90.00', target: '110.00', clientOrderId: cid })
            : order({ symbol: sym, side: 'buy', clientOrderId: cid });
        });
        const split = splitByOwner(orders, DATE);
        for (const owner of ['ours', 'other_date', 'foreign'] as const) {
          const expected = orders.filter((_, i) => specs[i]![0] === owner);
          expect(split[owner]).toEqual(expected);
        }
        // Legs are never split out as orders of their own: their broker ids look like nobody's.
        const flat = flattenOrders(orders);
        expect(flat).toHaveLength(orders.reduce((n, o) => n + 1 + o.legs.length, 0));
        // Each leg comes right after its parent.
        let i = 0;
        for (const o of orders) {
          expect(flat[i]).toBe(o);
          o.legs.forEach((l, k) => expect(flat[i + 1 + k]).toBe(l));
          i += 1 + o.legs.length;
        }
      }),
    );
  });

  it('a leg whose own id happens to look like Catalyst’s still belongs to its foreign parent', () => {
    const parent = bracket({
      symbol: 'AAPL',
      qty: 5,
      stop: '90.00',
      target: '110.00',
      clientOrderId: 'manual-bracket',
    });
    const disguised = {
      ...parent,
      legs: parent.legs.map((l) => ({ ...l, clientOrderId: catId('AAPL', 1, 'exit', 1) })),
    };
    const split = splitByOwner([disguised], DATE);
    expect(split.foreign).toEqual([disguised]);
    expect(split.ours).toEqual([]);
  });
});

describe('order roles and statuses', () => {
  it('top-level buys are entries and sells exits; legs are told apart by type', () => {
    const entry = bracket({ symbol: 'AAPL', qty: 5, stop: '90.00', target: '110.00' });
    expect(legRoleOf(entry)).toBe('entry');
    expect(legRoleOf(order({ symbol: 'AAPL', side: 'sell' }))).toBe('exit');
    const [tp, sl] = entry.legs;
    expect(legRoleOf(tp!, entry)).toBe('take_profit');
    expect(legRoleOf(sl!, entry)).toBe('stop_loss');
    for (const type of ['stop', 'stop_limit', 'trailing_stop'])
      expect(legRoleOf({ side: 'sell', type }, entry)).toBe('stop_loss');
  });

  it('only sell stops protect a long position: a take-profit limit is not a stop', () => {
    expect(isStopOrder({ side: 'sell', type: 'stop' })).toBe(true);
    expect(isStopOrder({ side: 'sell', type: 'stop_limit' })).toBe(true);
    expect(isStopOrder({ side: 'sell', type: 'trailing_stop' })).toBe(true);
    expect(isStopOrder({ side: 'sell', type: 'limit' })).toBe(false);
    expect(isStopOrder({ side: 'sell', type: 'market' })).toBe(false);
    expect(isStopOrder({ side: 'buy', type: 'stop' })).toBe(false);
  });

  it('open statuses hold shares or cash; held legs are open but not working', () => {
    const open = [
      'new',
      'accepted',
      'pending_new',
      'partially_filled',
      'held',
      'pending_cancel',
      'pending_replace',
      'accepted_for_bidding',
      'calculated',
      'done_for_day',
    ];
    const done = ['filled', 'canceled', 'expired', 'replaced', 'rejected', 'suspended', 'stopped'];
    for (const status of open) expect(isOpenOrder({ status }), status).toBe(true);
    for (const status of done) expect(isOpenOrder({ status }), status).toBe(false);
    for (const status of open) expect(isWorkingOrder({ status }), status).toBe(status !== 'held');
    for (const status of done) expect(isWorkingOrder({ status }), status).toBe(false);
  });
});
