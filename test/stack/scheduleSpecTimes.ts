/**
 * The fire times of a Temporal schedule spec, evaluated without a server. The spec is first
 * encoded by the SDK's own encoder (what `client.schedule.create` sends), then matched the way the
 * server's structured calendar defines it: a wall-clock second in the spec's time zone fires when
 * every field matches one of its ranges (start ≤ v ≤ max(start, end), (v − start) mod step = 0;
 * no year range = every year). Only calendar specs are evaluated: anything else in the spec
 * (intervals, cron strings, skips, start/end, jitter) throws, so a change to the schedule makes
 * its tests be revisited rather than pass on a partial reading.
 */
import { encodeScheduleSpec } from '@temporalio/client/lib/schedule-helpers';
import type { ScheduleSpec } from '@temporalio/client';
import { DateTime } from 'luxon';

interface EncodedRange {
  start?: number | null;
  end?: number | null;
  step?: number | null;
}

const matches = (
  ranges: EncodedRange[] | null | undefined,
  value: number,
  emptyMeansAll = false,
): boolean => {
  if (!ranges || ranges.length === 0) return emptyMeansAll;
  return ranges.some((r) => {
    const start = r.start ?? 0;
    const end = Math.max(start, r.end ?? 0);
    const step = r.step && r.step > 0 ? r.step : 1;
    return value >= start && value <= end && (value - start) % step === 0;
  });
};

const values = (ranges: EncodedRange[] | null | undefined, max: number): number[] =>
  Array.from({ length: max + 1 }, (_, v) => v).filter((v) => matches(ranges, v));

/** Fire times (epoch ms) of the spec's calendars on the local dates from `fromDate` to `toDate`, inclusive. */
export function scheduleFireTimes(spec: ScheduleSpec, fromDate: string, toDate: string): number[] {
  const encoded = encodeScheduleSpec(spec);
  const unsupported = {
    intervals: encoded.interval?.length,
    cronExpressions: encoded.cronString?.length,
    skip: encoded.excludeStructuredCalendar?.length,
    startAt: encoded.startTime,
    endAt: encoded.endTime,
    jitter: encoded.jitter,
  };
  for (const [field, value] of Object.entries(unsupported))
    if (value) throw new Error(`scheduleFireTimes does not evaluate spec.${field}`);
  const zone = encoded.timezoneName;
  if (!zone) throw new Error('the spec has no time zone: it would fire in UTC');
  const out: number[] = [];
  const last = DateTime.fromISO(toDate, { zone });
  for (let day = DateTime.fromISO(fromDate, { zone }); day <= last; day = day.plus({ days: 1 })) {
    for (const cal of encoded.structuredCalendar ?? []) {
      const dayOfWeek = day.weekday % 7; // luxon: Monday 1 … Sunday 7; Temporal: Sunday 0 … Saturday 6
      if (
        !matches(cal.year, day.year, true) ||
        !matches(cal.month, day.month) ||
        !matches(cal.dayOfMonth, day.day) ||
        !matches(cal.dayOfWeek, dayOfWeek)
      )
        continue;
      for (const hour of values(cal.hour, 23))
        for (const minute of values(cal.minute, 59))
          for (const second of values(cal.second, 59)) {
            const t = day.set({ hour, minute, second, millisecond: 0 });
            // A wall time skipped by a spring-forward change has no instant; none of ours is in one.
            if (t.hour !== hour || t.minute !== minute)
              throw new Error(`${day.toISODate()} ${hour}:${minute} does not exist in ${zone}`);
            out.push(t.toMillis());
          }
    }
  }
  return out.sort((a, b) => a - b);
}
