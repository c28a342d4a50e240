/**
 * How long the cycles took (wall seconds from start to finish): the cycle is the work between a
 * scan and its orders, and a slow one trades on an older picture of the market.
 */
import type { CycleDurations, CycleReport } from './reportTypes';

const round2 = (n: number): number => Math.round(n * 100) / 100;

export function cycleDurations(cycles: readonly CycleReport[]): CycleDurations {
  const seconds = cycles.map((c) => c.durationSeconds).filter((s): s is number => s !== null);
  if (seconds.length === 0)
    return { cycles: 0, averageSeconds: null, shortestSeconds: null, longestSeconds: null };
  return {
    cycles: seconds.length,
    averageSeconds: round2(seconds.reduce((a, b) => a + b, 0) / seconds.length),
    shortestSeconds: Math.min(...seconds),
    longestSeconds: Math.max(...seconds),
  };
}
