/**
 * technicalindicators' "approximately equal" (CandlestickFinder.approximateEqual), reproduced to
 * the boolean: |a − b| and a × 0.001 are each rounded to 4 significant digits (toPrecision(4),
 * parsed back), then compared with ≤. The tolerance is relative to `a`, so the argument order
 * matters, as in the oracle.
 *
 * Why not just |a − b| ≤ 0.001·a: the rounding makes near-misses count as equal (|a − b| =
 * 0.01000001 against 0.01 rounds to 0.01000 on both sides), and the oracle tests compare on prices
 * quantised to cents where such ties are common.
 *
 * Why the fast path: toPrecision builds a string. Rounding to a fixed number of significant digits
 * is monotone, so raw left ≤ right already implies rounded left ≤ rounded right; and when left > right
 * the rounded values can only meet if the raw values are within the rounding error (≤ 0.05% each)
 * of one another. Only that narrow band pays for the strings.
 */
export function approxEqual(a: number, b: number): boolean {
  const left = Math.abs(a - b);
  const right = a * 0.001;
  if (left <= right) return true;
  // Outside the band (or NaN): rounding cannot bring them together. 1% is far wider than needed.
  if (!(left <= right + Math.abs(right) * 0.01)) return false;
  return roundTo4(left) <= roundTo4(right);
}

function roundTo4(x: number): number {
  return parseFloat(x.toPrecision(4));
}
