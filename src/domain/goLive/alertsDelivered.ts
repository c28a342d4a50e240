import type { GoLiveCheck } from './check';

/** One alert of the outbox: its file name, its email state, and when it was last written. */
export interface OutboxAlert {
  file: string;
  email: string;
  writtenAtMs: number;
}

/** Emailed on its own, or named in a storm summary that was emailed. */
const DELIVERED: ReadonlySet<string> = new Set(['sent', 'summarised']);

/** How many of the newest alerts speak for the mail path as it is now (older ones may predate a fix). */
export const LATEST_ALERTS = 5;

/**
 * The guide's "email alerts configured and tested", from the outbox: the newest alerts were
 * emailed. Email not configured is a warning (the alerts still reach the outbox); a failed
 * send is a failure. `entries` null: there is no outbox at all.
 */
export function checkAlertsDelivered(outboxDir: string, entries: OutboxAlert[] | null): GoLiveCheck {
  const latest = [...(entries ?? [])]
    .sort((a, b) => b.writtenAtMs - a.writtenAtMs || (a.file < b.file ? -1 : 1))
    .slice(0, LATEST_ALERTS);
  const base = { name: 'alerts_delivered', threshold: latest.length || null };
  const count = (state: string): number => latest.filter((e) => e.email === state).length;
  const sent = latest.filter((e) => DELIVERED.has(e.email)).length;
  const value = latest.length ? sent : null;
  const of = `of the latest ${latest.length} alert(s) in ${outboxDir}`;
  if (latest.length === 0)
    return {
      ...base,
      value,
      status: 'warn',
      detail: `no alerts in ${outboxDir} yet: send one (\`catalyst alert test\`) to check the mail path`,
    };
  const failed = latest.filter((e) => e.email === 'failed');
  if (failed.length > 0)
    return {
      ...base,
      value,
      status: 'fail',
      detail: `${failed.length} ${of} failed to email (${failed.map((e) => e.file).join(', ')})`,
    };
  if (count('not_configured') > 0)
    return {
      ...base,
      value,
      status: 'warn',
      detail: `${count('not_configured')} ${of} were not emailed: email is not configured (SMTP_HOST, ENABLE_EMAIL_ALERTS, ALERT_EMAIL_*)`,
    };
  if (sent < latest.length)
    return {
      ...base,
      value,
      status: 'warn',
      detail: `${latest.length - sent} ${of} are not confirmed sent (${latest
        .filter((e) => !DELIVERED.has(e.email))
        .map((e) => `${e.file}: ${e.email}`)
        .join(', ')})`,
    };
  return { ...base, value, status: 'pass', detail: `alerts delivered: ${sent} ${of} were emailed` };
}
