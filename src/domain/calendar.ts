/**
 * The NYSE trading calendar and New York time conversions. Pure: no I/O, no clock.
 * Dates are 'YYYY-MM-DD' strings in New York; instants are epoch milliseconds.
 */
import { DateTime } from 'luxon';

export const NY_ZONE = 'America/New_York';

export interface TradingSession {
  date: string;
  open: '09:30';
  close: '16:00' | '13:00';
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/**
 * Exchange closures outside the holiday rules (national mourning, 9/11, Hurricane Sandy).
 * Listed so replays of real history line up with the real sessions.
 */
const SPECIAL_CLOSURES: ReadonlySet<string> = new Set([
  '2001-09-11', // September 11 attacks: closed Tuesday to Friday
  '2001-09-12',
  '2001-09-13',
  '2001-09-14',
  '2004-06-11', // national day of mourning, President Reagan
  '2007-01-02', // national day of mourning, President Ford
  '2012-10-29', // Hurricane Sandy
  '2012-10-30',
  '2018-12-05', // national day of mourning, President George H. W. Bush
  '2025-01-09', // national day of mourning, President Carter
]);

function parseDate(date: string): { y: number; m: number; d: number } {
  const match = DATE.exec(date);
  if (!match) throw new Error(`not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d)
    throw new Error(`not a calendar date: ${date}`);
  return { y, m, d };
}

const fmt = (y: number, m: number, d: number): string =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

function dayNumber(date: string): number {
  const { y, m, d } = parseDate(date);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

function fromDayNumber(n: number): string {
  const t = new Date(n * DAY_MS);
  return fmt(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** Written as YYYY-MM-DD (the form every date of ours takes; not a check that the day exists). */
export const isIsoDate = (text: unknown): text is string =>
  typeof text === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(text);

/** Adds calendar days to a date. */
export function addDays(date: string, days: number): string {
  return fromDayNumber(dayNumber(date) + days);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return (((dayNumber(date) + 4) % 7) + 7) % 7;
}

function nthWeekday(y: number, m: number, dow: number, n: number): string {
  const first = fmt(y, m, 1);
  const offset = (dow - weekday(first) + 7) % 7;
  return addDays(first, offset + (n - 1) * 7);
}

function lastWeekday(y: number, m: number, dow: number): string {
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const last = fmt(y, m, lastDay);
  return addDays(last, -((weekday(last) - dow + 7) % 7));
}

/** Anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
function easterSunday(y: number): string {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return fmt(y, month, day);
}

/** Saturday holidays move to Friday, Sunday holidays to Monday (NYSE Rule 7.2). */
function observed(date: string): string {
  const dow = weekday(date);
  if (dow === 6) return addDays(date, -1);
  if (dow === 0) return addDays(date, 1);
  return date;
}

const holidayCache = new Map<number, ReadonlySet<string>>();

/** Full-day NYSE holidays of a year, as observed. */
export function nyseHolidays(year: number): ReadonlySet<string> {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  const days: string[] = [];
  // New Year's Day on a Saturday is not observed: the exchange would otherwise close on Dec 31.
  const newYear = fmt(year, 1, 1);
  if (weekday(newYear) !== 6) days.push(observed(newYear));
  days.push(nthWeekday(year, 1, 1, 3)); // Martin Luther King Jr. Day
  days.push(nthWeekday(year, 2, 1, 3)); // Washington's Birthday
  days.push(addDays(easterSunday(year), -2)); // Good Friday
  days.push(lastWeekday(year, 5, 1)); // Memorial Day
  if (year >= 2022) days.push(observed(fmt(year, 6, 19))); // Juneteenth
  days.push(observed(fmt(year, 7, 4)));
  days.push(nthWeekday(year, 9, 1, 1)); // Labor Day
  days.push(nthWeekday(year, 11, 4, 4)); // Thanksgiving
  days.push(observed(fmt(year, 12, 25)));
  for (const special of SPECIAL_CLOSURES) if (special.startsWith(`${year}-`)) days.push(special);
  const set = new Set(days);
  holidayCache.set(year, set);
  return set;
}

export function isHoliday(date: string): boolean {
  return nyseHolidays(parseDate(date).y).has(date);
}

export function isTradingDay(date: string): boolean {
  const dow = weekday(date);
  return dow !== 0 && dow !== 6 && !isHoliday(date);
}

/**
 * 13:00 closes: the day before Independence Day, the day after Thanksgiving, Christmas Eve.
 * Only when that day trades at all (e.g. a Friday July 3 is the observed holiday instead).
 */
function isEarlyClose(date: string): boolean {
  const { y, m, d } = parseDate(date);
  if (m === 7 && d === 3) return true;
  if (m === 12 && d === 24) return true;
  return date === addDays(nthWeekday(y, 11, 4, 4), 1);
}

export function sessionFor(date: string): TradingSession | null {
  if (!isTradingDay(date)) return null;
  return { date, open: '09:30', close: isEarlyClose(date) ? '13:00' : '16:00' };
}

export function nextTradingDay(date: string): string {
  let d = addDays(date, 1);
  while (!isTradingDay(d)) d = addDays(d, 1);
  return d;
}

export function previousTradingDay(date: string): string {
  let d = addDays(date, -1);
  while (!isTradingDay(d)) d = addDays(d, -1);
  return d;
}

/** Trading days from start to end, both inclusive. */
export function tradingDaysBetween(start: string, end: string): string[] {
  const out: string[] = [];
  const last = dayNumber(end);
  for (let n = dayNumber(start); n <= last; n++) {
    const d = fromDayNumber(n);
    if (isTradingDay(d)) out.push(d);
  }
  return out;
}

/** Epoch ms of a New York wall-clock time on a date (DST-aware). */
export function nyTimeToUtcMs(date: string, hhmm: string): number {
  parseDate(date);
  if (!/^\d{2}:\d{2}(:\d{2})?$/.test(hhmm)) throw new Error(`not an HH:MM time: ${JSON.stringify(hhmm)}`);
  const dt = DateTime.fromISO(`${date}T${hhmm}`, { zone: NY_ZONE });
  if (!dt.isValid) throw new Error(`invalid New York time: ${date} ${hhmm}`);
  return dt.toMillis();
}

/** The New York calendar date of an instant. */
export function utcMsToNyDate(ms: number): string {
  return DateTime.fromMillis(ms, { zone: NY_ZONE }).toFormat('yyyy-MM-dd');
}

/** RFC 3339 with the New York offset, e.g. 2026-11-27T09:30:00.000-05:00 (the shape Alpaca's clock uses). */
export function toNyIso(ms: number): string {
  const iso = DateTime.fromMillis(ms, { zone: NY_ZONE }).toISO();
  if (!iso) throw new Error(`cannot format instant ${ms}`);
  return iso;
}

/** Session open and close as epoch ms, or null on a non-trading day. */
export function sessionBoundsMs(date: string): { openMs: number; closeMs: number } | null {
  const session = sessionFor(date);
  if (!session) return null;
  return { openMs: nyTimeToUtcMs(date, session.open), closeMs: nyTimeToUtcMs(date, session.close) };
}
