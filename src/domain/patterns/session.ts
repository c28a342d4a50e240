/**
 * Input checks shared by detectPatterns and the setups, done once per call outside the loops: a
 * session start past the bars or a fractional one would read undefined → NaN and quietly never
 * fire, which is worse than failing.
 */
import { checkBars, type OhlcvBars } from '../indicators/kernels/bars';

/** Returns the bar count. `sessionStart === bars.length` is allowed: the session has no bar yet. */
export function checkSession(bars: OhlcvBars, sessionStart: number): number {
  const n = checkBars(bars);
  if (!Number.isInteger(sessionStart) || sessionStart < 0 || sessionStart > n)
    throw new RangeError(`sessionStart must be an integer in [0, ${n}]: ${sessionStart}`);
  return n;
}
