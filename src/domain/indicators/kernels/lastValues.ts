/**
 * The final value of every kernel for one symbol, in a single pass over the bars and with no output
 * arrays: what a scan needs when it only scores the latest bar. About half the time of writing all
 * series, since the stores were half the memory traffic.
 *
 * Each indicator's state machine repeats its kernel's arithmetic operation for operation (same
 * seeds, same recurrence forms), so a last value equals the last element of the corresponding
 * series bit for bit; a test holds that. The exception is Bollinger, which needs only the last
 * window, so it is computed there directly (two-pass, exact) after the loop instead of slid across
 * the whole series; it agrees with the series to rounding (~1e-15 relative).
 *
 * Fields are NaN until their warm-up is over (see each kernel's header); periods are KERNEL_PERIODS.
 */
import { checkBars, KERNEL_PERIODS, type OhlcvBars } from './bars';
import { rsiOf } from './rsi';

export interface LastValues {
  barCount: number;
  close: number;
  rsi14: number;
  ema9: number;
  ema21: number;
  /** sign(ema9 − ema21): +1, −1 or 0. */
  emaState: number;
  /** +1 if ema9 crossed above ema21 on the last bar, −1 below, else 0 (see ema.ts). */
  emaCross: number;
  macd: number;
  macdSignal: number;
  macdHistogram: number;
  atr14: number;
  bbMiddle: number;
  bbUpper: number;
  bbLower: number;
  /** (close − lower)/(upper − lower); NaN when the bands are flat. */
  bbPercentB: number;
  vwap: number;
}

const P = KERNEL_PERIODS;

export function lastValues(bars: OhlcvBars): LastValues {
  const n = checkBars(bars);
  const h = bars.high;
  const l = bars.low;
  const c = bars.close;
  const v = bars.volume;

  const k9 = 2 / (P.emaFast + 1);
  const k21 = 2 / (P.emaSlow + 1);
  const k12 = 2 / (P.macdFast + 1);
  const k26 = 2 / (P.macdSlow + 1);
  const kSignal = 2 / (P.macdSignal + 1);
  const kAtr = 1 / P.atr;
  const rsiKeep = P.rsi - 1;
  const rsiInv = 1 / P.rsi;
  const crossFrom = Math.max(P.emaFast, P.emaSlow) - 1;
  const lineAt = P.macdSlow - 1;
  const signalAt = lineAt + P.macdSignal - 1;

  let s9 = 0;
  let s21 = 0;
  let s12 = 0;
  let s26 = 0;
  let e9 = NaN;
  let e21 = NaN;
  let e12 = NaN;
  let e26 = NaN;
  let line = NaN;
  let sLine = 0;
  let signal = NaN;
  let gain = 0;
  let loss = 0;
  let trSum = 0;
  let atr = NaN;
  let side = NaN;
  let lastSide = 0;
  let cross = NaN;
  let priceVolume = 0;
  let volume = 0;
  let prev = n > 0 ? c[0]! : NaN;

  // Branches below are on the bar index only, so they are perfectly predicted after warm-up.
  for (let i = 0; i < n; i++) {
    const x = c[i]!;
    const hi = h[i]!;
    const lo = l[i]!;
    const vol = v[i]!;
    priceVolume += vol * ((hi + lo + x) / 3);
    volume += vol;

    if (i < P.emaFast) {
      s9 += x;
      if (i === P.emaFast - 1) e9 = s9 / P.emaFast;
    } else e9 = (x - e9) * k9 + e9;
    if (i < P.emaSlow) {
      s21 += x;
      if (i === P.emaSlow - 1) e21 = s21 / P.emaSlow;
    } else e21 = (x - e21) * k21 + e21;
    if (i < P.macdFast) {
      s12 += x;
      if (i === P.macdFast - 1) e12 = s12 / P.macdFast;
    } else e12 = (x - e12) * k12 + e12;
    if (i < P.macdSlow) {
      s26 += x;
      if (i === P.macdSlow - 1) e26 = s26 / P.macdSlow;
    } else e26 = (x - e26) * k26 + e26;

    if (i >= crossFrom) {
      side = Math.sign(e9 - e21);
      cross = side * lastSide < 0 ? side : 0;
      lastSide = side !== 0 ? side : lastSide;
    }
    if (i >= lineAt) {
      line = e12 - e26;
      if (i < signalAt) sLine += line;
      else if (i === signalAt) signal = (sLine + line) / P.macdSignal;
      else signal = (line - signal) * kSignal + signal;
    }

    if (i > 0) {
      const d = x - prev;
      const a = Math.abs(d);
      const tr = Math.max(hi - lo, Math.abs(hi - prev), Math.abs(lo - prev));
      if (i <= P.rsi) {
        gain += (a + d) * 0.5;
        loss += (a - d) * 0.5;
        if (i === P.rsi) {
          gain /= P.rsi;
          loss /= P.rsi;
        }
      } else {
        gain = (gain * rsiKeep + (a + d) * 0.5) * rsiInv;
        loss = (loss * rsiKeep + (a - d) * 0.5) * rsiInv;
      }
      if (i <= P.atr) {
        trSum += tr;
        if (i === P.atr) atr = trSum / P.atr;
      } else atr = (tr - atr) * kAtr + atr;
    }
    prev = x;
  }

  let bbMiddle = NaN;
  let bbUpper = NaN;
  let bbLower = NaN;
  if (n >= P.bollinger) {
    let sum = 0;
    for (let i = n - P.bollinger; i < n; i++) sum += c[i]!;
    const mean = sum / P.bollinger;
    let m2 = 0;
    for (let i = n - P.bollinger; i < n; i++) {
      const d = c[i]! - mean;
      m2 += d * d;
    }
    const width = Math.sqrt(m2 / P.bollinger) * P.bollingerStdDev;
    bbMiddle = mean;
    bbUpper = mean + width;
    bbLower = mean - width;
  }
  const close = n > 0 ? c[n - 1]! : NaN;
  const histogram = line - signal;
  return {
    barCount: n,
    close,
    rsi14: n > P.rsi ? rsiOf(gain, loss) : NaN,
    ema9: e9,
    ema21: e21,
    emaState: side,
    emaCross: cross,
    macd: line,
    macdSignal: signal,
    macdHistogram: histogram,
    atr14: atr,
    bbMiddle,
    bbUpper,
    bbLower,
    bbPercentB: bbUpper > bbLower ? (close - bbLower) / (bbUpper - bbLower) : NaN,
    vwap: priceVolume / volume,
  };
}
