/**
 * The one email that stands for the alerts a storm held back: it names each of them, so nothing
 * is lost from the inbox's point of view, and points to the outbox for their bodies.
 */
import { moreSevere, type AlertSeverity } from './routeAlert';

export interface HeldAlert {
  severity: AlertSeverity;
  subject: string;
  /** Where the full alert is kept. */
  file: string;
}

export interface StormSummary {
  severity: AlertSeverity;
  subject: string;
  body: string;
}

const duration = (ms: number): string =>
  ms >= 60_000 ? `${Math.round(ms / 60_000)} minutes` : `${Math.round(ms / 1000)} seconds`;

export function stormSummary(held: readonly HeldAlert[], limit: number, windowMs: number): StormSummary {
  const severity = held.reduce<AlertSeverity>((s, a) => moreSevere(s, a.severity), 'INFO');
  const n = held.length;
  const subjects = held.map((a) => a.subject).join('; ');
  return {
    severity,
    subject: `${n} more alert${n === 1 ? '' : 's'}: ${subjects}`.slice(0, 200),
    body: [
      `More than ${limit} alerts in ${duration(windowMs)}: these ${n} were held back, and each is kept in full in the outbox.`,
      '',
      ...held.map((a) => `- [${a.severity}] ${a.subject} (${a.file})`),
    ].join('\n'),
  };
}
