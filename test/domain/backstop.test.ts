/**
 * The monitor's backstops behind the broker's bracket legs: exit a holding held past the max hold,
 * or one whose price is at or through its stop while no stop of Catalyst's works (a take-profit
 * limit does not protect it, nor does somebody else's stop); never while an exit already works.
 * And the stale-entry rule: Catalyst's marketable entries still unfilled after the window.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backstopReason,
  catalystBook,
  MINUTE_MS,
  staleEntries,
  type BookOrder,
  type Holding,
} from '../../src/domain/positions';
import { bracket, catId, DATE, dollars, OPEN_MS, order, position, T, withLeg } from './bookKit';

const WORKING = ['new', 'accepted', 'pending_new', 'partially_filled', 'pending_cancel'];
const NOT_WORKING = ['held', 'canceled', 'expired', 'replaced', 'rejected'];
const legStatus = fc.constantFrom(...WORKING, ...NOT_WORKING);

const holdingOf = (orders: BookOrder[], qty: number, priceCents: number): Holding =>
  catalystBook({
    orders,
    positions: qty > 0 ? [position('AAPL', qty, dollars(priceCents))] : [],
    tradingDate: DATE,
  }).holdings.find((h) => h.symbol === 'AAPL')!;

describe('backstopReason', () => {
  const ENTRY_AT = 10; // sent 09:40, filled 09:41
  const SENT_MS = OPEN_MS + ENTRY_AT * MINUTE_MS;
  const FILLED_MS = SENT_MS + MINUTE_MS;
  const STOP_CENTS = 9_800;

  it('follows the rule for every combination of hold time, price, legs and exits', () => {
    fc.assert(
      fc.property(
        fc.record({
          heldMs: fc.integer({ min: 0, max: 400 * MINUTE_MS }),
          maxHold: fc.integer({ min: 1, max: 390 }),
          priceCents: fc.integer({ min: STOP_CENTS - 300, max: STOP_CENTS + 300 }),
          stopStatus: legStatus,
          targetStatus: legStatus,
          exit: fc.constantFrom('none', 'working', 'canceled'),
          foreignStop: fc.boolean(),
          accountQty: fc.constantFrom(0, 4, 10, 110),
        }),
        (c) => {
          let entry = bracket({
            symbol: 'AAPL',
            qty: 10,
            price: '100.00',
            stop: dollars(STOP_CENTS),
            target: '106.00',
            at: ENTRY_AT,
          });
          entry = withLeg(entry, 'stop', { status: c.stopStatus });
          entry = withLeg(entry, 'limit', { status: c.targetStatus });
          const orders: BookOrder[] = [entry];
          if (c.exit !== 'none')
            orders.push(
              order({
                symbol: 'AAPL',
                side: 'sell',
                qty: '10',
                clientOrderId: catId('AAPL', 1, 'exit', 1),
                status: c.exit === 'working' ? 'new' : 'canceled',
                createdAt: T(ENTRY_AT + 2),
              }),
            );
          // A person's own stop in the symbol protects their shares, not Catalyst's.
          if (c.foreignStop)
            orders.push(
              order({
                symbol: 'AAPL',
                side: 'sell',
                type: 'stop',
                stopPrice: '97.00',
                clientOrderId: 'my-stop',
              }),
            );
          const h = holdingOf(orders, c.accountQty, c.priceCents);

          const closable = Math.min(10, c.accountQty);
          const expected =
            closable === 0 || c.exit === 'working'
              ? null
              : c.heldMs >= c.maxHold * MINUTE_MS
                ? 'max_hold_exit'
                : c.accountQty > 0 && c.priceCents <= STOP_CENTS && !WORKING.includes(c.stopStatus)
                  ? 'backstop_stop'
                  : null;
          // The hold is counted from when the entry was sent (Alpaca records no first-fill time).
          expect(backstopReason(h, SENT_MS + c.heldMs, c.maxHold)).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the max-hold clock runs from when the entry was sent, to the millisecond', () => {
    // Alpaca's order record has no first-fill time (filled_at is the last fill): the sending time
    // is the earliest the position can have opened, so the hold is never exceeded.
    const entry = bracket({ symbol: 'AAPL', qty: 10, stop: '98.00', target: '106.00', at: ENTRY_AT });
    const h = holdingOf([entry], 10, 10_000);
    expect(h.openedAt).toBe(new Date(SENT_MS).toISOString());
    expect(backstopReason(h, SENT_MS + 60 * MINUTE_MS - 1, 60)).toBeNull();
    expect(backstopReason(h, SENT_MS + 60 * MINUTE_MS, 60)).toBe('max_hold_exit');
  });

  it('a take-profit limit working alone does not stop the backstop: it is not a stop', () => {
    const entry = withLeg(bracket({ symbol: 'AAPL', qty: 10, stop: '98.00', target: '106.00' }), 'stop', {
      status: 'canceled',
    });
    expect(entry.legs.find((l) => l.type === 'limit')!.status).toBe('new');
    expect(backstopReason(holdingOf([entry], 10, 9_799), FILLED_MS, 390)).toBe('backstop_stop');
    expect(backstopReason(holdingOf([entry], 10, 9_800), FILLED_MS, 390)).toBe('backstop_stop');
    expect(backstopReason(holdingOf([entry], 10, 9_801), FILLED_MS, 390)).toBeNull();
  });

  it('the stop price is the oldest open lot’s, whatever became of its leg', () => {
    const first = withLeg(
      bracket({ symbol: 'AAPL', cycle: 1, qty: 5, stop: '95.00', target: '110.00', at: 1 }),
      'stop',
      {
        status: 'canceled',
      },
    );
    const second = bracket({
      symbol: 'AAPL',
      cycle: 2,
      qty: 5,
      stop: '99.00',
      target: '110.00',
      at: 20,
      legStatus: 'canceled',
    });
    const h = holdingOf([first, second], 10, 9_700);
    expect(h.stopPrice).toBe('95.00');
    // 97 is through the second lot's stop but not through the oldest's.
    expect(backstopReason(h, OPEN_MS + 30 * MINUTE_MS, 390)).toBeNull();
    expect(backstopReason(holdingOf([first, second], 10, 9_500), OPEN_MS + 30 * MINUTE_MS, 390)).toBe(
      'backstop_stop',
    );
  });
});

describe('staleEntries', () => {
  const NOW = OPEN_MS + 60 * MINUTE_MS;

  it('are exactly Catalyst’s working entry buys sent at least the window ago', () => {
    const spec = fc.record({
      side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
      leg: fc.constantFrom('entry', 'exit'),
      status: fc.constantFrom(...WORKING, ...NOT_WORKING, 'filled'),
      agoMs: fc.integer({ min: -MINUTE_MS, max: 20 * MINUTE_MS }),
      submittedKnown: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(spec, { maxLength: 10 }), fc.integer({ min: 1, max: 15 }), (specs, window) => {
        const orders = specs.map((s, i) => {
          const sent = new Date(NOW - s.agoMs).toISOString();
          return order({
            symbol: `S${i}`,
            side: s.side,
            type: 'limit',
            clientOrderId: catId(`S${i}`, 1, s.leg, s.leg === 'exit' ? 1 : undefined),
            status: s.status,
            createdAt: sent,
            submittedAt: s.submittedKnown ? sent : null,
          });
        });
        const expected = orders.filter((_, i) => {
          const s = specs[i]!;
          return (
            s.side === 'buy' &&
            s.leg === 'entry' &&
            WORKING.includes(s.status) &&
            s.agoMs >= window * MINUTE_MS
          );
        });
        expect(staleEntries(orders, NOW, window)).toEqual(expected);
      }),
    );
  });

  it('an entry sent 4:59 ago is not stale, one sent 5:00 ago is', () => {
    const entry = bracket({ symbol: 'AAPL', qty: 10, filledQty: 0, stop: '98.00', target: '106.00', at: 10 });
    const sent = Date.parse(entry.submittedAt!);
    expect(staleEntries([entry], sent + 5 * MINUTE_MS - 1000, 5)).toEqual([]);
    expect(staleEntries([entry], sent + 5 * MINUTE_MS, 5)).toEqual([entry]);
  });
});
