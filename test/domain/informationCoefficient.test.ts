import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { averageRanks, spearman, summarizeIc } from '../../src/domain/backtest/informationCoefficient';

describe('averageRanks', () => {
  it('ranks ascending from 1, ties sharing their average rank', () => {
    expect(averageRanks([30, 10, 20])).toEqual([3, 1, 2]);
    expect(averageRanks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
    expect(averageRanks([5, 5, 5])).toEqual([2, 2, 2]);
    expect(averageRanks([])).toEqual([]);
  });
});

describe('spearman', () => {
  it('matches known values', () => {
    // Textbook example: d² = [1, 1, 4, 0, 4] → ρ = 1 − 6·10 / (5·24) = 0.5.
    expect(spearman([1, 2, 3, 4, 5], [2, 1, 5, 4, 3])).toBeCloseTo(0.5, 12);
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    // Pearson would not be 1 here; the ranks agree exactly.
    expect(spearman([1, 2, 3, 4], [1, 10, 100, 1000])).toBeCloseTo(1, 12);
  });

  it('handles ties with average ranks', () => {
    // x ranks [1, 2.5, 2.5, 4], y ranks [1, 2, 3, 4]: Pearson of those = 4.5 / √(4.5·5).
    expect(spearman([1, 2, 2, 3], [1, 2, 3, 4])).toBeCloseTo(4.5 / Math.sqrt(4.5 * 5), 12);
    // A factor that is neutral (50) for most candidates and high for one.
    const news = [50, 50, 50, 80, 50];
    const ret = [-0.01, 0.0, 0.01, 0.03, 0.02];
    // x ranks [2.5, 2.5, 2.5, 5, 2.5], y ranks [1, 2, 3, 5, 4]: sxy = 5, sxx = 5, syy = 10.
    const r = spearman(news, ret)!;
    expect(r).toBeCloseTo(5 / Math.sqrt(5 * 10), 12);
  });

  it('is undefined with fewer than three pairs or without variance', () => {
    expect(spearman([], [])).toBeUndefined();
    expect(spearman([1, 2], [1, 2])).toBeUndefined();
    expect(spearman([7, 7, 7, 7], [1, 2, 3, 4])).toBeUndefined();
    expect(spearman([1, 2, 3, 4], [0, 0, 0, 0])).toBeUndefined();
  });

  it('leaves out pairs with a non-finite member', () => {
    expect(spearman([1, 2, NaN, 3, 4], [1, 2, 99, 3, 4])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3], [1, Infinity, 3])).toBeUndefined();
  });

  it('refuses series of different lengths', () => {
    expect(() => spearman([1, 2, 3], [1, 2])).toThrow(RangeError);
  });

  const pairs = fc
    .integer({ min: 3, max: 40 })
    .chain((n) =>
      fc.tuple(
        fc.array(fc.integer({ min: -20, max: 20 }), { minLength: n, maxLength: n }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
      ),
    );

  it('property: within [−1, 1] and symmetric', () => {
    fc.assert(
      fc.property(pairs, ([x, y]) => {
        const r = spearman(x, y);
        const s = spearman(y, x);
        if (r === undefined) return s === undefined;
        return r >= -1 && r <= 1 && s !== undefined && Math.abs(r - s) < 1e-12;
      }),
    );
  });

  it('property: unchanged under strictly increasing transforms, negated under decreasing ones', () => {
    fc.assert(
      fc.property(pairs, ([x, y]) => {
        const r = spearman(x, y);
        const up = spearman(
          x.map((v) => v ** 3 + 2 * v + 5),
          y.map((v) => v * 4), // exact in floating point: no two values collapse
        );
        const down = spearman(
          x.map((v) => -7 * v),
          y,
        );
        if (r === undefined) return up === undefined && down === undefined;
        return Math.abs(up! - r) < 1e-12 && Math.abs(down! + r) < 1e-12;
      }),
    );
  });

  it('property: a perfect monotone relation gives 1 (and −1 reversed)', () => {
    const distinct = fc.uniqueArray(fc.double({ min: -1e6, max: 1e6, noNaN: true }), {
      minLength: 3,
      maxLength: 50,
    });
    fc.assert(
      fc.property(distinct, (x) => {
        const y = x.map((v) => Math.atan(v / 1000) * 10 + 1); // strictly increasing on this range
        if (new Set(y).size !== y.length) return true; // collapsed by rounding: not a strict relation
        return (
          Math.abs(spearman(x, y)! - 1) < 1e-12 &&
          Math.abs(
            spearman(
              x,
              y.map((v) => -v),
            )! + 1,
          ) < 1e-12
        );
      }),
    );
  });
});

describe('summarizeIc', () => {
  it('mean, sample sd, count and t', () => {
    const s = summarizeIc([0.1, 0.2, 0.3, 0.4]);
    expect(s.n).toBe(4);
    expect(s.meanIc).toBeCloseTo(0.25, 12);
    const sd = Math.sqrt((0.15 ** 2 + 0.05 ** 2 + 0.05 ** 2 + 0.15 ** 2) / 3);
    expect(s.sd).toBeCloseTo(sd, 12);
    expect(s.t).toBeCloseTo(0.25 / (sd / 2), 9);
  });

  it('skips cycles without an IC', () => {
    expect(summarizeIc([0.1, undefined, null, NaN, 0.3])).toMatchObject({ n: 2, meanIc: 0.2 });
  });

  it('is null where undefined: no ICs, one IC, no spread', () => {
    expect(summarizeIc([])).toEqual({ meanIc: null, sd: null, n: 0, t: null });
    expect(summarizeIc([0.2])).toEqual({ meanIc: 0.2, sd: null, n: 1, t: null });
    expect(summarizeIc([0.2, 0.2, 0.2])).toMatchObject({ sd: 0, n: 3, t: null });
  });

  it('property: the sign of t is the sign of the mean', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 2, maxLength: 60 }),
        (ics) => {
          const s = summarizeIc(ics);
          if (s.t === null) return true;
          return Math.sign(s.t) === Math.sign(s.meanIc!);
        },
      ),
    );
  });
});
