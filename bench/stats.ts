/** Small statistics shared by the benches' reports. */

/** The nearest-rank quantile (q in [0, 1]) of a non-empty sample: a value that occurred. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) throw new Error('quantile of an empty sample');
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

/** `x` rounded to `digits` decimals. */
export const round = (x: number, digits = 0): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** Mebibytes from kibibytes (what /proc reports), one decimal. */
export const mib = (kib: number): number => round(kib / 1024, 1);
