import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  correlationOfReturns,
  datedCorrelation,
  datedReturns,
  pearsonCorrelation,
  returnsFromCloses,
} from '../../src/domain/risk';
import { dated } from './riskKit';

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

describe('datedReturns', () => {
  it('keys each return by the later date, sorting the closes and keeping the last of one date', () => {
    const r = datedReturns([
      { date: '2026-01-05', close: 99 },
      { date: '2026-01-02', close: 100 },
      { date: '2026-01-06', close: 1 },
      { date: '2026-01-06', close: 110 },
    ]);
    expect([...r.keys()]).toEqual(['2026-01-05', '2026-01-06']);
    expect(r.get('2026-01-05')).toBeCloseTo(-0.01, 12);
    expect(r.get('2026-01-06')).toBeCloseTo(110 / 99 - 1, 12);
    expect(datedReturns([{ date: '2026-01-02', close: 100 }]).size).toBe(0);
    expect(Number.isNaN(datedReturns(dated([100, -1])).get('2026-01-02'))).toBe(true);
  });
});

describe('datedCorrelation', () => {
  const closes = [100, 101, 99, 102, 104, 103, 106, 105, 108, 110];

  it('aligns two series by the dates they share, not by position', () => {
    const a = dated(closes);
    // b lacks 2026-01-04 (a halt) and has an extra older close: by index everything would shift.
    const b = dated([50, ...closes.map((c) => c * 2)], '2025-12-31').filter((c) => c.date !== '2026-01-04');
    const got = datedCorrelation(a, b);
    // Common dates: every return date of a but 01-04 (b's return of 01-05 spans the gap).
    const common = [...datedReturns(a).keys()].filter((d) => d !== '2026-01-04');
    expect(got.points).toBe(common.length);
    const ra = datedReturns(a);
    const rb = datedReturns(b);
    expect(got.r).toBeCloseTo(
      pearsonCorrelation(
        common.map((d) => ra.get(d)!),
        common.map((d) => rb.get(d)!),
      )!,
      12,
    );
    // Twins but for the two-day return after the gap; an index alignment of the same arrays reads far less.
    expect(got.r!).toBeGreaterThan(0.85);
    expect(
      pearsonCorrelation(returnsFromCloses(closes), returnsFromCloses(b.map((c) => c.close)))!,
    ).toBeLessThan(0.5);
  });

  it.each([
    [
      'no common dates',
      dated(closes),
      dated(closes, '2026-03-01'),
      { r: null, points: 0, problem: 'too_few_points' },
    ],
    [
      'two common returns',
      dated(closes),
      dated([1, 2, 3], '2026-01-08'),
      { r: null, points: 2, problem: 'too_few_points' },
    ],
    ['a zero close', dated(closes), dated([1, 2, 0, 4, 5]), { r: null, points: 4, problem: 'not_finite' }],
    ['a NaN close', dated(closes), dated([1, 2, NaN, 4, 5]), { r: null, points: 4, problem: 'not_finite' }],
    ['a flat series', dated(closes), dated([7, 7, 7, 7, 7]), { r: null, points: 4, problem: 'constant' }],
    ['three common returns', dated(closes), dated([1, 2, 3, 4]), { r: expect.any(Number), points: 3 }],
  ])('%s', (_name, a, b, expected) => {
    expect(datedCorrelation(a, b)).toEqual(expected);
  });

  it('property: equals pearsonCorrelation on series of the same dates, and is symmetric', () => {
    const series = fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 0, maxLength: 25 });
    fc.assert(
      fc.property(series, series, (x, y) => {
        const n = Math.min(x.length, y.length);
        const a = dated(x.slice(0, n));
        const b = dated(y.slice(0, n));
        const got = datedCorrelation(a, b);
        const expected = pearsonCorrelation(
          returnsFromCloses(x.slice(0, n)),
          returnsFromCloses(y.slice(0, n)),
        );
        if (expected === null) expect(got.r).toBeNull();
        else expect(got.r).toBeCloseTo(expected, 12);
        const back = correlationOfReturns(datedReturns(b), datedReturns(a));
        expect(back.points).toBe(got.points);
        if (got.r === null) expect(back.r).toBeNull();
        else expect(back.r).toBeCloseTo(got.r, 12);
      }),
    );
  });
});
