/**
 * What the pattern stage reports per symbol. One hit per pattern name at most: the cycle stores
 * hits keyed by (cycle, security, pattern), and the ranking should count a pattern once however
 * many recent bars show it.
 */
export type PatternKind = 'candlestick' | 'setup';
export type PatternDirection = 'bullish' | 'bearish' | 'neutral';

export interface PatternHit {
  pattern: string;
  kind: PatternKind;
  direction: PatternDirection;
  /** In [0, 1]: how clear the pattern is, already discounted for how many bars ago it completed. */
  confidence: number;
  /** Index into the bars of the pattern's last bar (a setup's trigger bar). */
  barIndex: number;
  reason: string;
}
