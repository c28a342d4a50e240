/**
 * The trading-day schedule's spec, evaluated without a server (scheduleSpecTimes.ts): it fires at
 * 09:30 New York time on every weekday, on both sides of each daylight-saving change of 2026 and
 * 2027, and the launcher's planScheduledDay names the New York date of each fire. It also fires on
 * weekday holidays — the spec knows no calendar — and what the day does then is
 * test/workflows/calendarDay.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { createSettingsActivities } from '../../src/activities/settings';
import {
  isTradingDay,
  nyseHolidays,
  nyTimeToUtcMs,
  sessionBoundsMs,
  toNyIso,
  tradingDaysBetween,
  utcMsToNyDate,
  weekday,
} from '../../src/domain/calendar';
import { createSettingsSource, type SettingsSource } from '../../src/settings/settingsSource';
import { tradingScheduleOptions } from '../../src/stack/tradingSchedule';
import { scheduleFireTimes } from './scheduleSpecTimes';

const CONFIG_DIR = resolve(import.meta.dirname, '../../config');
const spec = tradingScheduleOptions(
  { venue: 'paper', account: 'PA123' },
  { paused: false, note: 'test' },
).spec;
const iso = (ms: number): string => new Date(ms).toISOString();

const TRANSITIONS = [
  { change: '2026-03-08', before: '2026-03-06', after: '2026-03-09', utcBefore: '14:30', utcAfter: '13:30' },
  { change: '2026-11-01', before: '2026-10-30', after: '2026-11-02', utcBefore: '13:30', utcAfter: '14:30' },
  { change: '2027-03-14', before: '2027-03-12', after: '2027-03-15', utcBefore: '14:30', utcAfter: '13:30' },
  { change: '2027-11-07', before: '2027-11-05', after: '2027-11-08', utcBefore: '13:30', utcAfter: '14:30' },
];

describe('the 09:30 New York schedule', () => {
  it('is a calendar spec in America/New_York, Monday–Friday at 09:30:00', () => {
    expect(spec.timezone).toBe('America/New_York');
    expect(scheduleFireTimes(spec, '2026-11-23', '2026-11-29').map(toNyIso)).toEqual([
      '2026-11-23T09:30:00.000-05:00',
      '2026-11-24T09:30:00.000-05:00',
      '2026-11-25T09:30:00.000-05:00',
      '2026-11-26T09:30:00.000-05:00', // Thanksgiving: the spec knows no holidays
      '2026-11-27T09:30:00.000-05:00',
    ]);
  });

  it.each(TRANSITIONS)(
    'fires at 09:30 New York on $before ($utcBefore Z) and $after ($utcAfter Z), across the change of $change',
    ({ before, after, utcBefore, utcAfter }) => {
      const fires = scheduleFireTimes(spec, before, after);
      expect(fires.map(iso)).toEqual([`${before}T${utcBefore}:00.000Z`, `${after}T${utcAfter}:00.000Z`]);
      expect(fires).toEqual([nyTimeToUtcMs(before, '09:30'), nyTimeToUtcMs(after, '09:30')]);
      expect(fires).toEqual([sessionBoundsMs(before)!.openMs, sessionBoundsMs(after)!.openMs]);
    },
  );

  it.each([2026, 2027])(
    'in %i fires once at the open of every trading day, and on weekday holidays',
    (year) => {
      const fires = scheduleFireTimes(spec, `${year}-01-01`, `${year}-12-31`);
      const byDate = new Map(fires.map((ms) => [utcMsToNyDate(ms), ms]));
      expect(byDate.size).toBe(fires.length); // one fire a date
      for (const ms of fires) expect(toNyIso(ms)).toMatch(/T09:30:00\.000-0[45]:00$/);
      for (const date of tradingDaysBetween(`${year}-01-01`, `${year}-12-31`))
        expect(byDate.get(date), date).toBe(sessionBoundsMs(date)!.openMs);
      const nonTrading = [...byDate.keys()].filter((d) => !isTradingDay(d));
      const weekdayHolidays = [...nyseHolidays(year)].filter((d) => weekday(d) !== 0 && weekday(d) !== 6);
      expect(nonTrading.sort()).toEqual(weekdayHolidays.sort());
    },
  );

  describe('the launcher names the New York date of each fire', () => {
    let settings: SettingsSource;
    beforeAll(() => {
      settings = createSettingsSource({ configDir: CONFIG_DIR, env: {}, log: () => {} });
    });
    afterAll(() => settings?.close());

    it('for every fire of 2026 and 2027, DST changes included', async () => {
      const { planScheduledDay } = createSettingsActivities({
        settings,
        venue: 'paper',
        accountNumber: 'PA123',
      });
      for (const ms of scheduleFireTimes(spec, '2026-01-01', '2027-12-31')) {
        const input = await planScheduledDay(ms);
        expect(input.tradingDate, iso(ms)).toBe(toNyIso(ms).slice(0, 10));
        expect(input).toMatchObject({ speed: 1, venue: 'paper', account: 'PA123' });
      }
    });
  });
});
