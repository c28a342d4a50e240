/**
 * How each funnel stage cuts its list: by the stage's own evidence first, then by what the earlier
 * stages saw, then by symbol (code-point order), so one set of inputs always gives one list.
 */
export type RankKey<T> = (item: T) => number;

/** The best `n` of `items` by `keys` (each higher-is-better, compared in order). */
export function cutStage<T extends { symbol: string }>(
  items: readonly T[],
  n: number,
  keys: readonly RankKey<T>[],
): T[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`stage size must be a non-negative integer: ${n}`);
  return [...items].sort((a, b) => compareBy(a, b, keys)).slice(0, n);
}

export function compareBy<T extends { symbol: string }>(a: T, b: T, keys: readonly RankKey<T>[]): number {
  for (const key of keys) {
    const d = key(b) - key(a);
    if (d !== 0 && !Number.isNaN(d)) return d;
  }
  return a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;
}
