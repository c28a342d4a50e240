/**
 * The funnel: how many candidates each stage let through, per cycle and summed over the range,
 * with the average per cycle. Only cycles that recorded a funnel count (one that failed before
 * its funnel has none).
 */
import type { ReportCycleRow } from './reportRows';
import type { CycleReport, FunnelStage, FunnelStageTotal } from './reportTypes';

/** The stages in the order the funnel narrows. */
export const FUNNEL_STAGES: readonly FunnelStage[] = [
  'universe',
  'scanned',
  'news',
  'patterns',
  'technical',
  'scored',
  'risk_approved',
  'orders',
];

function durationSeconds(row: ReportCycleRow): number | null {
  if (!row.finishedAt) return null;
  const ms = Date.parse(row.finishedAt) - Date.parse(row.startedAt);
  return Number.isFinite(ms) ? Math.round(ms / 10) / 100 : null;
}

/** The range's cycles in market-time order, with their funnel and how long each took. */
export function cycleReports(cycles: readonly ReportCycleRow[]): CycleReport[] {
  return [...cycles]
    .sort((a, b) =>
      a.marketTime !== b.marketTime ? (a.marketTime < b.marketTime ? -1 : 1) : a.cycleNumber - b.cycleNumber,
    )
    .map((c) => ({
      cycleId: c.cycleId,
      tradingDate: c.tradingDate,
      cycleNumber: c.cycleNumber,
      marketTime: c.marketTime,
      status: c.status,
      durationSeconds: durationSeconds(c),
      funnel: c.funnel ? { ...c.funnel } : null,
      error: c.error,
    }));
}

export function funnelTotals(cycles: readonly CycleReport[]): FunnelStageTotal[] {
  const counted = cycles.filter((c) => c.funnel !== null);
  return FUNNEL_STAGES.map((stage) => {
    const total = counted.reduce((sum, c) => sum + (c.funnel![stage] ?? 0), 0);
    return {
      stage,
      total,
      perCycle: counted.length === 0 ? 0 : Math.round((total / counted.length) * 100) / 100,
    };
  });
}
