/**
 * Instants at the database boundary. Activity inputs arrive as JSON, so a Date sent by a workflow
 * is an ISO string by the time it reaches a repository; both are accepted.
 */
export type Instant = Date | string;

export function instant(value: Instant, field: string): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new TypeError(`${field} must be a Date or an ISO-8601 timestamp, got ${JSON.stringify(value)}`);
  }
  return date;
}

export function optionalInstant(value: Instant | null | undefined, field: string): Date | null | undefined {
  return value == null ? value : instant(value, field);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date (the exchange's trading date) as YYYY-MM-DD. */
export function isoDate(value: string, field: string): string {
  if (typeof value !== 'string' || !ISO_DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new TypeError(`${field} must be a date as YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return value;
}
