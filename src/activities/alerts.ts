/**
 * Alerts: email through SMTP when configured, and always a file in the outbox, so an alert is
 * never lost and never sent twice (the outbox file is the dedupe marker across retries).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
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

export interface AlertDeps {
  outboxDir: string;
  smtp: () => SmtpSettings | null;
  log: (line: string) => void;
}

const safeKey = (key: string): string => key.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120);

export function createAlertActivities(deps: AlertDeps) {
  return {
    async sendAlert(alert: AlertInput): Promise<void> {
      mkdirSync(deps.outboxDir, { recursive: true });
      const marker = join(deps.outboxDir, `${safeKey(alert.dedupeKey)}.json`);
      if (existsSync(marker)) return;
      deps.log(`[${alert.severity}] ${alert.subject}`);
      const smtp = deps.smtp();
      const recipient = smtp?.to[alert.severity];
      if (smtp && recipient) {
        const transport = nodemailer.createTransport({
          host: smtp.host,
          port: smtp.port,
          secure: smtp.secure,
          auth: smtp.username ? { user: smtp.username, pass: smtp.password } : undefined,
        });
        // A failed send throws: the activity retries, and the marker is only written after success.
        await transport.sendMail({
          from: smtp.from,
          to: recipient,
          subject: `[${alert.severity}] Catalyst: ${alert.subject}`,
          text: alert.body,
        });
      }
      writeFileSync(
        marker,
        JSON.stringify({ ...alert, sentAt: new Date().toISOString(), emailedTo: recipient ?? null }, null, 2),
      );
    },
  };
}
