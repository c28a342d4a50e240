import type { GoLiveCheck } from './check';
import type { RecordedDay } from './record';

export interface BadDay {
  tradingDate: string;
  workflowId: string;
  why: string;
}

/**
 * Days that did not end cleanly: failed; still `running` after their date (the worker died and
 * nothing finished the day); or ended with Catalyst's positions or orders still open.
 */
export function badDays(days: RecordedDay[], todayNy: string): BadDay[] {
  const bad: BadDay[] = [];
  for (const d of days) {
    const whys: string[] = [];
    if (d.status === 'failed') whys.push('failed');
    if (d.status === 'running' && d.tradingDate < todayNy) whys.push('left running');
    if ((d.openPositionsAtClose ?? 0) > 0) whys.push(`${d.openPositionsAtClose} open position(s) at close`);
    if ((d.openOrdersAtClose ?? 0) > 0) whys.push(`${d.openOrdersAtClose} open order(s) at close`);
    if (whys.length) bad.push({ tradingDate: d.tradingDate, workflowId: d.workflowId, why: whys.join(', ') });
  }
  return bad.sort((a, b) => (a.tradingDate < b.tradingDate ? -1 : a.tradingDate > b.tradingDate ? 1 : 0));
}

/** The guide's "all services stable (no crashes)", over every paper day on record. */
export function checkFailedDays(paperDays: RecordedDay[], todayNy: string): GoLiveCheck {
  const bad = badDays(paperDays, todayNy);
  return {
    name: 'no_failed_days',
    status: bad.length === 0 ? 'pass' : 'fail',
    detail:
      bad.length === 0
        ? `no failed or crashed paper days (${paperDays.length} day run(s))`
        : `${bad.length} failed or crashed paper day(s): ${bad.map((b) => `${b.tradingDate} ${b.why} (${b.workflowId})`).join('; ')}`,
    value: bad.length,
    threshold: 0,
  };
}
