import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OhlcvBars } from '../../../src/domain/indicators/kernels/bars';
import {
  CANDLESTICKS,
  PATTERN_PARAMS,
  detectPatterns,
  patternFactor,
  type PatternHit,
} from '../../../src/domain/patterns';
import { CRAFTED } from './crafted';
import { arbCandles, seededCandles, toBars } from './fixtures';

const SETUP_NAMES = ['opening_range_breakout', 'bull_flag', 'vwap_reclaim', 'high_of_day_breakout'];

/** What every result must satisfy, whatever the bars. */
function expectWellFormed(hits: PatternHit[], bars: OhlcvBars, sessionStart: number): void {
  const names = hits.map((h) => h.pattern);
  expect(new Set(names).size).toBe(names.length);
  for (let k = 1; k < hits.length; k++)
    expect(hits[k - 1]!.confidence).toBeGreaterThanOrEqual(hits[k]!.confidence);
  const oldest = Math.max(sessionStart, bars.length - PATTERN_PARAMS.recentBars);
  for (const h of hits) {
    expect(h.confidence).toBeGreaterThan(0);
    expect(h.confidence).toBeLessThanOrEqual(1);
    expect(h.barIndex).toBeGreaterThanOrEqual(oldest);
    expect(h.barIndex).toBeLessThan(bars.length);
    expect(h.reason).not.toContain('NaN');
    const def = CANDLESTICKS.find((d) => d.name === h.pattern);
    if (def) {
      expect(h.kind).toBe('candlestick');
      expect(h.direction).toBe(def.direction);
      expect(h.barIndex - def.span + 1).toBeGreaterThanOrEqual(sessionStart);
      expect(def.detect(bars, h.barIndex)).toBe(true);
    } else {
      expect(SETUP_NAMES).toContain(h.pattern);
      expect(h.kind).toBe('setup');
    }
  }
}

describe('detectPatterns', () => {
  it('finds nothing in no bars', () => {
    expect(detectPatterns(toBars([]), 0)).toEqual([]);
  });

  it('on one bar, finds at most a doji', () => {
    expect(detectPatterns(toBars([[10, 10.5, 9.8, 10.3]]), 0)).toEqual([]);
    expect(detectPatterns(toBars([[10, 10.1, 9.9, 10]]), 0)).toEqual([
      {
        pattern: 'doji',
        kind: 'candlestick',
        direction: 'neutral',
        confidence: 0.3 * 0.75, // no context bars: both size scores neutral
        barIndex: 0,
        reason: 'doji on the last bar',
      },
    ]);
  });

  it('finds nothing before the session has a bar, and rejects a bad session start', () => {
    const bars = toBars(CRAFTED.bullish_engulfing!);
    expect(detectPatterns(bars, 2)).toEqual([]);
    expect(() => detectPatterns(bars, 3)).toThrow(RangeError);
    expect(() => detectPatterns(bars, -1)).toThrow(RangeError);
    expect(() => detectPatterns(bars, 1.5)).toThrow(RangeError);
  });

  it('reports a candlestick only when all its bars are in the session', () => {
    const bars = toBars(CRAFTED.bullish_engulfing!);
    expect(detectPatterns(bars, 0).map((h) => h.pattern)).toContain('bullish_engulfing');
    expect(detectPatterns(bars, 1).map((h) => h.pattern)).not.toContain('bullish_engulfing');
  });

  it('reports each crafted candlestick, with the direction of its definition', () => {
    for (const def of CANDLESTICKS) {
      const candles = [...seededCandles(30, 7, 10), ...CRAFTED[def.name]!];
      const bars = toBars(candles);
      const hits = detectPatterns(bars, 0);
      const hit = hits.find((h) => h.pattern === def.name);
      expect(hit, def.name).toBeDefined();
      expect(hit!.barIndex).toBe(bars.length - 1);
      expect(hit!.direction).toBe(def.direction);
      expect(hit!.reason).toMatch(/on the last bar, bars \d+\.\d× the recent range on \d+\.\d× the volume/);
      expectWellFormed(hits, bars, 0);
    }
  });

  it('discounts a candlestick that completed bars ago, and forgets it after recentBars', () => {
    const engulfing = CRAFTED.bullish_engulfing!;
    const after = [10.62, 10.64, 10.6, 10.63] as const;
    const find = (extra: number): PatternHit | undefined =>
      detectPatterns(toBars([...engulfing, ...Array.from({ length: extra }, () => after)]), 0).find(
        (h) => h.pattern === 'bullish_engulfing',
      );
    const now = find(0)!;
    expect(find(1)!.confidence).toBeCloseTo(now.confidence * 0.75, 12);
    expect(find(2)!.confidence).toBeCloseTo(now.confidence * 0.75 ** 2, 12);
    expect(find(2)!.reason).toMatch(/^bullish engulfing 2 bars ago/);
    expect(find(3)).toBeUndefined();
    // With the window cut to the last bar only, one bar of age is already too old.
    const strict = detectPatterns(toBars([...engulfing, after]), 0, { recentBars: 1 });
    expect(strict.map((h) => h.pattern)).not.toContain('bullish_engulfing');
  });

  it('includes the setups', () => {
    const range = Array.from({ length: 15 }, (_, k) =>
      k % 2 ? ([10.1, 10.4, 9.95, 10.3, 1000] as const) : ([10.3, 10.5, 9.9, 10.1, 1000] as const),
    );
    const bars = toBars([...range, [10.4, 10.7, 10.35, 10.65, 2500]]);
    const hits = detectPatterns(bars, 0);
    expect(hits.map((h) => h.pattern)).toContain('opening_range_breakout');
    expectWellFormed(hits, bars, 0);
    expect(patternFactor(hits)).toBeGreaterThan(50);
  });

  it('reports exactly the candlesticks that completed in the window, on generated sessions', () => {
    fc.assert(
      fc.property(arbCandles(0, 40), fc.nat(40), (candles, s) => {
        const bars = toBars(candles);
        const sessionStart = Math.min(s, bars.length);
        const hits = detectPatterns(bars, sessionStart);
        expectWellFormed(hits, bars, sessionStart);
        for (const def of CANDLESTICKS) {
          let expected = -1;
          for (let i = bars.length - 1; i >= bars.length - PATTERN_PARAMS.recentBars; i--) {
            if (i - def.span + 1 < sessionStart) break;
            if (def.detect(bars, i)) {
              expected = i;
              break;
            }
          }
          expect(hits.find((h) => h.pattern === def.name)?.barIndex ?? -1, def.name).toBe(expected);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('runs over 200 symbols × 800 bars (a cycle) — a sanity run, not a timing test', () => {
    // 400 prior-session bars then 400 of today's, as the largest input a cycle sees.
    const symbols = Array.from({ length: 200 }, (_, k) => toBars(seededCandles(800, k + 1, 20 + k)));
    const seen = new Set<string>();
    for (const bars of symbols) {
      const hits = detectPatterns(bars, 400);
      expectWellFormed(hits, bars, 400);
      for (const h of hits) seen.add(h.pattern);
      const f = patternFactor(hits);
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThanOrEqual(100);
    }
    expect(seen.size).toBeGreaterThan(3);
  });
});
