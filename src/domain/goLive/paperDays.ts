import type { GoLiveCheck } from './check';
import { venueOfWorkflowId, type RecordedDay } from './record';

/** The guide's "at least 2 weeks of successful paper trading": ten trading days. */
export const MIN_PAPER_DAYS = 10;

/** Distinct dates with a completed paper day; every other venue's days are named as not counted. */
export function checkPaperDays(allDays: RecordedDay[]): GoLiveCheck {
  const dates = [
    ...new Set(
      allDays
        .filter((d) => venueOfWorkflowId(d.workflowId) === 'paper' && d.status === 'completed')
        .map((d) => d.tradingDate),
    ),
  ].sort();
  const others = (venue: 'simulator' | 'live'): number =>
    new Set(allDays.filter((d) => venueOfWorkflowId(d.workflowId) === venue).map((d) => d.tradingDate)).size;
  const ignored = [
    others('simulator') ? `${others('simulator')} simulator day(s)` : '',
    others('live') ? `${others('live')} live day(s)` : '',
  ].filter(Boolean);
  const span = dates.length ? ` (${dates[0]} … ${dates[dates.length - 1]})` : '';
  const pass = dates.length >= MIN_PAPER_DAYS;
  return {
    name: 'paper_days',
    status: pass ? 'pass' : 'fail',
    detail:
      `${dates.length} completed paper trading day(s)${span} ${pass ? '≥' : '<'} ${MIN_PAPER_DAYS}` +
      (ignored.length ? `; not counted: ${ignored.join(', ')}` : ''),
    value: dates.length,
    threshold: MIN_PAPER_DAYS,
  };
}
