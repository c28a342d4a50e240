/**
 * Exposure over time: the cost of the shares Catalyst held after each fill, and its peak. Cost,
 * not market value: the report reads only fills, and cost is what the risk budget was spent on.
 */
import { formatMicros, microsToDecimal, type Micros } from '../money';
import type { TimelineStep } from './fillTimeline';
import type { ExposurePoint } from './reportTypes';

export interface ExposureCurve {
  points: ExposurePoint[];
  peakExposure: string;
}

export function exposureCurve(timeline: readonly TimelineStep[]): ExposureCurve {
  let peak: Micros = 0n;
  const points = timeline.map((step): ExposurePoint => {
    if (step.openNotional > peak) peak = step.openNotional;
    return {
      at: step.fill.filledAt,
      tradingDate: step.tradingDate,
      openNotional: microsToDecimal(step.openNotional),
      openPositions: step.openPositions,
    };
  });
  return { points, peakExposure: formatMicros(peak, 2) };
}
