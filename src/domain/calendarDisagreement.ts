/**
 * Where the broker's session of a date and our NYSE calendar disagree. The broker is the venue
 * that opens, closes and fills, so its answer is the one a day trades on; a disagreement means
 * one of the two calendars is wrong (a closure announced at short notice, a rule we lack, a
 * broker bug) and a person should look. Pure: the broker's answer is passed in.
 */
import { sessionFor } from './calendar';

/** A session's hours in New York time, HH:MM, or null when the market does not open that date. */
export type SessionHours = { open: string; close: string } | null;

export interface CalendarDisagreement {
  date: string;
  broker: SessionHours;
  ours: SessionHours;
  /** One line naming both answers, for the log and the alert. */
  summary: string;
}

const describe = (hours: SessionHours): string => (hours ? `${hours.open}–${hours.close}` : 'closed');

/** Null when both calendars give the same answer for the date (closed, or the same open and close). */
export function calendarDisagreement(date: string, broker: SessionHours): CalendarDisagreement | null {
  const session = sessionFor(date);
  const ours: SessionHours = session ? { open: session.open, close: session.close } : null;
  if (ours === null && broker === null) return null;
  if (ours && broker && ours.open === broker.open && ours.close === broker.close) return null;
  return {
    date,
    broker,
    ours,
    summary: `${date}: the broker says ${describe(broker)}, our NYSE calendar says ${describe(ours)}`,
  };
}
