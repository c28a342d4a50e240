/**
 * The candlestick detectors against technicalindicators, the oracle: same boolean on crafted
 * patterns, on fixed sessions and on generated sequences (tick-grid, continuous, and jittered
 * copies of the crafted patterns so that both outcomes occur). Hammer and shooting star have
 * their own test below: the oracle's trend check is broken (see hammer.ts).
 */
import fc from 'fast-check';
import {
  bearishengulfingpattern,
  bearishharami,
  bullishengulfingpattern,
  bullishharami,
  doji,
  eveningstar,
  morningstar,
  threeblackcrows,
  threewhitesoldiers,
} from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import type { OhlcvBars } from '../../../src/domain/indicators/kernels/bars';
import {
  CANDLESTICKS,
  approxEqual,
  isBearishEngulfing,
  isBearishHarami,
  isBullishEngulfing,
  isBullishHarami,
  isDoji,
  isEveningStar,
  isMorningStar,
  isThreeBlackCrows,
  isThreeWhiteSoldiers,
} from '../../../src/domain/patterns';
import { CRAFTED } from './crafted';
import { arbCandles, seededCandles, toBars, window, type PlainCandles } from './fixtures';

interface Case {
  name: string;
  span: number;
  ours: (bars: OhlcvBars, i: number) => boolean;
  oracle: (data: PlainCandles) => boolean;
}

const CASES: Case[] = [
  { name: 'bullish_engulfing', span: 2, ours: isBullishEngulfing, oracle: bullishengulfingpattern },
  { name: 'bearish_engulfing', span: 2, ours: isBearishEngulfing, oracle: bearishengulfingpattern },
  { name: 'bullish_harami', span: 2, ours: isBullishHarami, oracle: bullishharami },
  { name: 'bearish_harami', span: 2, ours: isBearishHarami, oracle: bearishharami },
  { name: 'morning_star', span: 3, ours: isMorningStar, oracle: morningstar },
  { name: 'evening_star', span: 3, ours: isEveningStar, oracle: eveningstar },
  { name: 'three_white_soldiers', span: 3, ours: isThreeWhiteSoldiers, oracle: threewhitesoldiers },
  { name: 'three_black_crows', span: 3, ours: isThreeBlackCrows, oracle: threeblackcrows },
  { name: 'doji', span: 1, ours: isDoji, oracle: doji },
];

/** Compares at every index where a whole pattern fits; returns how many matched positively. */
function compareAll(c: Case, bars: OhlcvBars): number {
  let fired = 0;
  for (let i = c.span - 1; i < bars.length; i++) {
    const ours = c.ours(bars, i);
    const theirs = c.oracle(window(bars, i, c.span)) === true;
    if (ours !== theirs) {
      const w = window(bars, i, c.span);
      expect.fail(`${c.name} at ${i}: ours ${ours}, oracle ${theirs}, candles ${JSON.stringify(w)}`);
    }
    if (ours) fired++;
  }
  return fired;
}

describe('candlestick detectors vs technicalindicators', () => {
  it('the registry lists every compared pattern with its span', () => {
    for (const c of CASES) {
      const def = CANDLESTICKS.find((d) => d.name === c.name);
      expect(def?.span, c.name).toBe(c.span);
      expect(def?.detect, c.name).toBe(c.ours);
    }
  });

  for (const c of CASES) {
    describe(c.name, () => {
      it('fires on the crafted example, as the oracle does', () => {
        const bars = toBars(CRAFTED[c.name]!);
        const last = bars.length - 1;
        expect(c.oracle(window(bars, last, c.span))).toBe(true);
        expect(c.ours(bars, last)).toBe(true);
      });

      it('agrees on fixed sessions, and finds the crafted example appended to one', () => {
        for (const seed of [1, 2, 3, 4]) {
          const bars = toBars([...seededCandles(400, seed, 10), ...CRAFTED[c.name]!]);
          compareAll(c, bars);
          expect(c.ours(bars, bars.length - 1)).toBe(true);
        }
      });

      it('agrees on 2,000 generated sequences, firing on some', () => {
        let fired = 0;
        let evaluated = 0;
        fc.assert(
          fc.property(arbCandles(c.span, c.span + 4, [CRAFTED[c.name]!]), (candles) => {
            const bars = toBars(candles);
            evaluated += bars.length - c.span + 1;
            fired += compareAll(c, bars);
          }),
          { numRuns: 2000 },
        );
        // Non-vacuous: both outcomes occur in quantity.
        expect(fired).toBeGreaterThan(50);
        expect(evaluated - fired).toBeGreaterThan(50);
      });

      it('is false where the pattern does not fit', () => {
        const bars = toBars(CRAFTED[c.name]!);
        expect(c.ours(bars, c.span - 2)).toBe(false);
        expect(c.ours(bars, bars.length)).toBe(false);
      });
    });
  }
});

describe('approxEqual', () => {
  // With shadows far from open and close, technicalindicators' doji is exactly approximateEqual(open, close).
  const oracle = (a: number, b: number): boolean =>
    doji({ open: [a], close: [b], high: [Math.max(a, b) * 2], low: [Math.min(a, b) / 2] }) === true;

  it('counts rounding ties as equal, as the oracle does', () => {
    expect(approxEqual(10, 10.01)).toBe(true);
    expect(approxEqual(10, 10.01000001)).toBe(true); // 0.01000001 rounds to 0.01000
    expect(oracle(10, 10.01000001)).toBe(true);
    expect(approxEqual(10, 10.0105)).toBe(false);
    expect(approxEqual(10.01, 10)).toBe(true); // tolerance from the first argument
    expect(approxEqual(NaN, 1)).toBe(false);
  });

  it('matches the oracle around the tolerance boundary', () => {
    let equal = 0;
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 5000, noNaN: true }),
        fc.double({ min: -0.0012, max: 0.0012, noNaN: true }),
        fc.integer({ min: 0, max: 4 }),
        (a, rel, digits) => {
          // Round b to a few decimals sometimes, so exact-boundary prices occur.
          const raw = a * (1 + rel);
          const b = digits === 4 ? raw : Number(raw.toFixed(digits));
          const ours = approxEqual(a, b);
          expect(ours, `${a} ${b}`).toBe(oracle(a, b));
          if (ours) equal++;
        },
      ),
      { numRuns: 5000 },
    );
    expect(equal).toBeGreaterThan(500);
  });

  it('matches the oracle just past the tolerance, where only the rounding decides', () => {
    // |a − b| a hair above a × 0.001: the band where the fast path defers to toPrecision.
    const inBand = { equal: 0, unequal: 0 };
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 5000, noNaN: true }),
        fc.double({ min: 0, max: 0.002, noNaN: true }),
        fc.boolean(),
        (a, over, up) => {
          const d = a * 0.001 * (1 + over);
          const b = up ? a + d : a - d;
          const ours = approxEqual(a, b);
          expect(ours, `${a} ${b}`).toBe(oracle(a, b));
          if (Math.abs(a - b) > a * 0.001) inBand[ours ? 'equal' : 'unequal']++;
        },
      ),
      { numRuns: 5000 },
    );
    expect(inBand.equal).toBeGreaterThan(100);
    expect(inBand.unequal).toBeGreaterThan(100);
  });
});
