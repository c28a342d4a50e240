/** The newest outbox alerts were emailed; email not configured warns, a failed send fails. */
import { describe, expect, it } from 'vitest';
import { checkAlertsDelivered, LATEST_ALERTS, type OutboxAlert } from '../../../src/domain/goLive';

const DIR = '/home/x/.catalyst/outbox';
const alert = (email: string, writtenAtMs: number): OutboxAlert => ({
  file: `a${writtenAtMs}.json`,
  email,
  writtenAtMs,
});

describe('checkAlertsDelivered', () => {
  it('warns when there is no outbox or it is empty', () => {
    expect(checkAlertsDelivered(DIR, null).status).toBe('warn');
    expect(checkAlertsDelivered(DIR, [])).toMatchObject({ status: 'warn', value: null });
  });

  it('passes when the latest alerts were emailed, summaries included', () => {
    const check = checkAlertsDelivered(DIR, [alert('sent', 1), alert('summarised', 2), alert('sent', 3)]);
    expect(check).toMatchObject({ status: 'pass', value: 3, threshold: 3 });
  });

  it('judges only the latest few: an old failure fixed since does not count', () => {
    const entries = [
      alert('failed', 1),
      ...Array.from({ length: LATEST_ALERTS }, (_, i) => alert('sent', 10 + i)),
    ];
    expect(checkAlertsDelivered(DIR, entries).status).toBe('pass');
    expect(checkAlertsDelivered(DIR, [...entries, alert('failed', 99)]).status).toBe('fail');
  });

  it('warns when email is not configured, and when a send is still pending', () => {
    const notConfigured = checkAlertsDelivered(DIR, [alert('sent', 1), alert('not_configured', 2)]);
    expect(notConfigured.status).toBe('warn');
    expect(notConfigured.detail).toMatch(/email is not configured/);
    expect(checkAlertsDelivered(DIR, [alert('pending', 1)]).status).toBe('warn');
  });
});
