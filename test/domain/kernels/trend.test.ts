import fc from 'fast-check';
import { CrossDown, CrossUp, EMA } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { crossFrom, emaCrossSeries, emaSeries } from '../../../src/domain/indicators/kernels';
import {
  aligned,
  arbBars,
  expectSeriesClose,
  seededBars,
  series,
  toKernel,
  type PlainBars,
} from './fixtures';

function checkEma(b: PlainBars): void {
  const n = b.close.length;
  const out = { fast: series(n), slow: series(n), state: series(n), cross: series(n) };
  emaCrossSeries(toKernel(b), out);
  const e9 = aligned(EMA.calculate({ period: 9, values: b.close }), n);
  const e21 = aligned(EMA.calculate({ period: 21, values: b.close }), n);
  expectSeriesClose(out.fast, e9, 'ema9');
  expectSeriesClose(out.slow, e21, 'ema21');

  // Cross events against technicalindicators' CrossUp/CrossDown over the bars where both EMAs
  // exist. They differ by design only until the EMAs have first differed (see ema.ts), so compare
  // after that bar.
  if (n < 21) {
    expect([...out.state, ...out.cross].every(Number.isNaN)).toBe(true);
    return;
  }
  expect(out.state.slice(0, 20).every(Number.isNaN)).toBe(true);
  const a = e9.slice(20);
  const bb = e21.slice(20);
  const up = CrossUp.calculate({ lineA: a, lineB: bb });
  const down = CrossDown.calculate({ lineA: a, lineB: bb });
  const firstSided = a.findIndex((x, j) => x !== bb[j]);
  for (let j = 0; j < a.length; j++) {
    const i = j + 20;
    expect(out.state[i]).toBe(Math.sign(out.fast[i]! - out.slow[i]!));
    if (firstSided === -1 || j <= firstSided) {
      expect(out.cross[i], `cross[${i}]`).toBe(0);
      continue;
    }
    expect(out.cross[i], `cross[${i}]`).toBe(up[j] ? 1 : down[j] ? -1 : 0);
  }
}

describe('emaSeries / emaCrossSeries (9, 21)', () => {
  it('matches technicalindicators on fixed sessions', () => {
    for (const seed of [1, 2, 3]) checkEma(seededBars(390, seed));
  });

  it('matches technicalindicators on random bars', () => {
    fc.assert(
      fc.property(arbBars(), (b) => checkEma(b)),
      { numRuns: 200 },
    );
  });

  it('seeds at period − 1 and is all NaN below the period', () => {
    const v = Float64Array.from([1, 2, 3, 4, 5]);
    const out = series(5);
    emaSeries(v, 5, out, 3);
    expect(out[0]).toBeNaN();
    expect(out[1]).toBeNaN();
    expect(out[2]).toBe(2);
    expect(out[3]).toBe(3);
    emaSeries(v, 2, out.fill(0), 3);
    expect(out[0]).toBeNaN();
    expect(out[1]).toBeNaN();
    expect(out[2]).toBe(0);
  });

  it('reports one cross per side change, ignoring a touch and crossing through equality once', () => {
    const fast = Float64Array.from([1, 2, 2, 3, 2, 1, 2, 3]);
    const slow = new Float64Array(fast.length).fill(2);
    const out = { fast, slow, state: series(fast.length), cross: series(fast.length) };
    const lastSide = crossFrom(out, 0, fast.length, 0);
    expect([...out.state]).toEqual([-1, 0, 0, 1, 0, -1, 0, 1]);
    // Bar 0 has no earlier side, bar 3 crosses up through two equal bars, 5 down, 7 up.
    expect([...out.cross]).toEqual([0, 0, 0, 1, 0, -1, 0, 1]);
    expect(lastSide).toBe(1);
    // A touch (1 → 0 → 1) is not a cross.
    const touch = {
      fast: Float64Array.from([3, 2, 3]),
      slow: Float64Array.from([2, 2, 2]),
      state: series(3),
      cross: series(3),
    };
    crossFrom(touch, 0, 3, 0);
    expect([...touch.cross]).toEqual([0, 0, 0]);
  });
});
