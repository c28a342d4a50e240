import { describe, expect, it } from 'vitest';
import { maxMicros, microsToDecimal, minMicros, percentOf, toMicros } from '../../src/domain/money';

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
