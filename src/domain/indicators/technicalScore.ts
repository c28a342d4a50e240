/**
 * A 0..100 technical score for a long intraday entry, built from independent signals so each
 * point can be explained: start neutral at 50, add or remove points per signal, keep a reason for
 * each. Missing indicators add nothing (and say so), so thin history pulls a stock towards neutral
 * rather than rewarding or punishing it.
 */
import { round4 } from '../scoring';
import { MIN_BARS, type IndicatorSet } from './computeIndicators';

export interface TechnicalScore {
  score: number;
  reasons: string[];
}

const NEUTRAL = 50;

export function technicalScore(ind: IndicatorSet): TechnicalScore {
  const reasons: string[] = [];
  let score = NEUTRAL;
  const add = (points: number, reason: string): void => {
    score += points;
    reasons.push(points === 0 ? reason : `${reason} (${points > 0 ? '+' : ''}${points})`);
  };
  const missing = (name: string, needed: number): void =>
    add(0, `${name} unavailable: needs ${needed} bars, have ${ind.barCount}`);
  const close = ind.lastClose;

  if (ind.ema9 !== null && ind.ema21 !== null) {
    if (ind.ema9 > ind.ema21)
      add(10, `EMA9 ${fmt(ind.ema9)} above EMA21 ${fmt(ind.ema21)}: short-term uptrend`);
    else add(-10, `EMA9 ${fmt(ind.ema9)} not above EMA21 ${fmt(ind.ema21)}: no short-term uptrend`);
  } else missing('EMA9/EMA21 trend', MIN_BARS.ema21);

  if (ind.vwap !== null && close !== null) {
    if (close > ind.vwap) add(10, `price ${fmt(close)} above VWAP ${fmt(ind.vwap)}: buyers in control`);
    else add(-10, `price ${fmt(close)} not above VWAP ${fmt(ind.vwap)}`);
  } else add(0, 'VWAP unavailable: no volume');

  if (ind.macd !== null) {
    if (ind.macd.histogram > 0) add(10, `MACD ${fmt(ind.macd.macd)} above signal ${fmt(ind.macd.signal)}`);
    else add(-10, `MACD ${fmt(ind.macd.macd)} not above signal ${fmt(ind.macd.signal)}`);
  } else missing('MACD(12,26,9)', MIN_BARS.macd);

  if (ind.rsi14 !== null) {
    const rsi = ind.rsi14;
    if (rsi >= 80) add(-10, `RSI ${fmt(rsi, 1)} overbought (≥ 80)`);
    else if (rsi >= 70) add(5, `RSI ${fmt(rsi, 1)} strong but extended (70–80)`);
    else if (rsi >= 50) add(15, `RSI ${fmt(rsi, 1)} in the bullish zone (50–70)`);
    else if (rsi >= 30) add(-5, `RSI ${fmt(rsi, 1)} weak (30–50)`);
    else add(-10, `RSI ${fmt(rsi, 1)} in a downtrend (< 30)`);
  } else missing('RSI(14)', MIN_BARS.rsi14);

  if (ind.bollinger !== null && close !== null) {
    const { upper, middle } = ind.bollinger;
    if (close > upper) add(-5, `price ${fmt(close)} above the upper Bollinger band ${fmt(upper)}: extended`);
    else if (close >= middle) add(5, `price ${fmt(close)} in the upper half of the Bollinger bands`);
    else add(-5, `price ${fmt(close)} below the Bollinger middle band ${fmt(middle)}`);
  } else missing('Bollinger(20,2)', MIN_BARS.bollinger);

  if (ind.atr14 !== null && close !== null)
    add(0, `ATR(14) ${fmt(ind.atr14)} = ${fmt((ind.atr14 / close) * 100, 2)}% of price`);

  return { score: round4(Math.min(100, Math.max(0, score))), reasons };
}

const fmt = (x: number, places = 2): string => x.toFixed(places);
