import { describe, expect, it } from 'vitest';
import {
  isTradingDay,
  nextTradingDay,
  nyTimeToUtcMs,
  previousTradingDay,
  sessionFor,
  toNyIso,
  tradingDaysBetween,
  utcMsToNyDate,
} from '../../src/domain/calendar';

describe('NYSE calendar', () => {
  it('knows the fixed and floating holidays', () => {
    const closed = [
      '2026-01-01', // New Year
      '2026-01-19', // MLK
      '2026-02-16', // Presidents
      '2026-04-03', // Good Friday
      '2026-05-25', // Memorial
      '2026-06-19', // Juneteenth
      '2026-07-03', // Independence Day observed (July 4 is a Saturday)
      '2026-09-07', // Labor
      '2026-11-26', // Thanksgiving
      '2026-12-25', // Christmas
      '2025-04-18', // Good Friday 2025
      '2024-03-29', // Good Friday 2024
      '2022-06-20', // Juneteenth observed on Monday
      '2027-06-18', // Juneteenth observed on Friday
      '2023-01-02', // New Year observed on Monday
      '2027-12-24', // Christmas 2027 is a Saturday
      '2025-01-09', // National day of mourning
    ];
    for (const d of closed) expect(isTradingDay(d), d).toBe(false);
  });

  it('does not close on Friday Dec 31 when New Year falls on a Saturday', () => {
    expect(isTradingDay('2021-12-31')).toBe(true);
    expect(isTradingDay('2027-12-31')).toBe(true);
    expect(isTradingDay('2022-01-03')).toBe(true);
    expect(sessionFor('2027-12-31')?.close).toBe('16:00');
  });

  it('closes early at 13:00 on the known half days', () => {
    expect(sessionFor('2026-11-27')).toEqual({ date: '2026-11-27', open: '09:30', close: '13:00' });
    expect(sessionFor('2025-07-03')?.close).toBe('13:00');
    expect(sessionFor('2025-12-24')?.close).toBe('13:00');
    expect(sessionFor('2026-12-24')?.close).toBe('13:00');
    expect(sessionFor('2024-07-03')?.close).toBe('13:00');
    expect(sessionFor('2026-07-02')?.close).toBe('16:00');
    expect(sessionFor('2026-11-26')).toBeNull();
    expect(sessionFor('2027-12-24')).toBeNull();
    expect(sessionFor('2026-11-30')?.close).toBe('16:00');
  });

  it('skips weekends and holidays when stepping', () => {
    expect(nextTradingDay('2026-11-25')).toBe('2026-11-27');
    expect(previousTradingDay('2026-11-30')).toBe('2026-11-27');
    expect(nextTradingDay('2026-07-02')).toBe('2026-07-06');
    expect(previousTradingDay('2026-01-05')).toBe('2026-01-02');
    expect(tradingDaysBetween('2026-11-23', '2026-11-30')).toEqual([
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-27',
      '2026-11-30',
    ]);
    // 252 trading days is the usual year; 2025 had 250 (extra day of mourning).
    expect(tradingDaysBetween('2024-01-01', '2024-12-31')).toHaveLength(252);
    expect(tradingDaysBetween('2025-01-01', '2025-12-31')).toHaveLength(250);
  });

  it('converts New York wall time across daylight saving', () => {
    expect(new Date(nyTimeToUtcMs('2026-01-15', '09:30')).toISOString()).toBe('2026-01-15T14:30:00.000Z');
    expect(new Date(nyTimeToUtcMs('2026-07-15', '09:30')).toISOString()).toBe('2026-07-15T13:30:00.000Z');
    expect(toNyIso(Date.parse('2026-01-15T14:30:00Z'))).toBe('2026-01-15T09:30:00.000-05:00');
    expect(toNyIso(Date.parse('2026-07-15T20:00:00Z'))).toBe('2026-07-15T16:00:00.000-04:00');
    expect(utcMsToNyDate(Date.parse('2026-07-16T03:59:00Z'))).toBe('2026-07-15');
    expect(utcMsToNyDate(Date.parse('2026-07-16T04:00:00Z'))).toBe('2026-07-16');
  });

  it('rejects malformed dates', () => {
    expect(() => isTradingDay('2026-02-30')).toThrow();
    expect(() => nyTimeToUtcMs('2026-02-03', '9:30')).toThrow();
  });
});
