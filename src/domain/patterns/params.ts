/**
 * Every tunable of the pattern stage in one place. Bar counts are one-minute bars: the opening
 * range of 15 bars is the first 15 minutes when the feed has no missing minutes (a thin symbol with
 * gaps gets a slightly longer range, which only makes its breakout harder).
 */
export interface PatternParams {
  recentBars: number;
  decayPerBar: number;
  contextBars: number;
  openingRangeBreakout: { rangeBars: number };
  bullFlag: {
    poleMinBars: number;
    poleMaxBars: number;
    minPoleGain: number;
    flagMinBars: number;
    flagMaxBars: number;
    maxRetracement: number;
    maxFlagVolumeRatio: number;
  };
  vwapReclaim: { minBarsBelow: number };
  highOfDayBreakout: { minBaseBars: number; maxPullback: number };
}

export const PATTERN_PARAMS: Readonly<PatternParams> = Object.freeze({
  /**
   * A pattern counts if it completed on the last bar or up to recentBars − 1 bars before it (and,
   * for a setup, still holds at the last close). Why not the last bar only: the cycle looks once
   * every scan_frequency_minutes while bars close every minute, and a breakout a bar or two before
   * the snapshot is still the same trade. 1 means "on the last bar only".
   */
  recentBars: 3,
  /** Confidence × decayPerBar per bar of age: the signal is staler, the entry further from it. */
  decayPerBar: 0.75,
  /** Bars before a candlestick its size and volume are compared with (candleConfidence). */
  contextBars: 20,
  openingRangeBreakout: Object.freeze({
    /** Bars in the opening range, from the session's first bar. */
    rangeBars: 15,
  }),
  bullFlag: Object.freeze({
    /** The pole: a run of this many bars from its low to its high (the high ending the pole). */
    poleMinBars: 3,
    poleMaxBars: 15,
    /** Pole rise from its low to its high, as a fraction of the low: "strong" is relative to price. */
    minPoleGain: 0.015,
    /** The flag: bars after the pole's high, none above it, before the breakout bar. */
    flagMinBars: 3,
    flagMaxBars: 12,
    /** The flag's low may give back at most this fraction of the pole. */
    maxRetracement: 0.5,
    /** Mean flag volume at most this fraction of mean pole volume: sellers are not showing up. */
    maxFlagVolumeRatio: 0.8,
  }),
  vwapReclaim: Object.freeze({
    /** Consecutive closes at or below session VWAP before the close back above it. */
    minBarsBelow: 3,
  }),
  highOfDayBreakout: Object.freeze({
    /** Bars between the prior session high and the breakout bar: a base, not a grind. */
    minBaseBars: 5,
    /** The base's low may sit at most this fraction of the session's range below the high. */
    maxPullback: 0.5,
  }),
});
