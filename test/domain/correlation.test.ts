import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pearsonCorrelation, returnsFromCloses } from '../../src/domain/risk';

describe('returnsFromCloses', () => {
  it('computes simple returns', () => {
    const r = returnsFromCloses([100, 110, 99]);
    expect(r[0]).toBeCloseTo(0.1, 12);
    expect(r[1]).toBeCloseTo(-0.1, 12);
    expect(returnsFromCloses([100])).toEqual([]);
    expect(returnsFromCloses([100, 0, 100]).every(Number.isNaN)).toBe(true);
  });
});

describe('pearsonCorrelation', () => {
  it('recognises perfect, inverse and no correlation', () => {
    expect(pearsonCorrelation([1, 2, 3, 4], [2, 4, 6, 8])).toBeCloseTo(1, 12);
    expect(pearsonCorrelation([1, 2, 3, 4], [8, 6, 4, 2])).toBeCloseTo(-1, 12);
    expect(pearsonCorrelation([1, 2, 3, 4], [1, -1, -1, 1])).toBeCloseTo(0, 12);
  });

  it('aligns series at their most recent end', () => {
    expect(pearsonCorrelation([99, 99, 1, 2, 3], [10, 20, 30])).toBeCloseTo(1, 12);
  });

  it('is null when undefined: too short, constant, or not finite', () => {
    expect(pearsonCorrelation([1, 2], [1, 2])).toBeNull();
    expect(pearsonCorrelation([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(pearsonCorrelation([0.01, 0.01, 0.01, 0.01], [1, 2, 3, 4])).toBeNull();
    expect(pearsonCorrelation([1, NaN, 3], [1, 2, 3])).toBeNull();
  });

  it('property: symmetric and within −1..1', () => {
    const series = fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 30 });
    fc.assert(
      fc.property(series, series, (a, b) => {
        const r = pearsonCorrelation(a, b);
        const s = pearsonCorrelation(b, a);
        if (r === null) {
          expect(s).toBeNull();
          return;
        }
        expect(r).toBeGreaterThanOrEqual(-1);
        expect(r).toBeLessThanOrEqual(1);
        expect(s).toBeCloseTo(r, 10);
      }),
    );
  });
});
