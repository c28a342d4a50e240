/**
 * Alerts: always a file in the outbox, and an email through SMTP when configured. The outbox file
 * is written first, so an alert is never lost, and it is the dedupe marker: an email goes out at
 * most once per key across retries and replays.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Env } from '../settings/env';
import type { AlertInput } from './types';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  username?: string;
  password?: string;
  from: string;
  to: { CRITICAL?: string; WARNING?: string; INFO?: string };
}

/** SMTP from the environment; null when email is off or not configured (alerts still reach the outbox). */
export function smtpFromEnv(env: Env): SmtpSettings | null {
  if (!env.SMTP_HOST || !env.ENABLE_EMAIL_ALERTS) return null;
  return {
    host: env.SMTP_HOST,
    port: env.SMTP_PORT,
    secure: env.SMTP_PORT === 465,
    username: env.SMTP_USERNAME,
    password: env.SMTP_PASSWORD,
    from: env.SMTP_FROM ?? 'catalyst@localhost',
    to: {
      CRITICAL: env.ALERT_EMAIL_CRITICAL.join(',') || undefined,
      WARNING: env.ALERT_EMAIL_WARNING.join(',') || undefined,
      INFO: env.ALERT_EMAIL_INFO.join(',') || undefined,
    },
  };
}

export interface AlertDeps {
  outboxDir: string;
  smtp: () => SmtpSettings | null;
  log: (line: string) => void;
}

const safeKey = (key: string): string => key.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120);

/** What the outbox file of an alert records: the alert, and whether its email went out. */
interface OutboxEntry extends AlertInput {
  emailedTo: string | null;
  email: 'sent' | 'pending' | 'failed' | 'not_configured';
  attempts: number;
  lastError?: string;
  sentAt?: string;
}

/**
 * Timeouts well inside the activity's own: a mail server that accepts and then hangs must fail
 * the attempt, not hold it (nodemailer's defaults wait up to ten minutes).
 */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

export function createAlertActivities(deps: AlertDeps) {
  return {
    /**
     * Writes the alert to the outbox first (it is never lost, whatever the mail server does), then
     * emails it once. A failed send is recorded in the outbox entry and thrown, so the activity
     * retries a bounded number of times; a later call with the same key only retries the email.
     */
    async sendAlert(alert: AlertInput): Promise<void> {
      mkdirSync(deps.outboxDir, { recursive: true });
      const file = join(deps.outboxDir, `${safeKey(alert.dedupeKey)}.json`);
      const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as OutboxEntry) : null;
      if (previous && (previous.email === 'sent' || previous.email === 'not_configured')) return;
      const smtp = deps.smtp();
      const recipient = smtp?.to[alert.severity] ?? null;
      const entry: OutboxEntry = {
        ...alert,
        emailedTo: recipient,
        email: smtp && recipient ? 'pending' : 'not_configured',
        attempts: (previous?.attempts ?? 0) + (smtp && recipient ? 1 : 0),
      };
      const save = (): void => writeFileSync(file, JSON.stringify(entry, null, 2));
      if (!previous) deps.log(`[${alert.severity}] ${alert.subject}`);
      save();
      if (!smtp || !recipient) return;
      const transport = nodemailer.createTransport({
        host: smtp.host,
        port: smtp.port,
        secure: smtp.secure,
        auth: smtp.username ? { user: smtp.username, pass: smtp.password } : undefined,
        ...SMTP_TIMEOUTS,
      });
      try {
        await transport.sendMail({
          from: smtp.from,
          to: recipient,
          subject: `[${alert.severity}] Catalyst: ${alert.subject}`,
          text: alert.body,
        });
      } catch (err) {
        entry.email = 'failed';
        entry.lastError = (err as Error).message;
        save();
        throw err;
      } finally {
        transport.close();
      }
      entry.email = 'sent';
      entry.sentAt = new Date().toISOString();
      save();
    },
  };
}
