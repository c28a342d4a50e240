/**
 * New York wall time across the daylight-saving changes of 2026 and 2027: the open is 09:30 in
 * New York on the trading days either side, which is 14:30Z in winter (EST, UTC−5) and 13:30Z in
 * summer (EDT, UTC−4). The schedule's side of it is test/stack/tradingSchedule.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  nextTradingDay,
  nyTimeToUtcMs,
  previousTradingDay,
  sessionBoundsMs,
  toNyIso,
  utcMsToNyDate,
  weekday,
} from '../../src/domain/calendar';

const iso = (ms: number): string => new Date(ms).toISOString();
const HOUR_MS = 3_600_000;

/** Each change (a Sunday), the last trading day before it and the first after, and the offsets. */
const TRANSITIONS = [
  {
    change: '2026-03-08',
    before: '2026-03-06',
    after: '2026-03-09',
    openBefore: '14:30',
    openAfter: '13:30',
  },
  {
    change: '2026-11-01',
    before: '2026-10-30',
    after: '2026-11-02',
    openBefore: '13:30',
    openAfter: '14:30',
  },
  {
    change: '2027-03-14',
    before: '2027-03-12',
    after: '2027-03-15',
    openBefore: '14:30',
    openAfter: '13:30',
  },
  {
    change: '2027-11-07',
    before: '2027-11-05',
    after: '2027-11-08',
    openBefore: '13:30',
    openAfter: '14:30',
  },
];

describe('New York time across daylight saving, 2026 and 2027', () => {
  it.each(TRANSITIONS)(
    'the change of $change (a Sunday) falls between the trading days $before and $after',
    ({ change, before, after }) => {
      expect(weekday(change)).toBe(0);
      expect(previousTradingDay(change)).toBe(before);
      expect(nextTradingDay(change)).toBe(after);
    },
  );

  it.each(TRANSITIONS)(
    '09:30 New York is $openBefore Z on $before and $openAfter Z on $after',
    ({ before, after, openBefore, openAfter }) => {
      expect(iso(nyTimeToUtcMs(before, '09:30'))).toBe(`${before}T${openBefore}:00.000Z`);
      expect(iso(nyTimeToUtcMs(after, '09:30'))).toBe(`${after}T${openAfter}:00.000Z`);
      // and back: the instant reads as 09:30 on the same New York date
      expect(toNyIso(nyTimeToUtcMs(before, '09:30'))).toMatch(
        new RegExp(`^${before}T09:30:00\\.000-0[45]:00$`),
      );
      expect(toNyIso(nyTimeToUtcMs(after, '09:30'))).toMatch(
        new RegExp(`^${after}T09:30:00\\.000-0[45]:00$`),
      );
      expect(utcMsToNyDate(nyTimeToUtcMs(after, '09:30'))).toBe(after);
    },
  );

  it.each(TRANSITIONS)(
    'sessions on $before and $after are 6.5 hours, 09:30–16:00 New York',
    ({ before, after }) => {
      for (const date of [before, after]) {
        const bounds = sessionBoundsMs(date)!;
        expect(bounds.closeMs - bounds.openMs).toBe(6.5 * HOUR_MS);
        expect(toNyIso(bounds.openMs)).toContain('T09:30:00.000');
        expect(toNyIso(bounds.closeMs)).toContain('T16:00:00.000');
      }
    },
  );

  it('counts the change day itself as 23 or 25 hours, so wall time cannot be reached by adding 24 h', () => {
    expect(nyTimeToUtcMs('2026-03-09', '09:30') - nyTimeToUtcMs('2026-03-08', '09:30')).toBe(24 * HOUR_MS);
    expect(nyTimeToUtcMs('2026-03-08', '09:30') - nyTimeToUtcMs('2026-03-07', '09:30')).toBe(23 * HOUR_MS);
    expect(nyTimeToUtcMs('2026-11-01', '09:30') - nyTimeToUtcMs('2026-10-31', '09:30')).toBe(25 * HOUR_MS);
    expect(nyTimeToUtcMs('2027-03-14', '09:30') - nyTimeToUtcMs('2027-03-13', '09:30')).toBe(23 * HOUR_MS);
    expect(nyTimeToUtcMs('2027-11-07', '09:30') - nyTimeToUtcMs('2027-11-06', '09:30')).toBe(25 * HOUR_MS);
  });
});
