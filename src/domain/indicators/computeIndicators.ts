/**
 * The technical service's indicator set for one symbol, from its bars (oldest first), using the
 * `technicalindicators` package. A field is null until there are enough bars for it, so a stock
 * that listed this morning gets a partial set instead of a misleading number.
 */
import { ATR, BollingerBands, EMA, MACD, RSI } from 'technicalindicators';
import { vwap } from './vwap';
import { INDICATOR_PERIODS } from './periods';

export interface Bar {
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
}

export interface IndicatorSet {
  barCount: number;
  lastClose: number | null;
  rsi14: number | null;
  ema9: number | null;
  ema21: number | null;
  macd: { macd: number; signal: number; histogram: number } | null;
  atr14: number | null;
  bollinger: {
    upper: number;
    middle: number;
    lower: number;
    /** (close − lower) ÷ (upper − lower); null when the bands are flat. */ percentB: number | null;
  } | null;
  vwap: number | null;
}

export { INDICATOR_PERIODS };

/** Bars each indicator needs before it has a value (RSI and ATR need one previous close). */
export const MIN_BARS = Object.freeze({
  rsi14: INDICATOR_PERIODS.rsi + 1,
  ema9: INDICATOR_PERIODS.emaFast,
  ema21: INDICATOR_PERIODS.emaSlow,
  macd: INDICATOR_PERIODS.macdSlow + INDICATOR_PERIODS.macdSignal - 1,
  atr14: INDICATOR_PERIODS.atr + 1,
  bollinger: INDICATOR_PERIODS.bollinger,
});

export function computeIndicators(bars: readonly Bar[]): IndicatorSet {
  bars.forEach(assertBar);
  const n = bars.length;
  const close = bars.map((b) => b.c);
  const high = bars.map((b) => b.h);
  const low = bars.map((b) => b.l);

  const rsi14 =
    n >= MIN_BARS.rsi14
      ? finite(last(RSI.calculate({ period: INDICATOR_PERIODS.rsi, values: close })))
      : null;
  const ema9 =
    n >= MIN_BARS.ema9
      ? finite(last(EMA.calculate({ period: INDICATOR_PERIODS.emaFast, values: close })))
      : null;
  const ema21 =
    n >= MIN_BARS.ema21
      ? finite(last(EMA.calculate({ period: INDICATOR_PERIODS.emaSlow, values: close })))
      : null;
  const atr14 =
    n >= MIN_BARS.atr14
      ? finite(last(ATR.calculate({ period: INDICATOR_PERIODS.atr, high, low, close })))
      : null;

  let macd: IndicatorSet['macd'] = null;
  if (n >= MIN_BARS.macd) {
    const m = last(
      MACD.calculate({
        values: close,
        fastPeriod: INDICATOR_PERIODS.macdFast,
        slowPeriod: INDICATOR_PERIODS.macdSlow,
        signalPeriod: INDICATOR_PERIODS.macdSignal,
        SimpleMAOscillator: false,
        SimpleMASignal: false,
      }),
    );
    const [line, signal, histogram] = [finite(m?.MACD), finite(m?.signal), finite(m?.histogram)];
    if (line !== null && signal !== null && histogram !== null) macd = { macd: line, signal, histogram };
  }

  let bollinger: IndicatorSet['bollinger'] = null;
  if (n >= MIN_BARS.bollinger) {
    const b = last(
      BollingerBands.calculate({
        period: INDICATOR_PERIODS.bollinger,
        stdDev: INDICATOR_PERIODS.bollingerStdDev,
        values: close,
      }),
    );
    const [upper, middle, lower] = [finite(b?.upper), finite(b?.middle), finite(b?.lower)];
    if (upper !== null && middle !== null && lower !== null) {
      bollinger = {
        upper,
        middle,
        lower,
        percentB: upper > lower ? (close[n - 1]! - lower) / (upper - lower) : null,
      };
    }
  }

  return {
    barCount: n,
    lastClose: n > 0 ? close[n - 1]! : null,
    rsi14,
    ema9,
    ema21,
    macd,
    atr14,
    bollinger,
    vwap: finite(vwap(bars)),
  };
}

function assertBar(b: Bar, i: number): void {
  const ok =
    [b.o, b.h, b.l, b.c].every((x) => Number.isFinite(x) && x > 0) &&
    Number.isFinite(b.v) &&
    b.v >= 0 &&
    b.h >= b.l;
  if (!ok) throw new RangeError(`bar ${i} is not a valid OHLCV bar: ${JSON.stringify(b)}`);
}

const last = <T>(values: readonly T[]): T | undefined => values[values.length - 1];

const finite = (x: number | null | undefined): number | null =>
  typeof x === 'number' && Number.isFinite(x) ? x : null;
