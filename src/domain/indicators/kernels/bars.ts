/**
 * Struct-of-arrays bars for the indicator kernels: one series per symbol, oldest first.
 *
 * Why struct-of-arrays: every kernel streams one or two fields (close, or high/low/close), so
 * keeping each field contiguous in a Float64Array lets a loop touch only the bytes it needs and
 * keeps V8 on unboxed doubles; an array of bar objects costs a pointer chase and a boxed number
 * per field read.
 *
 * Why a separate `length`: callers can preallocate the arrays at a session's capacity (390 one-minute
 * bars) and reuse them across symbols and across the day; kernels read only `[0, length)`.
 */
import { INDICATOR_PERIODS } from '../periods';
export interface OhlcvBars {
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  length: number;
}

/** The periods the kernels default to: the guide's (shared with the technicalindicators pass). */
export const KERNEL_PERIODS = INDICATOR_PERIODS;

/** Wraps plain arrays (tests, one-off callers); hot paths should fill Float64Arrays directly. */
export function ohlcvFromArrays(bars: {
  open: ArrayLike<number>;
  high: ArrayLike<number>;
  low: ArrayLike<number>;
  close: ArrayLike<number>;
  volume: ArrayLike<number>;
}): OhlcvBars {
  const length = bars.close.length;
  for (const k of ['open', 'high', 'low', 'volume'] as const) {
    if (bars[k].length !== length)
      throw new RangeError(`${k} has ${bars[k].length} bars, close has ${length}`);
  }
  return {
    open: Float64Array.from(bars.open),
    high: Float64Array.from(bars.high),
    low: Float64Array.from(bars.low),
    close: Float64Array.from(bars.close),
    volume: Float64Array.from(bars.volume),
    length,
  };
}

/**
 * Checks done once per call, outside the loops: a short output array would otherwise make a typed
 * array silently drop writes, and a bad `length` would read past the input as undefined → NaN.
 */
export function checkBars(bars: OhlcvBars): number {
  const n = bars.length;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`bars.length must be a non-negative integer: ${n}`);
  if (
    bars.open.length < n ||
    bars.high.length < n ||
    bars.low.length < n ||
    bars.close.length < n ||
    bars.volume.length < n
  )
    throw new RangeError(`bars.length ${n} exceeds a field array's length`);
  return n;
}

export function checkOutputs(n: number, ...outs: Float64Array[]): void {
  for (const out of outs) {
    if (out.length < n) throw new RangeError(`output has room for ${out.length} values, need ${n}`);
  }
}

export function checkPeriod(name: string, period: number): void {
  if (!Number.isInteger(period) || period < 1)
    throw new RangeError(`${name} period must be a positive integer: ${period}`);
}
