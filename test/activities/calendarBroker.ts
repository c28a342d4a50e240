/**
 * A broker that answers only the clock and the calendar, which is all getMarketDay reads. By
 * default its calendar is our NYSE calendar (as the simulator serves it); `overrides` makes it
 * say something else for a date (hours, or null for closed), as a real broker might.
 */
import type { Broker, BrokerCalendarDay } from '../../src/broker/port';
import { addDays, sessionFor, toNyIso } from '../../src/domain/calendar';

export interface CalendarBroker {
  broker: Broker;
  /** How many calendar requests it answered. */
  calendarCalls(): number;
}

export function calendarBroker(
  overrides: Record<string, { open: string; close: string } | null> = {},
  nowMs = Date.parse('2026-11-20T14:00:00Z'),
): CalendarBroker {
  let calls = 0;
  const dayOf = (date: string): BrokerCalendarDay | null => {
    if (date in overrides) {
      const hours = overrides[date];
      return hours ? { date, ...hours } : null;
    }
    const s = sessionFor(date);
    return s ? { date, open: s.open, close: s.close } : null;
  };
  const fake: Pick<Broker, 'getClock' | 'getCalendar'> = {
    async getClock() {
      return {
        timestamp: toNyIso(nowMs),
        isOpen: false,
        nextOpen: toNyIso(nowMs),
        nextClose: toNyIso(nowMs),
      };
    },
    async getCalendar(start, end) {
      calls += 1;
      const out: BrokerCalendarDay[] = [];
      for (let d = start; d <= end; d = addDays(d, 1)) {
        const day = dayOf(d);
        if (day) out.push(day);
      }
      return out;
    },
  };
  return { broker: fake as Broker, calendarCalls: () => calls };
}
