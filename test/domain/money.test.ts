import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  maxMicros,
  microsToDecimal,
  minMicros,
  percentOf,
  roundPrice,
  toMicros,
} from '../../src/domain/money';

describe('money helpers', () => {
  it('microsToDecimal keeps every significant place and at least cents', () => {
    expect(microsToDecimal(toMicros('96'))).toBe('96.00');
    expect(microsToDecimal(toMicros('12.3456'))).toBe('12.3456');
    expect(microsToDecimal(toMicros('-0.000001'))).toBe('-0.000001');
  });

  it('percentOf is exact and never overstates', () => {
    expect(percentOf(toMicros('100000'), 1)).toBe(toMicros('1000'));
    expect(percentOf(toMicros('9600'), '1.0')).toBe(toMicros('96'));
    expect(percentOf(toMicros('0.000099'), 1)).toBe(0n); // truncated, not rounded up
  });

  it('minMicros / maxMicros', () => {
    expect(minMicros(3n, 1n, 2n)).toBe(1n);
    expect(maxMicros(3n, 1n, 5n)).toBe(5n);
  });
});

describe('roundPrice', () => {
  it('rounds the decimal reading half-up, never the binary value', () => {
    expect(roundPrice(1.005)).toBe('1.01');
    expect(roundPrice(2.675)).toBe('2.68');
    expect(roundPrice(1234567.005)).toBe('1234567.01');
    expect(roundPrice(1.004999)).toBe('1.00');
    expect(roundPrice(0.12345)).toBe('0.1235');
    expect(roundPrice(0.5)).toBe('0.5000');
    expect(roundPrice(10)).toBe('10.00');
    expect(roundPrice(0)).toBe('0.0000');
  });

  it('floors and ceils to the tick, ignoring binary noise', () => {
    expect(roundPrice(10 * 1.005, 'up')).toBe('10.05'); // 10.049999999999999 in binary
    expect(roundPrice(9.991, 'down')).toBe('9.99');
    expect(roundPrice(9.991, 'up')).toBe('10.00');
    expect(roundPrice(0.99999, 'up')).toBe('1.0000');
    expect(roundPrice(12.3, 'up')).toBe('12.30');
  });

  it('agrees with exact decimal half-up rounding of any price with up to 6 decimals', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (micros) => {
        const price = micros / 1e6;
        const places = price >= 1 ? 2 : 4;
        const step = 10n ** BigInt(6 - places);
        const m = BigInt(micros);
        const expected = (m / step + (m % step >= step / 2n ? 1n : 0n)).toString().padStart(places + 1, '0');
        expect(roundPrice(price)).toBe(`${expected.slice(0, -places)}.${expected.slice(-places)}`);
      }),
      { numRuns: 20_000 },
    );
  });

  it('refuses what is not a price', () => {
    expect(() => roundPrice(Number.NaN)).toThrow(RangeError);
    expect(() => roundPrice(-1)).toThrow(RangeError);
  });
});
