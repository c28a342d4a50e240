/** GET /v2/clock and GET /v2/calendar, from the NYSE calendar and the market clock. */
import {
  addDays,
  isTradingDay,
  nextTradingDay,
  sessionBoundsMs,
  sessionFor,
  toNyIso,
  tradingDaysBetween,
  utcMsToNyDate,
} from '../../../domain/calendar';
import { badRequest } from '../../venue/errors';
import type { Route } from './router';
import { route } from './router';

/** Accepts YYYY-MM-DD or a full RFC 3339 timestamp (the client sends Date.toISOString()). */
function calendarDate(text: string | null, name: string): string | null {
  if (text === null || text === '') return null;
  const m = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text.trim());
  try {
    if (m) return addDays(m[1]!, 0);
  } catch {
    // falls through to the error below
  }
  throw badRequest(`invalid ${name}: ${JSON.stringify(text)} (expected YYYY-MM-DD or RFC 3339)`);
}

const MAX_CALENDAR_DAYS = 366 * 30;

export const clockRoutes: Route[] = [
  route('GET', '/v2/clock', (req) => {
    const now = req.now;
    const today = utcMsToNyDate(now);
    const bounds = isTradingDay(today) ? sessionBoundsMs(today) : null;
    const isOpen = bounds !== null && now >= bounds.openMs && now < bounds.closeMs;
    let openDate = today;
    if (!bounds || now >= bounds.openMs) openDate = nextTradingDay(today);
    const nextOpen = sessionBoundsMs(openDate)!.openMs;
    const closeDate = bounds && now < bounds.closeMs ? today : nextTradingDay(today);
    const nextClose = sessionBoundsMs(closeDate)!.closeMs;
    return {
      status: 200,
      body: {
        timestamp: toNyIso(now),
        is_open: isOpen,
        next_open: toNyIso(nextOpen),
        next_close: toNyIso(nextClose),
      },
    };
  }),
  route('GET', '/v2/calendar', (req) => {
    const today = utcMsToNyDate(req.now);
    const start = calendarDate(req.query.get('start'), 'start') ?? addDays(today, -365);
    const end = calendarDate(req.query.get('end'), 'end') ?? addDays(today, 365);
    if (end < start) return { status: 200, body: [] };
    if (daysApart(start, end) > MAX_CALENDAR_DAYS) {
      throw badRequest('calendar range is limited to 30 years');
    }
    const body = tradingDaysBetween(start, end).map((date) => {
      const s = sessionFor(date)!;
      return {
        date,
        open: s.open,
        close: s.close,
        session_open: '0400',
        session_close: '2000',
        settlement_date: nextTradingDay(date),
      };
    });
    return { status: 200, body };
  }),
];

function daysApart(a: string, b: string): number {
  return (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;
}
