/** Alerts through a real SMTP server in this process: delivered once per key, kept in the outbox. */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertActivities, type SmtpSettings } from '../../src/activities/alerts';

interface Received {
  from: string;
  to: string[];
  data: string;
}

describe('sendAlert', () => {
  const received: Received[] = [];
  let server: SMTPServer;
  let port: number;

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            data,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as { port: number }).port;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  const smtp = (): SmtpSettings => ({
    host: '127.0.0.1',
    port,
    secure: false,
    from: 'catalyst@example.test',
    to: { CRITICAL: 'oncall@example.test', WARNING: 'desk@example.test' },
  });

  it('emails the recipient of the severity once per dedupe key, and keeps it in the outbox', async () => {
    const outboxDir = mkdtempSync(join(tmpdir(), 'catalyst-alerts-'));
    const { sendAlert } = createAlertActivities({ outboxDir, smtp, log: () => {} });
    const alert = {
      severity: 'CRITICAL' as const,
      subject: 'EMERGENCY STOP on 2026-11-24: test',
      body: 'Cancelled 3 orders.',
      dedupeKey: 'day-1-emergency',
    };
    await sendAlert(alert);
    await sendAlert(alert); // an activity retry or a replayed call must not email twice
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual(['oncall@example.test']);
    expect(received[0]!.from).toBe('catalyst@example.test');
    expect(received[0]!.data).toContain('Subject: [CRITICAL] Catalyst: EMERGENCY STOP on 2026-11-24: test');
    expect(received[0]!.data).toContain('Cancelled 3 orders.');
    const files = readdirSync(outboxDir);
    expect(files).toEqual(['day-1-emergency.json']);
    expect(JSON.parse(readFileSync(join(outboxDir, files[0]!), 'utf8'))).toMatchObject({
      severity: 'CRITICAL',
      emailedTo: 'oncall@example.test',
      email: 'sent',
    });
  });

  it('without SMTP settings only writes the outbox', async () => {
    const outboxDir = mkdtempSync(join(tmpdir(), 'catalyst-alerts-'));
    const before = received.length;
    await createAlertActivities({ outboxDir, smtp: () => null, log: () => {} }).sendAlert({
      severity: 'INFO',
      subject: 'Daily report',
      body: 'P&L 0.00',
      dedupeKey: 'report',
    });
    expect(received.length).toBe(before);
    expect(JSON.parse(readFileSync(join(outboxDir, 'report.json'), 'utf8'))).toMatchObject({
      subject: 'Daily report',
      emailedTo: null,
    });
  });

  it('fails (so the activity retries) when the SMTP server is unreachable, keeping the alert in the outbox; a retry after recovery emails it once', async () => {
    const outboxDir = mkdtempSync(join(tmpdir(), 'catalyst-alerts-'));
    let broken = true;
    const { sendAlert } = createAlertActivities({
      outboxDir,
      smtp: () => ({ ...smtp(), port: broken ? 1 : port }),
      log: () => {},
    });
    const alert = { severity: 'CRITICAL' as const, subject: 'not flat', body: 'b', dedupeKey: 'k' };
    await expect(sendAlert(alert)).rejects.toThrow();
    await expect(sendAlert(alert)).rejects.toThrow();
    const entry = () => JSON.parse(readFileSync(join(outboxDir, 'k.json'), 'utf8'));
    expect(entry()).toMatchObject({ subject: 'not flat', email: 'failed', attempts: 2 });
    expect(entry().lastError).toBeTruthy();
    const before = received.length;
    broken = false;
    await sendAlert(alert);
    await sendAlert(alert);
    expect(received.length).toBe(before + 1);
    expect(entry()).toMatchObject({ email: 'sent', attempts: 3, emailedTo: 'oncall@example.test' });
  });
});
