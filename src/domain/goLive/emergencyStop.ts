import type { GoLiveCheck } from './check';
import type { EmergencyStopEvent } from './record';

/** The guide's "risk controls validated (emergency stop tested)": at least one stop on paper. */
export function checkEmergencyStop(paperStops: EmergencyStopEvent[]): GoLiveCheck {
  const dates = [...new Set(paperStops.map((e) => e.tradingDate))].sort();
  const n = paperStops.length;
  return {
    name: 'emergency_stop',
    status: n > 0 ? 'pass' : 'fail',
    detail:
      n > 0
        ? `emergency stop exercised on paper ${n} time(s) (${dates.join(', ')}) ≥ 1`
        : 'emergency stop never exercised on paper (needs ≥ 1): run `catalyst halt --reason "go-live drill"` during a paper day',
    value: n,
    threshold: 1,
  };
}
