/**
 * The technical stage's inputs: indicators from the kernels (with the previous session as warm-up)
 * read the same as the technicalindicators pass, VWAP is anchored at today's open, and the scan
 * figures as of the last bar come from today's bars only.
 */
import { describe, expect, it } from 'vitest';
import {
  computeIndicators,
  indicatorSetOf,
  sessionScanInput,
  sessionVwap,
  technicalScore,
  vwap,
} from '../../src/domain/indicators';
import { lastValues, ohlcvFromArrays } from '../../src/domain/indicators/kernels';

function walk(n: number, seed = 1) {
  let x = seed;
  const rand = () => (x = (x * 16807) % 2147483647) / 2147483647;
  const bars = [];
  let c = 50;
  for (let i = 0; i < n; i++) {
    const o = c;
    c = Math.max(1, c * (1 + (rand() - 0.5) * 0.01));
    bars.push({
      o,
      h: Math.max(o, c) * (1 + rand() * 0.002),
      l: Math.min(o, c) * (1 - rand() * 0.002),
      c,
      v: Math.round(1000 + rand() * 9000),
    });
  }
  return bars;
}
const columns = (bars: ReturnType<typeof walk>) =>
  ohlcvFromArrays({
    open: bars.map((b) => b.o),
    high: bars.map((b) => b.h),
    low: bars.map((b) => b.l),
    close: bars.map((b) => b.c),
    volume: bars.map((b) => b.v),
  });

describe('indicators for the technical stage', () => {
  it('agree with the technicalindicators pass and give the same technical score', () => {
    for (const seed of [1, 7, 42, 99]) {
      const bars = walk(420, seed);
      const prior = 390; // today starts at bar 390
      const today = bars.slice(prior);
      const oracle = computeIndicators(bars);
      const ours = indicatorSetOf(lastValues(columns(bars)), sessionVwap(columns(bars), prior));
      expect(ours.ema9).toBeCloseTo(oracle.ema9!, 9);
      expect(ours.ema21).toBeCloseTo(oracle.ema21!, 9);
      expect(ours.macd!.histogram).toBeCloseTo(oracle.macd!.histogram, 9);
      expect(ours.atr14).toBeCloseTo(oracle.atr14!, 9);
      expect(ours.bollinger!.upper).toBeCloseTo(oracle.bollinger!.upper, 9);
      expect(Math.abs(ours.rsi14! - oracle.rsi14!)).toBeLessThanOrEqual(0.005); // the oracle rounds to 2 places
      // VWAP is today's, not the two sessions': the kernels' window would blend yesterday in.
      expect(ours.vwap).toBeCloseTo(vwap(today)!, 9);
      expect(ours.vwap).not.toBeCloseTo(oracle.vwap!, 6);
      expect(technicalScore(ours).score).toBe(technicalScore({ ...oracle, vwap: vwap(today) }).score);
    }
  });

  it('reads NaN warm-ups as missing values', () => {
    const ind = indicatorSetOf(lastValues(columns(walk(5))), NaN);
    expect(ind).toMatchObject({
      barCount: 5,
      rsi14: null,
      macd: null,
      bollinger: null,
      atr14: null,
      vwap: null,
    });
    expect(ind.lastClose).not.toBeNull();
  });
});

describe('sessionScanInput', () => {
  const bars = columns(walk(400));
  it("takes today's open, range and volume, the previous session's close", () => {
    const s = sessionScanInput('ACME', bars, 390, { prevSessionVolume: 123_456 })!;
    expect(s.open).toBe(bars.open[390]);
    expect(s.prevClose).toBe(bars.close[389]);
    expect(s.price).toBe(bars.close[399]);
    expect(s.volume).toBe([...bars.volume.subarray(390, 400)].reduce((a, b) => a + b, 0));
    expect(s.high).toBe(Math.max(...bars.high.subarray(390, 400)));
    expect(s.low).toBe(Math.min(...bars.low.subarray(390, 400)));
    expect(s.prevVolume).toBe(123_456);
  });
  it('is null without a bar today or without a previous close', () => {
    expect(sessionScanInput('ACME', bars, 400, { prevSessionVolume: 1 })).toBeNull();
    expect(sessionScanInput('ACME', bars, 0, { prevSessionVolume: 1 })).toBeNull();
  });
});
