/**
 * The guide's email alert test ("[TEST] Catalyst Alert System Test"), sent through the path every
 * alert takes — outbox, routing, storm limit, SMTP — so a pass means real alerts of that severity
 * arrive too.
 */
import { createAlertSender, smtpFromEnv, type AlertOutcome } from '../activities/alerts';
import { SEVERITIES, routeAlert, type AlertSeverity } from '../domain/alerts/routeAlert';
import type { Env } from '../settings/env';

export const TEST_ALERT_SUBJECT = '[TEST] Catalyst Alert System Test';

export interface TestAlertOptions {
  env: Env;
  severity: AlertSeverity;
  outboxDir: string;
  log: (line: string) => void;
}

export interface TestAlertResult extends AlertOutcome {
  severity: AlertSeverity;
  subject: string;
  /** Why no email was tried (not_configured). */
  reason?: string;
}

/** Why an alert of `severity` stays in the outbox only, or null when it has a route. */
function notConfiguredReason(env: Env, severity: AlertSeverity): string | null {
  if (!env.ENABLE_EMAIL_ALERTS) return 'ENABLE_EMAIL_ALERTS=false';
  if (!env.SMTP_HOST) return 'SMTP_HOST is not set';
  const smtp = smtpFromEnv(env);
  if (smtp && !routeAlert(severity, smtp.to)) {
    const levels = SEVERITIES.slice(SEVERITIES.indexOf(severity));
    return `no address for ${severity}: set ${levels.map((s) => `ALERT_EMAIL_${s}`).join(' or ')}`;
  }
  return null;
}

export async function sendTestAlert(opts: TestAlertOptions): Promise<TestAlertResult> {
  const sender = createAlertSender({
    outboxDir: opts.outboxDir,
    smtp: () => smtpFromEnv(opts.env),
    log: opts.log,
  });
  const at = new Date().toISOString();
  const smtp = smtpFromEnv(opts.env);
  const outcome = await sender.deliver({
    severity: opts.severity,
    subject: TEST_ALERT_SUBJECT,
    body: [
      `This is a test of Catalyst's alert system, sent by \`catalyst alert test\` at ${at}.`,
      `Severity ${opts.severity}${smtp ? `, through ${smtp.host}:${smtp.port}` : ''}.`,
      `If you read this, ${opts.severity} alerts reach this address. No action is needed.`,
    ].join('\n'),
    dedupeKey: `alert-test-${at}`,
  });
  // A summary this call found due is on the wire: let it finish before the process exits.
  await sender.settled();
  const reason = outcome.email === 'not_configured' ? notConfiguredReason(opts.env, opts.severity) : null;
  return { severity: opts.severity, subject: TEST_ALERT_SUBJECT, ...outcome, ...(reason ? { reason } : {}) };
}
