/** Crafted sessions for each intraday setup: fires, does not fire, confidence in [0, 1]. */
import { describe, expect, it } from 'vitest';
import {
  PATTERN_PARAMS,
  bullFlag,
  highOfDayBreakout,
  openingRangeBreakout,
  vwapReclaim,
  type PatternHit,
  type PatternParams,
} from '../../../src/domain/patterns';
import { toBars, type Candle } from './fixtures';

function expectHit(hit: PatternHit | null, pattern: string, barIndex: number): PatternHit {
  expect(hit, pattern).not.toBeNull();
  expect(hit!.pattern).toBe(pattern);
  expect(hit!.kind).toBe('setup');
  expect(hit!.direction).toBe('bullish');
  expect(hit!.barIndex).toBe(barIndex);
  expect(hit!.confidence).toBeGreaterThan(0);
  expect(hit!.confidence).toBeLessThanOrEqual(1);
  expect(hit!.reason.length).toBeGreaterThan(10);
  return hit!;
}

/** PATTERN_PARAMS with one setup's group partly overridden: shows a negative case is near the threshold. */
function relaxed<K extends 'bullFlag' | 'vwapReclaim' | 'highOfDayBreakout'>(
  key: K,
  change: Partial<PatternParams[K]>,
): PatternParams {
  return { ...PATTERN_PARAMS, [key]: { ...PATTERN_PARAMS[key], ...change } };
}

/** Prior-session bars at a very different price and volume: must not leak into today's levels. */
const PRIOR: Candle[] = Array.from({ length: 30 }, () => [20, 21, 19, 20.5, 100_000] as const);

describe('openingRangeBreakout', () => {
  // Opening range: high 10.50, low 9.90, 1000 shares a bar.
  const range: Candle[] = Array.from({ length: 15 }, (_, k) =>
    k % 2 ? ([10.1, 10.4, 9.95, 10.3, 1000] as const) : ([10.3, 10.5, 9.9, 10.1, 1000] as const),
  );
  const inside: Candle = [10.3, 10.45, 10.2, 10.4, 800];
  const breakout: Candle = [10.4, 10.7, 10.35, 10.65, 2500];
  const hold: Candle = [10.65, 10.8, 10.6, 10.75, 900];

  it('fires when the last close breaks the range high on volume', () => {
    const hit = expectHit(
      openingRangeBreakout(toBars([...range, inside, breakout]), 0),
      'opening_range_breakout',
      16,
    );
    expect(hit.confidence).toBe(1); // 2.5× volume, a full quarter-range above
    expect(hit.reason).toContain('10.50');
  });

  it('scores a marginal breakout lower', () => {
    const weak: Candle = [10.4, 10.56, 10.35, 10.55, 1500];
    const hit = expectHit(openingRangeBreakout(toBars([...range, weak]), 0), 'opening_range_breakout', 15);
    // 0.5 + 0.25 × (1.5 − 1) + 0.25 × (0.05 / 0.15)
    expect(hit.confidence).toBeCloseTo(0.5 + 0.125 + 0.25 / 3, 12);
  });

  it('does not fire without volume above the range average, or without a close above the high', () => {
    expect(openingRangeBreakout(toBars([...range, [10.4, 10.7, 10.35, 10.65, 1000]]), 0)).toBeNull();
    expect(openingRangeBreakout(toBars([...range, [10.4, 10.7, 10.35, 10.5, 5000]]), 0)).toBeNull();
  });

  it('does not fire before the range is complete', () => {
    expect(openingRangeBreakout(toBars(range), 0)).toBeNull();
    expect(openingRangeBreakout(toBars(range.slice(0, 3)), 0)).toBeNull();
    expect(openingRangeBreakout(toBars([]), 0)).toBeNull();
  });

  it('keeps a recent breakout that holds, discounted by age; drops an old or failed one', () => {
    const held = openingRangeBreakout(toBars([...range, inside, breakout, hold, hold]), 0);
    expect(expectHit(held, 'opening_range_breakout', 16).confidence).toBeCloseTo(0.75 ** 2, 12);
    expect(openingRangeBreakout(toBars([...range, inside, breakout, hold, hold, hold]), 0)).toBeNull();
    expect(openingRangeBreakout(toBars([...range, breakout, inside]), 0)).toBeNull();
    const strict: PatternParams = { ...PATTERN_PARAMS, recentBars: 1 };
    expect(openingRangeBreakout(toBars([...range, inside, breakout, hold]), 0, strict)).toBeNull();
  });

  it('takes the range from the session start, not from prior-session bars', () => {
    const bars = toBars([...PRIOR, ...range, inside, breakout]);
    expectHit(openingRangeBreakout(bars, PRIOR.length), 'opening_range_breakout', PRIOR.length + 16);
    expect(openingRangeBreakout(bars, 0)).toBeNull();
  });
});

describe('bullFlag', () => {
  const quiet: Candle[] = Array.from({ length: 5 }, () => [10, 10.02, 9.99, 10, 1000] as const);
  const pole: Candle[] = [
    [10.0, 10.1, 9.98, 10.09, 5000],
    [10.09, 10.2, 10.07, 10.19, 5000],
    [10.19, 10.3, 10.17, 10.29, 5000],
    [10.29, 10.38, 10.27, 10.37, 5000],
    [10.37, 10.42, 10.35, 10.4, 5000],
  ];
  const flag: Candle[] = [
    [10.4, 10.4, 10.33, 10.35, 1500],
    [10.35, 10.37, 10.3, 10.32, 1500],
    [10.32, 10.35, 10.28, 10.33, 1500],
    [10.33, 10.36, 10.3, 10.34, 1500],
    [10.34, 10.38, 10.31, 10.36, 1500],
  ];
  const breakout: Candle = [10.37, 10.5, 10.36, 10.47, 4000];
  const session = [...quiet, ...pole, ...flag, breakout];

  it('fires on a strong pole, a shallow quiet flag and a close above it', () => {
    const hit = expectHit(bullFlag(toBars(session), 0), 'bull_flag', session.length - 1);
    // Pole 9.98 → 10.42 (+4.4 %: full score); flag low 10.28 gives back 0.14 / 0.44; volume 0.3×.
    const retracement = (10.42 - 10.28) / (10.42 - 9.98);
    expect(hit.confidence).toBeCloseTo(0.4 + 0.2 + 0.2 * (1 - retracement / 0.5) + 0.2 * (1 - 0.3 / 0.8), 9);
    expect(hit.reason).toContain('5-bar flag');
  });

  it('does not fire on a heavy-volume flag', () => {
    const heavy = toBars([
      ...quiet,
      ...pole,
      ...flag.map((k) => [k[0], k[1], k[2], k[3], 4500] as const),
      breakout,
    ]);
    expect(bullFlag(heavy, 0)).toBeNull();
    expect(bullFlag(heavy, 0, relaxed('bullFlag', { maxFlagVolumeRatio: 1 }))).not.toBeNull();
  });

  it('does not fire on a deep pullback', () => {
    const deepFlag = flag.map((k, j) => (j === 2 ? ([k[0], k[1], 10.1, k[3], k[4] ?? 1000] as const) : k));
    const deep = toBars([...quiet, ...pole, ...deepFlag, breakout]);
    expect(bullFlag(deep, 0)).toBeNull();
    expect(bullFlag(deep, 0, relaxed('bullFlag', { maxRetracement: 0.8 }))).not.toBeNull();
  });

  it('does not fire on a weak pole', () => {
    // The same shapes shrunk around 10: the pole rises 0.44 % instead of 4.4 %.
    const shrink = (k: Candle): Candle => [
      10 + (k[0] - 10) / 10,
      10 + (k[1] - 10) / 10,
      10 + (k[2] - 10) / 10,
      10 + (k[3] - 10) / 10,
      k[4] ?? 1000,
    ];
    const weak = toBars(session.map(shrink));
    expect(bullFlag(weak, 0)).toBeNull();
    expect(bullFlag(weak, 0, relaxed('bullFlag', { minPoleGain: 0.004 }))).not.toBeNull();
  });

  it('does not fire without a close above the flag, or when the breakout fails', () => {
    expect(bullFlag(toBars([...quiet, ...pole, ...flag, [10.37, 10.45, 10.36, 10.39, 4000]]), 0)).toBeNull();
    expect(bullFlag(toBars([...session, [10.45, 10.46, 10.3, 10.38, 2000]]), 0)).toBeNull();
  });

  it('keeps a recent breakout that holds, discounted by age', () => {
    const hold: Candle = [10.47, 10.55, 10.45, 10.52, 2000];
    const now = bullFlag(toBars(session), 0)!;
    const later = expectHit(bullFlag(toBars([...session, hold]), 0), 'bull_flag', session.length - 1);
    expect(later.confidence).toBeCloseTo(now.confidence * 0.75, 12);
  });

  it('needs the pole inside the session', () => {
    const bars = toBars([...PRIOR, ...session]);
    expectHit(bullFlag(bars, PRIOR.length), 'bull_flag', PRIOR.length + session.length - 1);
    // Session starting mid-pole: the pole is too short.
    expect(bullFlag(bars, PRIOR.length + quiet.length + 3)).toBeNull();
  });
});

describe('vwapReclaim', () => {
  // Closes just above typical price keep the first bars above VWAP.
  const above: Candle[] = Array.from({ length: 5 }, () => [10.45, 10.55, 10.4, 10.52, 1000] as const);
  const below: Candle[] = [
    [10.45, 10.46, 10.25, 10.3, 1000],
    [10.3, 10.32, 10.2, 10.25, 1000],
    [10.25, 10.28, 10.15, 10.2, 1000],
    [10.2, 10.3, 10.18, 10.28, 1000],
  ];
  const reclaim: Candle = [10.3, 10.62, 10.29, 10.6, 3000];
  const session = [...above, ...below, reclaim];

  it('fires on a close back above VWAP after closes below it', () => {
    const hit = expectHit(vwapReclaim(toBars(session), 0), 'vwap_reclaim', session.length - 1);
    // 4 bars below (4/9), more than 1 % under at worst, 3× the session's average volume.
    expect(hit.confidence).toBeCloseTo(0.4 + (0.2 * 4) / 9 + 0.2 + 0.2, 9);
    expect(hit.reason).toContain('after 4 bars');
  });

  it('does not fire after too short a stay below, or with no stay below', () => {
    const short = toBars([...above, ...below.slice(0, 2), reclaim]);
    expect(vwapReclaim(short, 0)).toBeNull();
    expect(vwapReclaim(short, 0, relaxed('vwapReclaim', { minBarsBelow: 2 }))).not.toBeNull();
    expect(vwapReclaim(toBars([...above, reclaim]), 0)).toBeNull();
  });

  it('does not fire when the reclaim failed, nor before any volume traded', () => {
    expect(vwapReclaim(toBars([...session, [10.6, 10.6, 10.2, 10.25, 1000]]), 0)).toBeNull();
    expect(vwapReclaim(toBars(session.map((k) => [k[0], k[1], k[2], k[3], 0] as const)), 0)).toBeNull();
  });

  it('keeps a recent reclaim that holds, discounted by age', () => {
    const hold: Candle = [10.6, 10.7, 10.55, 10.65, 1000];
    const now = vwapReclaim(toBars(session), 0)!;
    const later = expectHit(
      vwapReclaim(toBars([...session, hold, hold]), 0),
      'vwap_reclaim',
      session.length - 1,
    );
    expect(later.confidence).toBeCloseTo(now.confidence * 0.75 ** 2, 12);
    expect(vwapReclaim(toBars([...session, hold, hold, hold]), 0)).toBeNull();
  });

  it("anchors VWAP at the session's first bar", () => {
    const bars = toBars([...PRIOR, ...session]);
    expectHit(vwapReclaim(bars, PRIOR.length), 'vwap_reclaim', PRIOR.length + session.length - 1);
    expect(vwapReclaim(bars, 0)).toBeNull(); // yesterday's $20 VWAP is never reclaimed
  });
});

describe('highOfDayBreakout', () => {
  const run: Candle[] = [
    [10.0, 10.12, 9.98, 10.1, 2000],
    [10.1, 10.22, 10.08, 10.2, 2000],
    [10.2, 10.32, 10.18, 10.3, 2000],
    [10.3, 10.42, 10.28, 10.4, 2000],
    [10.4, 10.5, 10.38, 10.45, 2000],
  ];
  const base: Candle[] = Array.from({ length: 6 }, (_, k) =>
    k % 2 ? ([10.4, 10.47, 10.35, 10.44, 1000] as const) : ([10.44, 10.46, 10.32, 10.4, 1000] as const),
  );
  const breakout: Candle = [10.45, 10.62, 10.44, 10.6, 3000];
  const session = [...run, ...base, breakout];

  it('fires on a close above the session high after a base', () => {
    const hit = expectHit(highOfDayBreakout(toBars(session), 0), 'high_of_day_breakout', session.length - 1);
    // 6-bar base (6/15), gave back 0.18 of a 0.52 range (vs 0.5 allowed), 3× the base's volume.
    const pullback = (10.5 - 10.32) / (10.5 - 9.98);
    expect(hit.confidence).toBeCloseTo(0.4 + (0.2 * 6) / 15 + 0.2 * (1 - pullback / 0.5) + 0.2, 9);
    expect(hit.reason).toContain('10.50');
  });

  it('does not fire without a base: a short one, or a grind to new highs every bar', () => {
    const short = toBars([...run, ...base.slice(0, 3), breakout]);
    expect(highOfDayBreakout(short, 0)).toBeNull();
    expect(highOfDayBreakout(short, 0, relaxed('highOfDayBreakout', { minBaseBars: 3 }))).not.toBeNull();
    const grind: Candle[] = Array.from({ length: 12 }, (_, k) => [
      10 + k * 0.1,
      10.12 + k * 0.1,
      9.98 + k * 0.1,
      10.1 + k * 0.1,
      1000,
    ]);
    expect(highOfDayBreakout(toBars(grind), 0)).toBeNull();
  });

  it('does not fire after a deep pullback', () => {
    const deep = base.map((k, j) => (j === 3 ? ([k[0], k[1], 10.05, k[3], k[4] ?? 1000] as const) : k));
    const bars = toBars([...run, ...deep, breakout]);
    expect(highOfDayBreakout(bars, 0)).toBeNull();
    expect(highOfDayBreakout(bars, 0, relaxed('highOfDayBreakout', { maxPullback: 0.9 }))).not.toBeNull();
  });

  it('restarts the base at a failed poke above the high', () => {
    const poke: Candle = [10.44, 10.55, 10.38, 10.4, 1000];
    const bars = toBars([...run, ...base.slice(0, 4), poke, base[4]!, breakout]);
    expect(highOfDayBreakout(bars, 0)).toBeNull();
    // It does fire off the one-bar base since the poke when that is allowed.
    expectHit(
      highOfDayBreakout(bars, 0, relaxed('highOfDayBreakout', { minBaseBars: 1 })),
      'high_of_day_breakout',
      11,
    );
  });

  it('does not fire without a close above the high, or when the breakout fails', () => {
    expect(highOfDayBreakout(toBars([...run, ...base, [10.45, 10.55, 10.44, 10.49, 3000]]), 0)).toBeNull();
    expect(highOfDayBreakout(toBars([...session, [10.6, 10.61, 10.4, 10.45, 1000]]), 0)).toBeNull();
  });

  it('keeps a recent breakout that holds, discounted by age', () => {
    const hold: Candle = [10.6, 10.7, 10.55, 10.65, 1000];
    const now = highOfDayBreakout(toBars(session), 0)!;
    const later = expectHit(
      highOfDayBreakout(toBars([...session, hold]), 0),
      'high_of_day_breakout',
      session.length - 1,
    );
    expect(later.confidence).toBeCloseTo(now.confidence * 0.75, 12);
  });

  it('measures the high from the session start', () => {
    const bars = toBars([...PRIOR, ...session]);
    expectHit(
      highOfDayBreakout(bars, PRIOR.length),
      'high_of_day_breakout',
      PRIOR.length + session.length - 1,
    );
    expect(highOfDayBreakout(bars, 0)).toBeNull(); // yesterday's 21 is the high
  });
});

describe('setup input checks', () => {
  it('rejects a session start outside the bars', () => {
    const bars = toBars([[10, 10, 10, 10, 1]]);
    for (const setup of [openingRangeBreakout, bullFlag, vwapReclaim, highOfDayBreakout]) {
      expect(() => setup(bars, 2)).toThrow(RangeError);
      expect(() => setup(bars, -1)).toThrow(RangeError);
      expect(() => setup(bars, 0.5)).toThrow(RangeError);
      expect(setup(bars, 1)).toBeNull();
    }
  });
});
