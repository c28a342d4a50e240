import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { patternFactor, type PatternDirection, type PatternHit } from '../../../src/domain/patterns';

const hit = (direction: PatternDirection, confidence: number): PatternHit => ({
  pattern: `p-${direction}-${confidence}`,
  kind: 'setup',
  direction,
  confidence,
  barIndex: 0,
  reason: '',
});

const arbHit = fc
  .tuple(
    fc.constantFrom<PatternDirection>('bullish', 'bearish', 'neutral'),
    fc.double({ min: 0, max: 1, noNaN: true }),
  )
  .map(([d, c]) => hit(d, c));

describe('patternFactor', () => {
  it('is 50 with no pattern or only neutral ones', () => {
    expect(patternFactor([])).toBe(50);
    expect(patternFactor([hit('neutral', 1), hit('neutral', 0.4)])).toBe(50);
  });

  it('rises with bullish evidence, falls with bearish, symmetrically', () => {
    const up = patternFactor([hit('bullish', 0.8)]);
    const down = patternFactor([hit('bearish', 0.8)]);
    expect(up).toBeCloseTo(50 + 50 * Math.tanh(0.8), 12);
    expect(down).toBeCloseTo(100 - up, 12);
    expect(patternFactor([hit('bullish', 0.6), hit('bearish', 0.6)])).toBe(50);
  });

  it('weights by confidence', () => {
    expect(patternFactor([hit('bullish', 0.9)])).toBeGreaterThan(patternFactor([hit('bullish', 0.3)]));
    expect(patternFactor([hit('bullish', 0)])).toBe(50);
  });

  it('stays within [0, 100] and treats a malformed confidence as none or full', () => {
    const many = Array.from({ length: 1000 }, () => hit('bullish', 1));
    expect(patternFactor(many)).toBeLessThanOrEqual(100);
    expect(patternFactor(many.map((h) => ({ ...h, direction: 'bearish' as const })))).toBeGreaterThanOrEqual(
      0,
    );
    expect(patternFactor([hit('bullish', NaN)])).toBe(50);
    expect(patternFactor([hit('bullish', -3)])).toBe(50);
    expect(patternFactor([hit('bullish', 7)])).toBe(patternFactor([hit('bullish', 1)]));
  });

  it('is bounded, order-free and monotone in added bullish evidence, for any hits', () => {
    fc.assert(
      fc.property(fc.array(arbHit, { maxLength: 30 }), arbHit, (hits, extra) => {
        const f = patternFactor(hits);
        expect(f).toBeGreaterThanOrEqual(0);
        expect(f).toBeLessThanOrEqual(100);
        expect(patternFactor([...hits].reverse())).toBeCloseTo(f, 9);
        const withBull = patternFactor([...hits, { ...extra, direction: 'bullish' }]);
        const withBear = patternFactor([...hits, { ...extra, direction: 'bearish' }]);
        expect(withBull).toBeGreaterThanOrEqual(f - 1e-9);
        expect(withBear).toBeLessThanOrEqual(f + 1e-9);
      }),
      { numRuns: 1000 },
    );
  });
});
