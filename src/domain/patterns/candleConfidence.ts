/**
 * How much a candlestick that fired is worth: the pattern's textbook reliability, scaled by how
 * big its bars were against the bars just before it (range and volume). Why: on one-minute bars
 * most candlestick shapes form in quiet, tiny bars where they mean nothing; the same shape on bars
 * larger and busier than usual is a real change of hands.
 *
 * confidence = reliability × (0.5 + 0.25 × rangeScore + 0.25 × volumeScore), each score
 * clamp01(ratio / 2): bars like their context score 0.5 (so confidence = 0.75 × reliability),
 * twice the context or more score 1. Without context (the session's first bars) both scores are
 * 0.5: no evidence either way.
 */
import type { OhlcvBars } from '../indicators/kernels/bars';

export interface CandleStrength {
  confidence: number;
  /** Pattern bars' mean high − low over the context bars' (NaN without context). */
  rangeRatio: number;
  /** Pattern bars' mean volume over the context bars' (NaN without context). */
  volumeRatio: number;
}

/**
 * @param i the pattern's last bar; its bars are [i − span + 1, i]
 * @param from the first bar the context may use (the session's first bar)
 * @param contextBars how many bars before the pattern to compare with
 */
export function candleConfidence(
  bars: OhlcvBars,
  i: number,
  span: number,
  reliability: number,
  from: number,
  contextBars: number,
): CandleStrength {
  const { high: h, low: l, volume: v } = bars;
  const first = i - span + 1;
  let patRange = 0;
  let patVolume = 0;
  for (let k = first; k <= i; k++) {
    patRange += h[k]! - l[k]!;
    patVolume += v[k]!;
  }
  patRange /= span;
  patVolume /= span;
  const ctxFrom = Math.max(from, first - contextBars);
  const ctxCount = first - ctxFrom;
  let ctxRange = 0;
  let ctxVolume = 0;
  for (let k = ctxFrom; k < first; k++) {
    ctxRange += h[k]! - l[k]!;
    ctxVolume += v[k]!;
  }
  const rangeRatio = ctxCount > 0 ? ratio(patRange, ctxRange / ctxCount) : NaN;
  const volumeRatio = ctxCount > 0 ? ratio(patVolume, ctxVolume / ctxCount) : NaN;
  const confidence = clamp01(reliability * (0.5 + 0.25 * score(rangeRatio) + 0.25 * score(volumeRatio)));
  return { confidence, rangeRatio, volumeRatio };
}

/** x / base, with a flat base (0) reading as "much larger" when x is not flat too. */
function ratio(x: number, base: number): number {
  if (base > 0) return x / base;
  return x > 0 ? Infinity : NaN;
}

function score(r: number): number {
  return Number.isNaN(r) ? 0.5 : clamp01(r / 2);
}

export function clamp01(x: number): number {
  return x > 1 ? 1 : x > 0 ? x : 0;
}
