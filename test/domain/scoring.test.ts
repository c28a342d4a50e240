import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCORE_WEIGHTS,
  compositeScore,
  gapScore,
  momentumScore,
  volumeScore,
} from '../../src/domain/scoring';

const part = fc.double({ min: 0, max: 100, noNaN: true });
const anyNumber = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });

describe('compositeScore', () => {
  it('weights the guide’s 30/30/20/20 by default', () => {
    expect(compositeScore({ news: 80, technical: 60, momentum: 50, volume: 40 })).toBe(60);
    expect(compositeScore({ news: 100, technical: 100, momentum: 100, volume: 100 })).toBe(100);
    expect(compositeScore({ news: 0, technical: 0, momentum: 0, volume: 0 })).toBe(0);
    expect(DEFAULT_SCORE_WEIGHTS).toEqual({ news: 0.3, technical: 0.3, momentum: 0.2, volume: 0.2 });
  });

  it('accepts custom weights that sum to 1 and rejects others', () => {
    const parts = { news: 10, technical: 20, momentum: 30, volume: 40 };
    expect(compositeScore(parts, { news: 0.25, technical: 0.25, momentum: 0.25, volume: 0.25 })).toBe(25);
    expect(() => compositeScore(parts, { news: 0.3, technical: 0.3, momentum: 0.2, volume: 0.1 })).toThrow(
      /must sum to 1/,
    );
    expect(() => compositeScore(parts, { news: 1.2, technical: -0.2, momentum: 0, volume: 0 })).toThrow(
      /between 0 and 1/,
    );
    expect(() => compositeScore({ ...parts, news: NaN })).toThrow(/finite/);
  });

  it('rounds to 4 decimals', () => {
    expect(compositeScore({ news: 33.33333, technical: 66.66666, momentum: 12.345678, volume: 1 })).toBe(
      32.6691,
    );
  });

  it('property: result in 0..100 with 4 decimals, clamping out-of-range parts', () => {
    fc.assert(
      fc.property(anyNumber, anyNumber, anyNumber, anyNumber, (news, technical, momentum, volume) => {
        const s = compositeScore({ news, technical, momentum, volume });
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(100);
        expect(Math.round(s * 1e4) / 1e4).toBe(s);
      }),
    );
  });

  it('property: monotone in each part', () => {
    fc.assert(
      fc.property(part, part, part, part, part, (news, technical, momentum, volume, more) => {
        const base = compositeScore({ news, technical, momentum, volume });
        expect(
          compositeScore({ news: Math.max(news, more), technical, momentum, volume }),
        ).toBeGreaterThanOrEqual(base);
        expect(
          compositeScore({ news, technical, momentum, volume: Math.max(volume, more) }),
        ).toBeGreaterThanOrEqual(base);
      }),
    );
  });
});

describe('factor scores', () => {
  it('momentum: 50 when flat, higher for gains', () => {
    expect(momentumScore({ momentumPct: 0 })).toBe(50);
    expect(momentumScore({ momentumPct: 3 })).toBeGreaterThan(85);
    expect(momentumScore({ momentumPct: -3 })).toBeLessThan(15);
  });

  it('volume: 0 without volume, 50 at twice normal', () => {
    expect(volumeScore({ relativeVolume: 0 })).toBe(0);
    expect(volumeScore({ relativeVolume: 2 })).toBe(50);
    expect(volumeScore({ relativeVolume: NaN })).toBe(0);
  });

  it('property: bounded and monotone', () => {
    fc.assert(
      fc.property(anyNumber, anyNumber, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        for (const f of [
          (x: number) => momentumScore({ momentumPct: x }),
          (x: number) => gapScore({ gapPct: x }),
        ]) {
          expect(f(lo)).toBeGreaterThanOrEqual(0);
          expect(f(hi)).toBeLessThanOrEqual(100);
          expect(f(hi)).toBeGreaterThanOrEqual(f(lo));
        }
        const v = (x: number) => volumeScore({ relativeVolume: x });
        expect(v(Math.abs(hi))).toBeLessThanOrEqual(100);
        expect(v(Math.max(Math.abs(lo), Math.abs(hi)))).toBeGreaterThanOrEqual(
          v(Math.min(Math.abs(lo), Math.abs(hi))),
        );
      }),
    );
  });
});
