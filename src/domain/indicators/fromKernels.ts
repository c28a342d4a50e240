/**
 * The kernels' last values (NaN until warmed up) as the IndicatorSet the technical score explains
 * (null until warmed up), with the session-anchored VWAP in place of the kernels' whole-window one.
 */
import type { IndicatorSet } from './computeIndicators';
import type { LastValues } from './kernels';

const orNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function indicatorSetOf(last: LastValues, sessionVwap: number): IndicatorSet {
  const macd = [last.macd, last.macdSignal, last.macdHistogram].every(Number.isFinite)
    ? { macd: last.macd, signal: last.macdSignal, histogram: last.macdHistogram }
    : null;
  const bollinger = [last.bbUpper, last.bbMiddle, last.bbLower].every(Number.isFinite)
    ? {
        upper: last.bbUpper,
        middle: last.bbMiddle,
        lower: last.bbLower,
        percentB: orNull(last.bbPercentB),
      }
    : null;
  return {
    barCount: last.barCount,
    lastClose: orNull(last.close),
    rsi14: orNull(last.rsi14),
    ema9: orNull(last.ema9),
    ema21: orNull(last.ema21),
    macd,
    atr14: orNull(last.atr14),
    bollinger,
    vwap: orNull(sessionVwap),
  };
}
