/**
 * Who an alert's email goes to. Each severity has its own address list; a severity without one
 * falls back to the next more severe (INFO → WARNING → CRITICAL), so a lone ALERT_EMAIL_CRITICAL
 * still hears about everything, while a lone INFO address never receives the CRITICAL alerts
 * meant for someone on call.
 */
export type AlertSeverity = 'INFO' | 'WARNING' | 'CRITICAL';

/** Least to most severe. */
export const SEVERITIES: readonly AlertSeverity[] = ['INFO', 'WARNING', 'CRITICAL'];

/** Comma-separated address lists per severity; empty or missing means "not configured". */
export type AlertRecipients = Partial<Record<AlertSeverity, string>>;

export interface AlertRoute {
  to: string;
  /** The severity whose list was used: not the alert's own when it fell back. */
  via: AlertSeverity;
}

/** The recipients of an alert of `severity`, or null when neither it nor any more severe level has any. */
export function routeAlert(severity: AlertSeverity, recipients: AlertRecipients): AlertRoute | null {
  for (const level of SEVERITIES.slice(SEVERITIES.indexOf(severity))) {
    const to = recipients[level]?.trim();
    if (to) return { to, via: level };
  }
  return null;
}

/** The more severe of two levels (a summary carries its most severe alert's level). */
export const moreSevere = (a: AlertSeverity, b: AlertSeverity): AlertSeverity =>
  SEVERITIES.indexOf(a) >= SEVERITIES.indexOf(b) ? a : b;
