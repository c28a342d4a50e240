/** Small formatters shared by the reason strings, so every hit reads the same way. */

export function price(x: number): string {
  return x.toFixed(2);
}

/** "1.8×"; a ratio over a zero base reads "∞×", 0/0 "n/a×" rather than NaN×. */
export function times(ratio: number): string {
  if (Number.isNaN(ratio)) return 'n/a×';
  return Number.isFinite(ratio) ? `${ratio.toFixed(1)}×` : '∞×';
}

/** "" for the last bar, ", 1 bar ago", ", 2 bars ago". */
export function barsAgo(age: number): string {
  return age === 0 ? '' : `, ${age} bar${age === 1 ? '' : 's'} ago`;
}

/** decay^age, the staleness discount of a pattern completed `age` bars before the last bar. */
export function staleness(decay: number, age: number): number {
  return decay ** age;
}
