/**
 * Alerts: always a file in the outbox, and an email through SMTP when configured. The outbox file
 * is written first, so an alert is never lost, and it is the dedupe marker: an email goes out at
 * most once per key across retries and replays. The routing and storm rules are pure
 * (src/domain/alerts); this file reads and writes the outbox and talks SMTP.
 */
import { mkdirSync } from 'node:fs';
import { basename } from 'node:path';
import nodemailer from 'nodemailer';
import { routeAlert, type AlertRecipients, type AlertSeverity } from '../domain/alerts/routeAlert';
import { stormSummary } from '../domain/alerts/stormSummary';
import {
  DEFAULT_STORM_POLICY,
  decideAlert,
  dueForSummary,
  nextSummaryAt,
  type StormPolicy,
} from '../domain/alerts/stormWindow';
import type { Env } from '../settings/env';
import {
  SETTLED,
  outboxFile,
  readEntry,
  readStormRecords,
  writeEntry,
  type EmailStatus,
  type OutboxEntry,
} from './alertOutbox';
import type { ActivityMetrics } from './metrics';
import type { AlertInput } from './types';

export interface SmtpSettings {
  host: string;
  port: number;
  /** Implicit TLS (port 465). */
  secure: boolean;
  /** Refuse to send unless the server upgrades with STARTTLS (SMTP_TLS on any port but 465). */
  requireTLS?: boolean;
  /** false only for a self-signed test server (SMTP_TLS_REJECT_UNAUTHORIZED=false). */
  rejectUnauthorized?: boolean;
  username?: string;
  password?: string;
  from: string;
  to: AlertRecipients;
}

/** SMTP from the environment; null when email is off or not configured (alerts still reach the outbox). */
export function smtpFromEnv(env: Env): SmtpSettings | null {
  if (!env.SMTP_HOST || !env.ENABLE_EMAIL_ALERTS) return null;
  const secure = env.SMTP_PORT === 465;
  return {
    host: env.SMTP_HOST,
    port: env.SMTP_PORT,
    secure,
    requireTLS: env.SMTP_TLS && !secure,
    rejectUnauthorized: env.SMTP_TLS_REJECT_UNAUTHORIZED,
    username: env.SMTP_USERNAME,
    password: env.SMTP_PASSWORD,
    from: env.SMTP_FROM ?? 'catalyst@localhost',
    to: {
      CRITICAL: env.ALERT_EMAIL_CRITICAL.join(','),
      WARNING: env.ALERT_EMAIL_WARNING.join(','),
      INFO: env.ALERT_EMAIL_INFO.join(','),
    },
  };
}

export interface AlertDeps {
  outboxDir: string;
  smtp: () => SmtpSettings | null;
  log: (line: string) => void;
  /** Default DEFAULT_STORM_POLICY; tests shorten the window. */
  storm?: StormPolicy;
  /** Counts each alert's outcome (the worker's metrics). */
  metrics?: Pick<ActivityMetrics, 'alertDelivered'>;
}

/** What became of one alert: where it is kept, and its email. */
export interface AlertOutcome {
  file: string;
  email: EmailStatus;
  emailedTo: string | null;
  /** Why the email failed: one line, never the password. */
  error?: string;
  /** A held alert: when its summary is due (ISO). */
  summaryDueAt?: string;
}

/**
 * Timeouts well inside the activity's own: a mail server that accepts and then hangs must fail
 * the attempt, not hold it (nodemailer's defaults wait up to ten minutes).
 */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

const emailSubject = (severity: AlertSeverity, subject: string): string =>
  `[${severity}] Catalyst: ${subject}`;

/** nodemailer's message on one line, with the password masked should a server ever echo it. */
function describeError(err: unknown, smtp: SmtpSettings): string {
  const text = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim();
  return smtp.password ? text.split(smtp.password).join('***') : text;
}

async function sendMail(
  smtp: SmtpSettings,
  to: string,
  subject: string,
  text: string,
  attachments: AlertInput['attachments'] = [],
): Promise<void> {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireTLS ?? false,
    auth: smtp.username ? { user: smtp.username, pass: smtp.password } : undefined,
    ...(smtp.rejectUnauthorized === false ? { tls: { rejectUnauthorized: false } } : {}),
    ...SMTP_TIMEOUTS,
  });
  try {
    await transport.sendMail({ from: smtp.from, to, subject, text, attachments });
  } finally {
    transport.close();
  }
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The alert path with its outcome: the activity and `catalyst alert test` both go through it. */
export function createAlertSender(deps: AlertDeps) {
  const policy = deps.storm ?? DEFAULT_STORM_POLICY;
  let flushing: Promise<void> | null = null;
  let timer: { at: number; handle: NodeJS.Timeout } | null = null;

  /** Wakes up when the earliest held window ends; unref'd, so it never keeps a CLI process alive. */
  function scheduleSummary(): void {
    const at = nextSummaryAt(readStormRecords(deps.outboxDir), policy);
    if (at === null || (timer && timer.at <= at)) return;
    if (timer) clearTimeout(timer.handle);
    const handle = setTimeout(
      () => {
        timer = null;
        void flushSummary();
      },
      Math.max(0, at - Date.now()),
    );
    handle.unref();
    timer = { at, handle };
  }

  /**
   * Sends the summary of every held alert whose window has ended. A failed summary leaves them
   * held (with the error) for the next alert to try again; one flush at a time per process.
   */
  function flushSummary(): Promise<void> {
    flushing ??= summarise()
      .catch((err: unknown) => deps.log(`could not send the alert summary: ${(err as Error).message}`))
      .finally(() => (flushing = null));
    return flushing;
  }

  async function summarise(): Promise<void> {
    const smtp = deps.smtp();
    if (!smtp) return;
    const due = dueForSummary(readStormRecords(deps.outboxDir), Date.now(), policy);
    // Nothing due yet: held alerts a previous process left still get their timer here.
    if (due.length === 0) return scheduleSummary();
    const recipients = new Set<string>();
    for (const r of due) {
      const to = routeAlert(r.entry.severity, smtp.to)?.to ?? r.entry.emailedTo;
      for (const address of to?.split(',') ?? []) if (address.trim()) recipients.add(address.trim());
    }
    const summary = stormSummary(
      due.map((r) => ({ severity: r.entry.severity, subject: r.entry.subject, file: basename(r.file) })),
      policy.limit,
      policy.windowMs,
    );
    const to = [...recipients].join(',');
    // Written back per file, re-read first: only the held state is ours to change.
    const mark = (change: (e: OutboxEntry) => void): void => {
      for (const r of due) {
        const entry = readEntry(r.file);
        if (entry?.email !== 'held') continue;
        change(entry);
        writeEntry(r.file, entry);
      }
    };
    // No address for any of them any more (the configuration changed): nothing to wait for.
    if (!to) return mark((e) => (e.email = 'not_configured'));
    try {
      await sendMail(smtp, to, emailSubject(summary.severity, summary.subject), summary.body);
    } catch (err) {
      const error = describeError(err, smtp);
      mark((e) => (e.lastError = `summary: ${error}`));
      throw new Error(error);
    }
    mark((e) => {
      e.email = 'summarised';
      e.summarisedAt = iso(Date.now());
      e.summaryTo = to;
      delete e.lastError;
    });
    deps.log(`sent the summary of ${due.length} held alert${due.length === 1 ? '' : 's'} to ${to}`);
    scheduleSummary();
  }

  /**
   * Writes the alert to the outbox first (it is never lost, whatever the mail server does), then
   * emails it once, or holds it for its window's summary when over the storm limit. A failed send
   * is recorded in the outbox entry and returned; a later call with the same key only retries the
   * email.
   */
  async function deliver(alert: AlertInput): Promise<AlertOutcome> {
    const { outcome, duplicate } = await deliverOnce(alert);
    deps.metrics?.alertDelivered(alert.severity, duplicate ? 'duplicate' : outcome.email);
    return outcome;
  }

  async function deliverOnce(alert: AlertInput): Promise<{ outcome: AlertOutcome; duplicate?: boolean }> {
    mkdirSync(deps.outboxDir, { recursive: true });
    const file = outboxFile(deps.outboxDir, alert.dedupeKey);
    const previous = readEntry(file);
    const outcome = (e: OutboxEntry, extra: Partial<AlertOutcome> = {}): AlertOutcome => ({
      file,
      email: e.email,
      emailedTo: e.emailedTo,
      ...(e.lastError ? { error: e.lastError } : {}),
      ...extra,
    });
    if (previous && SETTLED.has(previous.email)) return { outcome: outcome(previous), duplicate: true };
    const smtp = deps.smtp();
    const route = smtp ? routeAlert(alert.severity, smtp.to) : null;
    if (!previous) deps.log(`[${alert.severity}] ${alert.subject}`);
    if (!smtp || !route) {
      const entry: OutboxEntry = { ...alert, emailedTo: null, email: 'not_configured', attempts: 0 };
      writeEntry(file, entry);
      return { outcome: outcome(entry) };
    }
    // Decided and written with no await in between: concurrent alerts of this process cannot both take the last email.
    const now = Date.now();
    const decision = decideAlert(
      readStormRecords(deps.outboxDir),
      basename(file),
      now,
      policy,
      alert.severity === 'CRITICAL' || alert.dailyReport === true,
    );
    const held = decision.action === 'hold';
    const entry: OutboxEntry = {
      ...alert,
      emailedTo: route.to,
      email: held ? 'held' : 'pending',
      attempts: (previous?.attempts ?? 0) + (held ? 0 : 1),
      ...(previous?.lastError ? { lastError: previous.lastError } : {}),
      stormWindow: iso(decision.windowStartMs),
      decidedAt: iso(now),
    };
    writeEntry(file, entry);
    if (held) {
      const dueAt = iso(decision.windowStartMs + policy.windowMs);
      deps.log(`held by the storm limit (${policy.limit} emails per window): in the summary due at ${dueAt}`);
      scheduleSummary();
      return { outcome: outcome(entry, { summaryDueAt: dueAt }) };
    }
    // A window that ended with alerts held: its summary goes out now, beside this alert.
    void flushSummary();
    try {
      await sendMail(
        smtp,
        route.to,
        emailSubject(alert.severity, alert.subject),
        alert.body,
        alert.attachments,
      );
    } catch (err) {
      entry.email = 'failed';
      entry.lastError = describeError(err, smtp);
      writeEntry(file, entry);
      return { outcome: outcome(entry) };
    }
    entry.email = 'sent';
    entry.sentAt = iso(Date.now());
    delete entry.lastError;
    writeEntry(file, entry);
    return { outcome: outcome(entry) };
  }

  return {
    deliver,
    flushSummary,
    /** Resolves when no summary is being sent (a CLI waits for it before exiting). */
    settled: async (): Promise<void> => {
      await flushing;
    },
  };
}

export type AlertSender = ReturnType<typeof createAlertSender>;

/** `sender`: one per worker, shared with the daily report, so one storm rule and one summary timer. */
export function createAlertActivities(deps: AlertDeps, sender: AlertSender = createAlertSender(deps)) {
  return {
    /**
     * The activity: a failed send throws, so the activity retries a bounded number of times. Its
     * callers never wait on it where a decision, a stop or a flatten waits.
     */
    async sendAlert(alert: AlertInput): Promise<void> {
      const result = await sender.deliver(alert);
      if (result.email === 'failed') throw new Error(`email to ${result.emailedTo} failed: ${result.error}`);
    },
  };
}
