/**
 * Minute bars → N-minute bars, aligned to each session's open (09:30 New York): a 1Hour bar starts
 * 09:30, 10:30, …, so the first bar of a day is a whole bar of regular trading, and a timeframe's
 * bars do not depend on the minute the day is read at. OHLC = first open, max high, min low, last
 * close; volume summed.
 *
 * A bucket belongs to one session: it starts at the open + k·N minutes and ends at the next
 * boundary or the close, whichever comes first (a 1Hour bar of 15:30 is 30 minutes long; so is the
 * last bar of an early close). Minute bars outside every session (extended hours) belong to no
 * bucket: their thin, wide prints are not the range a stop faces during the session.
 *
 * A missing minute (no trade) is no bar, so a bucket is built from the minutes it has; a bucket
 * with none does not exist (it is not a zero-range bar, which would drag an ATR down).
 */
import type { OhlcvBars } from './kernels';

export interface SessionHours {
  openMs: number;
  closeMs: number;
}

export interface TimedBars extends OhlcvBars {
  /** Start of each bar, epoch ms. */
  startMs: Float64Array;
}

const MINUTE_MS = 60_000;

/**
 * `minuteStartMs[i]` is the start of `bars[i]`, ascending; `sessions` the sessions the bars may
 * come from, in any order.
 */
export function aggregateBars(
  bars: OhlcvBars,
  minuteStartMs: ArrayLike<number>,
  minutes: number,
  sessions: readonly SessionHours[],
  asOfMs: number,
): TimedBars {
  if (!Number.isInteger(minutes) || minutes < 1)
    throw new RangeError(`minutes must be a positive integer: ${minutes}`);
  const n = bars.length;
  if (minuteStartMs.length < n) throw new RangeError(`${minuteStartMs.length} bar times for ${n} bars`);
  const step = minutes * MINUTE_MS;
  const days = [...sessions].sort((a, b) => a.openMs - b.openMs);
  const out: TimedBars = {
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
    startMs: new Float64Array(n),
    length: 0,
  };

  let day = 0;
  let prevT = -Infinity;
  let k = -1; // index of the bucket being filled
  for (let i = 0; i < n; i++) {
    const t = minuteStartMs[i]!;
    if (!(t > prevT)) throw new RangeError(`bar times must be ascending: ${prevT} then ${t} at ${i}`);
    prevT = t;
    while (day < days.length && t >= days[day]!.closeMs) day++;
    const s = days[day];
    if (!s || t < s.openMs) continue;
    const start = s.openMs + Math.floor((t - s.openMs) / step) * step;
    // A bucket not over by the as-of minute is dropped: its range is not final yet.
    if (Math.min(start + step, s.closeMs) > asOfMs) continue;
    if (k >= 0 && out.startMs[k] === start) {
      out.high[k] = Math.max(out.high[k]!, bars.high[i]!);
      out.low[k] = Math.min(out.low[k]!, bars.low[i]!);
      out.close[k] = bars.close[i]!;
      out.volume[k] = out.volume[k]! + bars.volume[i]!;
    } else {
      k++;
      out.startMs[k] = start;
      out.open[k] = bars.open[i]!;
      out.high[k] = bars.high[i]!;
      out.low[k] = bars.low[i]!;
      out.close[k] = bars.close[i]!;
      out.volume[k] = bars.volume[i]!;
    }
  }
  out.length = k + 1;
  return out;
}
