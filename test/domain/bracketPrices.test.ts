import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toMicros } from '../../src/domain/money';
import { bracketPrices } from '../../src/domain/risk';

const base = { side: 'buy' as const, stopLossPct: 2, takeProfitPct: 6 };

describe('bracketPrices', () => {
  it('uses the percent defaults: stop 2 % below, target 6 % above', () => {
    expect(bracketPrices({ ...base, entryPrice: '100.00' })).toEqual({
      stopPrice: '98.00',
      takeProfitPrice: '106.00',
      method: 'percent',
    });
  });

  it('rounds the stop down and the target up to the tick', () => {
    // 2 % of 33.33 = 0.6666 → stop 32.6634 → 32.66; 6 % → 35.3298 → 35.33
    expect(bracketPrices({ ...base, entryPrice: '33.33' })).toMatchObject({
      stopPrice: '32.66',
      takeProfitPrice: '35.33',
    });
    // Below $1 the tick is 0.0001.
    expect(bracketPrices({ ...base, entryPrice: '0.5123' })).toMatchObject({
      stopPrice: '0.5020',
      takeProfitPrice: '0.5431',
    });
  });

  it('uses ATR × multiplier when given, keeping the reward-to-risk ratio', () => {
    const p = bracketPrices({ ...base, entryPrice: '50.00', atr: 0.8, atrMultiplier: 1.5 });
    expect(p).toEqual({ stopPrice: '48.80', takeProfitPrice: '53.60', method: 'atr' });
    expect(bracketPrices({ ...base, entryPrice: '50.00', atr: null }).method).toBe('percent');
    expect(bracketPrices({ ...base, entryPrice: '50.00', atr: 0 }).method).toBe('percent');
  });

  it('keeps both legs at least a cent from the entry', () => {
    expect(
      bracketPrices({ ...base, entryPrice: '5.00', stopLossPct: 0.1, takeProfitPct: 0.1 }),
    ).toMatchObject({
      stopPrice: '4.99',
      takeProfitPrice: '5.01',
    });
  });

  it('refuses impossible brackets', () => {
    expect(() => bracketPrices({ ...base, entryPrice: '10.00', atr: 8, atrMultiplier: 1.5 })).toThrow(
      /not below the entry/,
    );
    expect(() => bracketPrices({ ...base, entryPrice: '0.01' })).toThrow(/above \$0.01/);
    expect(() => bracketPrices({ ...base, entryPrice: '10', stopLossPct: 0 })).toThrow(/stopLossPct/);
    expect(() => bracketPrices({ ...base, entryPrice: 'abc' })).toThrow(/decimal/);
  });

  it('property: stop ≤ entry − $0.01 < entry < entry + $0.01 ≤ target, on the tick', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 200, max: 100_000_000 }).map((c) => (c / 100).toFixed(2)),
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        fc.double({ min: 0.1, max: 100, noNaN: true }),
        fc.option(fc.double({ min: 0.001, max: 5, noNaN: true }), { nil: null }),
        (entryPrice, stopLossPct, takeProfitPct, atr) => {
          let p;
          try {
            p = bracketPrices({
              entryPrice,
              side: 'buy',
              stopLossPct,
              takeProfitPct,
              atr,
              atrMultiplier: 1.5,
            });
          } catch (err) {
            expect((err as Error).message).toMatch(/not below the entry|no positive stop/);
            return;
          }
          const entry = toMicros(entryPrice);
          const stop = toMicros(p.stopPrice);
          const target = toMicros(p.takeProfitPrice);
          expect(stop).toBeGreaterThan(0n);
          expect(stop).toBeLessThanOrEqual(entry - 10_000n);
          expect(target).toBeGreaterThanOrEqual(entry + 10_000n);
          for (const price of [p.stopPrice, p.takeProfitPrice]) {
            expect(price).toMatch(Number(price) >= 1 ? /^\d+\.\d{2}$/ : /^0\.\d{4}$/);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
