/**
 * Our NYSE calendar against sources that do not share its code: the npm package `nyse-holidays`
 * (2020–2030), a hand-written table of the exchange's 13:00 closes (2020–2030), the S&P 500's
 * daily record (every session the exchange actually held, 2000-01-03 … 2020-04-17) and the one
 * calendar example in Alpaca's contract. There is no recording of Alpaca's real /v2/calendar in
 * the project or in /work/shared/reference, so the broker side is checked at run time instead
 * (test/activities/calendarCheck.test.ts).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { getHolidays } from 'nyse-holidays';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  isTradingDay,
  nyseHolidays,
  sessionFor,
  tradingDaysBetween,
  weekday,
} from '../../src/domain/calendar';

const YEARS = Array.from({ length: 11 }, (_, i) => 2020 + i);

/**
 * Closures outside the holiday rules that `nyse-holidays` does not list. Each is in
 * SPECIAL_CLOSURES of src/domain/calendar.ts, and each needs a reason here.
 */
const SPECIAL_CLOSURES_2020_2030: Record<string, string> = {
  '2025-01-09': 'National Day of Mourning for President Jimmy Carter (NYSE closed by announcement)',
};

/**
 * The exchange's 13:00 closes, written out by hand from the rules the NYSE publishes: July 3 when
 * it is a weekday and not itself the observed Independence Day, the day after Thanksgiving, and
 * December 24 when it is a weekday and not the observed Christmas.
 */
const EARLY_CLOSES: Record<number, string[]> = {
  2020: ['2020-11-27', '2020-12-24'], // Jul 3 (Fri) is the observed Independence Day
  2021: ['2021-11-26'], // Jul 3 is a Saturday; Dec 24 (Fri) is the observed Christmas
  2022: ['2022-11-25'], // Jul 3 is a Sunday; Dec 24 is a Saturday
  2023: ['2023-07-03', '2023-11-24'], // Dec 24 is a Sunday
  2024: ['2024-07-03', '2024-11-29', '2024-12-24'],
  2025: ['2025-07-03', '2025-11-28', '2025-12-24'],
  2026: ['2026-11-27', '2026-12-24'], // Jul 3 (Fri) is the observed Independence Day
  2027: ['2027-11-26'], // Jul 3 is a Saturday; Dec 24 (Fri) is the observed Christmas
  2028: ['2028-07-03', '2028-11-24'], // Dec 24 is a Sunday
  2029: ['2029-07-03', '2029-11-23', '2029-12-24'],
  2030: ['2030-07-03', '2030-11-29', '2030-12-24'],
};

const daysOf = (year: number): string[] => {
  const out: string[] = [];
  for (let d = `${year}-01-01`; d <= `${year}-12-31`; d = addDays(d, 1)) out.push(d);
  return out;
};

describe('NYSE calendar against nyse-holidays, 2020–2030', () => {
  it.each(YEARS)('%i: the same full-day holidays, but for the listed special closures', (year) => {
    const theirs = getHolidays(year).map((h) => h.dateString);
    const ours = [...nyseHolidays(year)];
    const special = Object.keys(SPECIAL_CLOSURES_2020_2030).filter((d) => d.startsWith(`${year}-`));
    expect(ours.filter((d) => !special.includes(d)).sort()).toEqual([...theirs].sort());
    for (const d of special) expect(theirs, `${d} is a special closure nyse-holidays lacks`).not.toContain(d);
  });

  it('keeps each special closure in SPECIAL_CLOSURES: the exchange did not open', () => {
    for (const [date, reason] of Object.entries(SPECIAL_CLOSURES_2020_2030)) {
      expect(nyseHolidays(Number(date.slice(0, 4))).has(date), reason).toBe(true);
      expect(isTradingDay(date), reason).toBe(false);
      expect([1, 2, 3, 4, 5], `${date} is a weekday`).toContain(weekday(date));
    }
  });

  it('agrees with nyse-holidays on every date of the eleven years, weekends included', () => {
    for (const year of YEARS) {
      const theirs = new Set(getHolidays(year).map((h) => h.dateString));
      for (const d of daysOf(year)) {
        const weekend = weekday(d) === 0 || weekday(d) === 6;
        const expected = !weekend && !theirs.has(d) && !(d in SPECIAL_CLOSURES_2020_2030);
        expect(isTradingDay(d), d).toBe(expected);
      }
    }
  });
});

describe('NYSE early closes, 2020–2030', () => {
  it.each(YEARS)('%i: 13:00 exactly on the known early-close days', (year) => {
    const early = daysOf(year).filter((d) => sessionFor(d)?.close === '13:00');
    expect(early).toEqual(EARLY_CLOSES[year]);
    for (const d of early) expect(sessionFor(d)).toEqual({ date: d, open: '09:30', close: '13:00' });
  });

  it('does not close early on July 3, 2026: it is the observed Independence Day (July 4 is a Saturday)', () => {
    expect(weekday('2026-07-03')).toBe(5);
    expect(sessionFor('2026-07-03')).toBeNull();
    expect(sessionFor('2026-07-02')?.close).toBe('16:00');
  });

  it('every other trading day opens 09:30 and closes 16:00', () => {
    for (const year of YEARS)
      for (const d of tradingDaysBetween(`${year}-01-01`, `${year}-12-31`)) {
        if (EARLY_CLOSES[year]!.includes(d)) continue;
        expect(sessionFor(d), d).toEqual({ date: d, open: '09:30', close: '16:00' });
      }
  });
});

describe("NYSE calendar against the exchange's own record", () => {
  // data/sp500-daily-2000-2020.csv (see data/SOURCES.md): a row for every session the index traded.
  const sessions = readFileSync(resolve(import.meta.dirname, '../../data/sp500-daily-2000-2020.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.slice(0, 10));

  it('has exactly the sessions the S&P 500 traded, 2000-01-03 … 2020-04-17 (9/11, Sandy and the mourning days included)', () => {
    expect(sessions[0]).toBe('2000-01-03');
    expect(sessions.at(-1)).toBe('2020-04-17');
    expect(tradingDaysBetween(sessions[0]!, sessions.at(-1)!)).toEqual(sessions);
    for (const closed of ['2001-09-11', '2004-06-11', '2007-01-02', '2012-10-29', '2012-10-30', '2018-12-05'])
      expect(sessions, closed).not.toContain(closed);
  });
});

describe("NYSE calendar against Alpaca's contract", () => {
  it("matches the contract's calendar example (GET /v2/calendar: 2022-02-01 09:30–16:00)", () => {
    // /work/shared/reference/alpaca/trading.yaml, components.schemas.Calendar.x-examples.example-1
    const example = { date: '2022-02-01', open: '09:30', close: '16:00' };
    expect(sessionFor(example.date)).toEqual(example);
  });
});
