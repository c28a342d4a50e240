import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_ORDER_ID_MAX_LENGTH,
  clientOrderId,
  parseClientOrderId,
  type ClientOrderIdParts,
} from '../../src/domain/clientOrderId';

const date = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const symbol = fc.oneof(
  fc.stringMatching(/^[A-Z]{1,5}(\.[A-Z])?$/),
  fc.string({ minLength: 1, maxLength: 6 }), // anything a feed might send, including '-', '_', '/'
);
const leg = fc.oneof(
  fc.constantFrom('entry', 'exit', 'flatten', 'stop', 'tp'),
  fc.string({ minLength: 1, maxLength: 5 }),
);
const parts: fc.Arbitrary<ClientOrderIdParts> = fc.record(
  {
    tradingDate: date,
    cycle: fc.integer({ min: 0, max: 99 }),
    symbol,
    leg,
    attempt: fc.integer({ min: 0, max: 99 }),
  },
  { requiredKeys: ['tradingDate', 'cycle', 'symbol', 'leg'] },
);

const tryId = (p: ClientOrderIdParts): string | null => {
  try {
    return clientOrderId(p);
  } catch {
    return null;
  }
};

describe('clientOrderId', () => {
  it('is readable and deterministic', () => {
    const p = { tradingDate: '2026-11-24', cycle: 3, symbol: 'AAPL', leg: 'entry' };
    expect(clientOrderId(p)).toBe('cat-20261124-c03-AAPL-entry');
    expect(clientOrderId(p)).toBe(clientOrderId({ ...p }));
    expect(clientOrderId({ ...p, symbol: 'BRK.B', leg: 'exit', attempt: 2 })).toBe(
      'cat-20261124-c03-BRK.B-exit-a2',
    );
    expect(clientOrderId({ ...p, cycle: 12, leg: 'flatten' })).toBe('cat-20261124-c12-AAPL-flatten');
  });

  it('escapes separators so different symbols never collide', () => {
    const a = clientOrderId({ tradingDate: '2026-11-24', cycle: 1, symbol: 'BRK-B', leg: 'entry' });
    const b = clientOrderId({ tradingDate: '2026-11-24', cycle: 1, symbol: 'BRK', leg: 'B-entry' });
    expect(a).toBe('cat-20261124-c01-BRK_2DB-entry');
    expect(a).not.toBe(b);
  });

  it('rejects invalid parts and ids that would exceed 48 characters', () => {
    const p = { tradingDate: '2026-11-24', cycle: 1, symbol: 'AAPL', leg: 'entry' };
    expect(() => clientOrderId({ ...p, tradingDate: '2026-02-30' })).toThrow(/YYYY-MM-DD/);
    expect(() => clientOrderId({ ...p, cycle: -1 })).toThrow(/cycle/);
    expect(() => clientOrderId({ ...p, cycle: 1.5 })).toThrow(/cycle/);
    expect(() => clientOrderId({ ...p, symbol: '' })).toThrow(/symbol/);
    expect(() => clientOrderId({ ...p, leg: 'x'.repeat(40) })).toThrow(/limit of 48/);
  });

  it('parses its own ids and nothing else', () => {
    expect(parseClientOrderId('cat-20261124-c03-BRK.B-exit-a2')).toEqual({
      tradingDate: '2026-11-24',
      cycle: 3,
      symbol: 'BRK.B',
      leg: 'exit',
      attempt: 2,
    });
    for (const foreign of [
      '',
      'manual-order-1',
      'b6a0a9f2-3a3e-4f0c-9d1e-0c2f5b1f8a11',
      'cat-20261124-c003-AAPL-entry', // non-canonical cycle
      'cat-20261124-c03-AAPL-entry-a01',
      'cat-20261324-c03-AAPL-entry', // month 13
      'cat-20261124-c03-AA_4-entry', // broken escape
      'cat-20261124-c03-_41-entry', // escaped plain character
    ]) {
      expect(parseClientOrderId(foreign)).toBeNull();
    }
  });

  it('property: ≤ 48 chars of [A-Za-z0-9._-], and parse inverts it', () => {
    fc.assert(
      fc.property(parts, (p) => {
        const id = tryId(p);
        if (id === null) return; // too long for the broker: refused, never truncated
        expect(id.length).toBeLessThanOrEqual(CLIENT_ORDER_ID_MAX_LENGTH);
        expect(id).toMatch(/^[A-Za-z0-9._-]+$/);
        expect(parseClientOrderId(id)).toEqual(p);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: distinct inputs give distinct ids', () => {
    fc.assert(
      fc.property(parts, parts, (a, b) => {
        const ia = tryId(a);
        const ib = tryId(b);
        if (ia === null || ib === null) return;
        const same = JSON.stringify(a, Object.keys(a).sort()) === JSON.stringify(b, Object.keys(b).sort());
        expect(ia === ib).toBe(same);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: typical orders always fit', () => {
    fc.assert(
      fc.property(
        date,
        fc.integer({ min: 0, max: 999 }),
        fc.stringMatching(/^[A-Z]{1,6}(\.[A-Z]{1,2})?$/),
        fc.constantFrom('entry', 'exit', 'flatten'),
        fc.option(fc.integer({ min: 0, max: 999 }), { nil: undefined }),
        (tradingDate, cycle, sym, l, attempt) => {
          const id = clientOrderId({ tradingDate, cycle, symbol: sym, leg: l, attempt });
          expect(id.length).toBeLessThanOrEqual(CLIENT_ORDER_ID_MAX_LENGTH);
        },
      ),
    );
  });
});
