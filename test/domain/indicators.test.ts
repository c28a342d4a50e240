import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeIndicators,
  technicalScore,
  vwap,
  type Bar,
  type IndicatorSet,
} from '../../src/domain/indicators';

const bar = (c: number, v = 1000): Bar => ({ o: c, h: c + 0.5, l: c - 0.5, c, v });
const rising = (n: number): Bar[] =>
  Array.from({ length: n }, (_, i) => bar(100 + i * 0.5 + Math.sin(i) * 0.3));
const falling = (n: number): Bar[] =>
  Array.from({ length: n }, (_, i) => bar(150 - i * 0.5 + Math.sin(i) * 0.3));

describe('computeIndicators', () => {
  it('leaves every field null (but VWAP and last close) with too few bars', () => {
    const ind = computeIndicators(rising(5));
    expect(ind).toMatchObject({
      barCount: 5,
      rsi14: null,
      ema9: null,
      ema21: null,
      macd: null,
      atr14: null,
      bollinger: null,
    });
    expect(ind.lastClose).toBe(rising(5)[4]!.c);
    expect(ind.vwap).not.toBeNull();
    expect(computeIndicators([])).toMatchObject({ barCount: 0, lastClose: null, vwap: null });
  });

  it('fills each indicator once it has enough bars', () => {
    expect(computeIndicators(rising(9)).ema9).not.toBeNull();
    expect(computeIndicators(rising(14)).rsi14).toBeNull();
    expect(computeIndicators(rising(15)).rsi14).not.toBeNull();
    expect(computeIndicators(rising(15)).atr14).not.toBeNull();
    expect(computeIndicators(rising(20)).bollinger).not.toBeNull();
    expect(computeIndicators(rising(21)).ema21).not.toBeNull();
    expect(computeIndicators(rising(33)).macd).toBeNull();
    expect(computeIndicators(rising(34)).macd).not.toBeNull();
  });

  it('reads an uptrend as an uptrend', () => {
    const ind = computeIndicators(rising(60));
    expect(ind.ema9!).toBeGreaterThan(ind.ema21!);
    expect(ind.rsi14!).toBeGreaterThan(50);
    expect(ind.macd!.macd).toBeGreaterThan(0);
    expect(ind.atr14!).toBeGreaterThan(0);
    expect(ind.bollinger!.upper).toBeGreaterThan(ind.bollinger!.lower);
  });

  it('gives flat bands a null %B instead of NaN', () => {
    const flat = Array.from({ length: 30 }, () => bar(50));
    const ind = computeIndicators(flat);
    expect(ind.bollinger).toEqual({ upper: 50, middle: 50, lower: 50, percentB: null });
    expect(JSON.stringify(ind)).not.toContain('NaN');
  });

  it('rejects malformed bars', () => {
    expect(() => computeIndicators([{ o: 1, h: 1, l: 2, c: 1, v: 1 }])).toThrow(/bar 0/);
    expect(() => computeIndicators([{ o: 1, h: 1, l: 1, c: NaN, v: 1 }])).toThrow(/bar 0/);
  });
});

describe('vwap', () => {
  it('weights typical prices by volume', () => {
    expect(
      vwap([
        { h: 11, l: 9, c: 10, v: 100 },
        { h: 21, l: 19, c: 20, v: 300 },
      ]),
    ).toBe(17.5);
    expect(vwap([{ h: 11, l: 9, c: 10, v: 0 }])).toBeNull();
  });
});

describe('technicalScore', () => {
  it('scores an uptrend above a downtrend, with reasons', () => {
    const up = technicalScore(computeIndicators(rising(60)));
    const down = technicalScore(computeIndicators(falling(60)));
    expect(up.score).toBeGreaterThan(60);
    expect(down.score).toBeLessThan(40);
    expect(up.reasons.some((r) => r.includes('EMA9') && r.includes('(+10)'))).toBe(true);
    expect(down.reasons.length).toBeGreaterThanOrEqual(5);
  });

  it('is neutral and explains itself without data', () => {
    const s = technicalScore(computeIndicators([]));
    expect(s.score).toBe(50);
    expect(s.reasons.join(' ')).toMatch(/RSI\(14\) unavailable: needs 15 bars, have 0/);
  });

  it('property: score in 0..100 for any valid bars', () => {
    const barArb = fc
      .record({
        c: fc.double({ min: 1, max: 1000, noNaN: true }),
        spread: fc.double({ min: 0, max: 5, noNaN: true }),
        v: fc.integer({ min: 0, max: 1e6 }),
      })
      .map(({ c, spread, v }) => ({ o: c, h: c + spread, l: Math.max(0.01, c - spread), c, v }));
    fc.assert(
      fc.property(fc.array(barArb, { maxLength: 80 }), (bars) => {
        const ind: IndicatorSet = computeIndicators(bars);
        const { score } = technicalScore(ind);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(100);
      }),
      { numRuns: 200 },
    );
  });
});
