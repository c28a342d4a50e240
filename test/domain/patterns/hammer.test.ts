/**
 * Hammer and shooting star against technicalindicators. The oracle's trend check compares two
 * one-element arrays with `>`, i.e. as strings (see src/domain/patterns/hammer.ts), so:
 *  - where the string and numeric comparisons agree, we must equal hammerpattern/shootingstar;
 *  - everywhere, we must equal the oracle repaired: its own hammer-stick detectors on bar 4 and
 *    its confirmation rule on bar 5, with the trend compared as numbers.
 */
import fc from 'fast-check';
import {
  bearishhammerstick,
  bearishinvertedhammerstick,
  bullishhammerstick,
  bullishinvertedhammerstick,
  hammerpattern,
  shootingstar,
} from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import type { OhlcvBars } from '../../../src/domain/indicators/kernels/bars';
import { isHammer, isShootingStar } from '../../../src/domain/patterns';
import { CRAFTED } from './crafted';
import { arbCandles, seededCandles, toBars, window, type PlainCandles } from './fixtures';

/** averagegain / averageloss over the first three closes with period 2, as the oracle builds them. */
function gainLoss(w: PlainCandles): { gain: number; loss: number } {
  let gain = 0;
  let loss = 0;
  for (let k = 1; k < 3; k++) {
    const d = w.close[k]! - w.close[k - 1]!;
    if (d > 0) gain += d;
    if (-d > 0) loss += -d;
  }
  return { gain: gain / 2, loss: loss / 2 };
}

const stick = (w: PlainCandles, k: number): PlainCandles => ({
  open: [w.open[k]!],
  high: [w.high[k]!],
  low: [w.low[k]!],
  close: [w.close[k]!],
});

function repairedHammer(w: PlainCandles): boolean {
  const { gain, loss } = gainLoss(w);
  const s = stick(w, 3);
  const isStick =
    bearishhammerstick(s) ||
    bearishinvertedhammerstick(s) ||
    bullishhammerstick(s) ||
    bullishinvertedhammerstick(s);
  return loss > gain && isStick === true && w.open[4]! < w.close[4]! && w.close[3]! < w.close[4]!;
}

function repairedShootingStar(w: PlainCandles): boolean {
  const { gain, loss } = gainLoss(w);
  const s = stick(w, 3);
  const isStick = bearishinvertedhammerstick(s) || bullishinvertedhammerstick(s);
  return gain > loss && isStick === true && w.open[4]! > w.close[4]! && w.close[3]! > w.close[4]!;
}

interface Case {
  name: string;
  ours: (bars: OhlcvBars, i: number) => boolean;
  oracle: (w: PlainCandles) => boolean;
  repaired: (w: PlainCandles) => boolean;
  /** The oracle's trend verdict: the string comparison it actually makes. */
  stringTrend: (g: { gain: number; loss: number }) => boolean;
  numericTrend: (g: { gain: number; loss: number }) => boolean;
}

const CASES: Case[] = [
  {
    name: 'hammer',
    ours: isHammer,
    oracle: hammerpattern,
    repaired: repairedHammer,
    stringTrend: ({ gain, loss }) => String(loss) > String(gain),
    numericTrend: ({ gain, loss }) => loss > gain,
  },
  {
    name: 'shooting_star',
    ours: isShootingStar,
    oracle: shootingstar,
    repaired: repairedShootingStar,
    stringTrend: ({ gain, loss }) => String(gain) > String(loss),
    numericTrend: ({ gain, loss }) => gain > loss,
  },
];

interface Tally {
  fired: number;
  comparedWithOracle: number;
  stringBugCases: number;
}

function compareAll(c: Case, bars: OhlcvBars, t: Tally): void {
  for (let i = 4; i < bars.length; i++) {
    const w = window(bars, i, 5);
    const ours = c.ours(bars, i);
    expect(ours, `${c.name} vs repaired oracle at ${i}: ${JSON.stringify(w)}`).toBe(c.repaired(w));
    const g = gainLoss(w);
    if (c.stringTrend(g) === c.numericTrend(g)) {
      t.comparedWithOracle++;
      expect(ours, `${c.name} vs oracle at ${i}: ${JSON.stringify(w)}`).toBe(c.oracle(w) === true);
    } else {
      t.stringBugCases++;
    }
    if (ours) t.fired++;
  }
}

describe.each(CASES)('$name vs technicalindicators', (c) => {
  it('fires on the crafted example, as the oracle does', () => {
    const bars = toBars(CRAFTED[c.name]!);
    expect(c.oracle(window(bars, 4, 5))).toBe(true);
    expect(c.ours(bars, 4)).toBe(true);
    expect(c.ours(bars, 3)).toBe(false);
    expect(c.ours(bars, 5)).toBe(false);
  });

  it('agrees on fixed sessions', () => {
    const t: Tally = { fired: 0, comparedWithOracle: 0, stringBugCases: 0 };
    for (const seed of [1, 2, 3, 4])
      compareAll(c, toBars([...seededCandles(400, seed, 10), ...CRAFTED[c.name]!]), t);
    expect(t.fired).toBeGreaterThanOrEqual(4);
  });

  it('agrees on 2,000 generated sequences, firing on some', () => {
    const t: Tally = { fired: 0, comparedWithOracle: 0, stringBugCases: 0 };
    fc.assert(
      fc.property(arbCandles(5, 9, [CRAFTED[c.name]!]), (candles) => compareAll(c, toBars(candles), t)),
      { numRuns: 2000 },
    );
    expect(t.fired).toBeGreaterThan(50);
    expect(t.comparedWithOracle).toBeGreaterThan(t.stringBugCases * 10);
  });
});

describe('where the oracle compares the trend as strings', () => {
  // Closes 100 → 79 → 88: average loss 10.5 beats average gain 4.5, a falling trend, but
  // "10.5" > "4.5" is false as strings, so technicalindicators misses the hammer.
  const hammer = toBars([
    [101, 102, 99, 100],
    [80, 81, 78, 79],
    [80, 89, 79, 88],
    [85, 87, 80, 87],
    [87.5, 90, 87, 89],
  ]);

  it('we report the hammer the oracle misses', () => {
    expect(hammerpattern(window(hammer, 4, 5))).toBe(false);
    expect(repairedHammer(window(hammer, 4, 5))).toBe(true);
    expect(isHammer(hammer, 4)).toBe(true);
  });

  it('we do not report the shooting star the oracle sees after a fall ("9" > "10.5")', () => {
    // Closes 100 → 118 → 97: average gain 9, average loss 10.5, a falling trend; as strings
    // "9" > "10.5", so technicalindicators reads a rise and reports a shooting star.
    const bars = toBars([
      [99, 101, 98, 100],
      [100, 119, 99, 118],
      [117, 118, 96, 97],
      [99, 104, 97, 97],
      [96.5, 97, 94, 95],
    ]);
    const w = window(bars, 4, 5);
    expect(shootingstar(w)).toBe(true);
    expect(repairedShootingStar(w)).toBe(false);
    expect(isShootingStar(bars, 4)).toBe(false);
  });
});
