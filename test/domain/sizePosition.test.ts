import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentOf, toMicros } from '../../src/domain/money';
import { sizePosition, usd } from '../../src/domain/risk';

const base = {
  equity: '100000',
  buyingPower: '400000',
  entryPrice: '50.00',
  stopPrice: '49.00',
  riskPerTradePct: 1,
  minPositionSize: '100',
  maxPositionSize: '5000',
};

describe('sizePosition', () => {
  it('sizes from the risk budget when that is the binding cap', () => {
    // $1,000 budget ÷ $1.00 per share = 1000 shares, but $5,000 max → 100 shares.
    expect(sizePosition(base)).toEqual({
      qty: 100,
      notional: '5000.00',
      riskAmount: '100.00',
      riskBudget: '1000.00',
      limitedBy: 'max_position_size',
    });
    expect(sizePosition({ ...base, equity: '9600', maxPositionSize: '50000' })).toEqual({
      qty: 96,
      notional: '4800.00',
      riskAmount: '96.00',
      riskBudget: '96.00',
      limitedBy: 'risk',
    });
  });

  it('is capped by buying power', () => {
    expect(sizePosition({ ...base, buyingPower: '1234.56' })).toMatchObject({
      qty: 24,
      notional: '1200.00',
      limitedBy: 'buying_power',
    });
  });

  it('keeps exact micros for sub-cent prices', () => {
    expect(
      sizePosition({
        ...base,
        entryPrice: '0.5123',
        stopPrice: '0.5020',
        maxPositionSize: '1000',
        minPositionSize: '0',
      }),
    ).toMatchObject({
      qty: 1951,
      notional: '999.4973',
      riskAmount: '20.0953',
    });
  });

  it('explains every refusal', () => {
    expect(sizePosition({ ...base, minPositionSize: '5001' })).toEqual({
      qty: 0,
      reason:
        'position $5,000.00 (100 shares, limited by max position size) is below the min position size $5,001.00',
      binding: 'max_position_size',
    });
    expect(sizePosition({ ...base, entryPrice: '6000', stopPrice: '5900' })).toEqual({
      qty: 0,
      reason: 'one share at $6,000.00 exceeds the max position size $5,000.00',
      binding: 'max_position_size',
    });
    expect(sizePosition({ ...base, buyingPower: '10' })).toMatchObject({
      qty: 0,
      reason: expect.stringMatching(/buying power \$10.00/),
    });
    expect(sizePosition({ ...base, equity: '100', stopPrice: '40' })).toMatchObject({
      qty: 0,
      reason: expect.stringMatching(/risk budget \$1.00/),
    });
    expect(sizePosition({ ...base, stopPrice: '50' })).toMatchObject({
      qty: 0,
      reason: expect.stringMatching(/not below entry/),
    });
    expect(sizePosition({ ...base, equity: '-5' })).toMatchObject({
      qty: 0,
      reason: expect.stringMatching(/no risk budget/),
    });
  });

  it('is capped by the remaining daily loss budget, and names it when no share fits', () => {
    // $1.00 of risk a share.
    expect(sizePosition({ ...base, lossBudget: '37.99' })).toMatchObject({
      qty: 37,
      riskAmount: '37.00',
      limitedBy: 'loss_budget',
    });
    // A tie with another cap names the other cap.
    expect(sizePosition({ ...base, lossBudget: '100' })).toMatchObject({
      qty: 100,
      limitedBy: 'max_position_size',
    });
    expect(sizePosition({ ...base, lossBudget: '0.99' })).toEqual({
      qty: 0,
      reason:
        "remaining daily loss budget $0.99 is less than one share's risk $1.00 (entry 50.00, stop 49.00)",
      binding: 'loss_budget',
    });
    expect(sizePosition({ ...base, lossBudget: '-5' })).toMatchObject({ qty: 0, binding: 'loss_budget' });
    expect(sizePosition({ ...base, lossBudget: '1.50' })).toEqual({
      qty: 0,
      reason: 'position $50.00 (1 shares, limited by loss budget) is below the min position size $100.00',
      binding: 'loss_budget',
    });
  });

  it('names the money it spends as it is told', () => {
    expect(sizePosition({ ...base, buyingPower: '10', spendableLabel: 'cash' })).toEqual({
      qty: 0,
      reason: 'cash $10.00 is less than one share at $50.00',
      binding: 'buying_power',
    });
  });

  it('formats dollars for people', () => {
    expect(usd(toMicros('1234567.891'))).toBe('$1,234,567.89');
    expect(usd(toMicros('-20'))).toBe('-$20.00');
  });

  it('property: never exceeds max size, buying power, the risk budget or the loss budget; never below min size', () => {
    const money = (min: number, max: number) =>
      fc.integer({ min: min * 100, max: max * 100 }).map((c) => (c / 100).toFixed(2));
    fc.assert(
      fc.property(
        money(0, 1_000_000),
        money(0, 1_000_000),
        money(1, 2000),
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        money(0, 1000),
        money(1, 50_000),
        fc.option(money(0, 20_000), { nil: undefined }),
        (
          equity,
          buyingPower,
          entryPrice,
          stopFrac,
          riskPerTradePct,
          minPositionSize,
          maxPositionSize,
          lossBudget,
        ) => {
          const stopPrice = Math.max(0.01, Number(entryPrice) * (1 - stopFrac)).toFixed(2);
          const r = sizePosition({
            equity,
            buyingPower,
            entryPrice,
            stopPrice,
            riskPerTradePct,
            minPositionSize,
            maxPositionSize,
            ...(lossBudget === undefined ? {} : { lossBudget }),
          });
          if (r.qty === 0) {
            expect('reason' in r && r.reason.length > 0).toBe(true);
            return;
          }
          if (!('notional' in r)) throw new Error('unreachable');
          expect(Number.isInteger(r.qty)).toBe(true);
          const notional = toMicros(r.notional);
          expect(notional).toBe(toMicros(entryPrice) * BigInt(r.qty));
          expect(notional).toBeLessThanOrEqual(toMicros(maxPositionSize));
          expect(notional).toBeLessThanOrEqual(toMicros(buyingPower));
          expect(notional).toBeGreaterThanOrEqual(toMicros(minPositionSize));
          expect(toMicros(r.riskAmount)).toBeLessThanOrEqual(percentOf(toMicros(equity), riskPerTradePct));
          if (lossBudget !== undefined)
            expect(toMicros(r.riskAmount)).toBeLessThanOrEqual(toMicros(lossBudget));
          expect(toMicros(r.riskAmount)).toBe((toMicros(entryPrice) - toMicros(stopPrice)) * BigInt(r.qty));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
