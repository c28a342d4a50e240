/**
 * Alerts through a real SMTP server in this process, configured as production is (env → SMTP
 * settings): STARTTLS on a submission port with AUTH, routing per severity with its fallback, a
 * refused login that never blocks, and a storm of alerts held back into one summary.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertActivities, createAlertSender, smtpFromEnv } from '../../src/activities/alerts';
import type { OutboxEntry } from '../../src/activities/alertOutbox';
import type { AlertInput } from '../../src/activities/types';
import { parseEnv } from '../../src/settings/loadSettings';
import { startSmtpServer, type TestSmtpServer } from '../support/smtpTestServer';

const USER = 'alerts@example.test';
const PASSWORD = 'correct-horse-battery-staple';

const outbox = (): string => mkdtempSync(join(tmpdir(), 'catalyst-alerts-smtp-'));
const entries = (dir: string): OutboxEntry[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as OutboxEntry);
const alert = (i: number, severity: AlertInput['severity'] = 'WARNING'): AlertInput => ({
  severity,
  subject: `broker unreachable #${i}`,
  body: `attempt ${i}`,
  dedupeKey: `storm-${i}`,
});

/** A header of a received message, unfolded. */
const header = (data: string, name: string): string | undefined =>
  new RegExp(`^${name}: (.*)$`, 'm').exec(data.replace(/\r?\n(?=[ \t])/g, ''))?.[1];

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('alerts over STARTTLS + AUTH', () => {
  let server: TestSmtpServer;
  const env = (extra: Record<string, string> = {}) =>
    parseEnv({
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(server.port),
      SMTP_USERNAME: USER,
      SMTP_PASSWORD: PASSWORD,
      SMTP_FROM: 'catalyst@example.test',
      SMTP_TLS: 'true',
      SMTP_TLS_REJECT_UNAUTHORIZED: 'false',
      ALERT_EMAIL_CRITICAL: 'oncall@example.test',
      ALERT_EMAIL_INFO: 'log@example.test',
      ...extra,
    });

  beforeAll(async () => {
    server = await startSmtpServer({ username: USER, password: PASSWORD });
  });
  afterAll(() => server.close());

  it('delivers each severity to its address, WARNING falling back to CRITICAL, over STARTTLS as the logged-in user', async () => {
    const dir = outbox();
    const smtp = smtpFromEnv(env());
    expect(smtp).toMatchObject({ secure: false, requireTLS: true, rejectUnauthorized: false });
    const { sendAlert } = createAlertActivities({ outboxDir: dir, smtp: () => smtp, log: () => {} });
    const before = server.received.length;
    await sendAlert({ severity: 'CRITICAL', subject: 'not flat', body: 'b', dedupeKey: 'route-c' });
    await sendAlert({ severity: 'WARNING', subject: 'loss at 75 %', body: 'b', dedupeKey: 'route-w' });
    await sendAlert({ severity: 'INFO', subject: 'day done', body: 'b', dedupeKey: 'route-i' });
    const mails = server.received.slice(before);
    expect(mails.map((m) => m.to)).toEqual([
      ['oncall@example.test'],
      ['oncall@example.test'],
      ['log@example.test'],
    ]);
    expect(mails.every((m) => m.secure && m.user === USER)).toBe(true);
    expect(header(mails[1]!.data, 'Subject')).toBe('[WARNING] Catalyst: loss at 75 %');
    expect(
      entries(dir)
        .map((e) => [e.dedupeKey, e.email, e.emailedTo])
        .sort(),
    ).toEqual([
      ['route-c', 'sent', 'oncall@example.test'],
      ['route-i', 'sent', 'log@example.test'],
      ['route-w', 'sent', 'oncall@example.test'],
    ]);
  });

  it('refuses a self-signed server unless SMTP_TLS_REJECT_UNAUTHORIZED=false says it is a test server', async () => {
    const dir = outbox();
    const smtp = smtpFromEnv(env({ SMTP_TLS_REJECT_UNAUTHORIZED: 'true' }));
    const result = await createAlertSender({ outboxDir: dir, smtp: () => smtp, log: () => {} }).deliver(
      alert(1, 'CRITICAL'),
    );
    expect(result.email).toBe('failed');
    expect(result.error).toMatch(/certificate/i);
  });

  it('a refused login: one clear error in the outbox entry, a bounded failure, and never the password', async () => {
    const dir = outbox();
    const smtp = smtpFromEnv(env({ SMTP_PASSWORD: 'wrong-password-123' }));
    const logged: string[] = [];
    const { sendAlert } = createAlertActivities({
      outboxDir: dir,
      smtp: () => smtp,
      log: (l) => logged.push(l),
    });
    const refusedBefore = server.refusedLogins;
    const started = Date.now();
    const error = await sendAlert(alert(1, 'CRITICAL')).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(server.refusedLogins).toBe(refusedBefore + 1);
    expect(error?.message).toMatch(/^email to oncall@example\.test failed: Invalid login: 535\b/);
    const [entry] = entries(dir);
    expect(entry).toMatchObject({ email: 'failed', attempts: 1, subject: 'broker unreachable #1' });
    expect(entry!.lastError).toMatch(/^Invalid login: 535\b.*Invalid username or password$/);
    expect(entry!.lastError).not.toContain('\n');
    const everything = [JSON.stringify(entries(dir)), error?.message, error?.stack, ...logged].join('\n');
    expect(everything).not.toContain('wrong-password-123');
    expect(everything).not.toContain(PASSWORD);
  });

  it('a storm of 20 alerts: 5 emails, then one summary naming the 15 held ones when the window ends; a CRITICAL or the daily report in the storm goes out at once; all stay in the outbox', async () => {
    const dir = outbox();
    const smtp = smtpFromEnv(env());
    const storm = { limit: 5, windowMs: 1_500 };
    const { sendAlert } = createAlertActivities({ outboxDir: dir, smtp: () => smtp, log: () => {}, storm });
    const before = server.received.length;
    const severities = ['INFO', 'WARNING'] as const;
    const burst = () =>
      Promise.all(Array.from({ length: 20 }, (_, i) => sendAlert(alert(i + 1, severities[i % 2]))));
    await burst();
    expect(server.received.length - before).toBe(5);
    // An emergency stop in a full window is not held for the summary.
    const stop = {
      severity: 'CRITICAL',
      subject: 'EMERGENCY STOP',
      body: 'b',
      dedupeKey: 'storm-stop',
    } as const;
    await sendAlert(stop);
    expect(server.received.length - before).toBe(6);
    expect(header(server.received.at(-1)!.data, 'Subject')).toBe('[CRITICAL] Catalyst: EMERGENCY STOP');
    // Nor is the daily report: one a day, asked for, never a storm of its own.
    await sendAlert({
      severity: 'INFO',
      subject: 'Daily report',
      body: 'b',
      dedupeKey: 'storm-report',
      dailyReport: true,
    });
    expect(server.received.length - before).toBe(7);
    expect(header(server.received.at(-1)!.data, 'Subject')).toBe('[INFO] Catalyst: Daily report');
    // The window's timer sends the summary without waiting for another alert.
    await until(() => server.received.length - before === 8, 5_000);
    await new Promise((r) => setTimeout(r, 500)); // nothing more follows
    const mails = server.received.slice(before);
    expect(mails).toHaveLength(8);
    const summary = mails[7]!;
    expect(header(summary.data, 'Subject')).toMatch(
      /^\[WARNING\] Catalyst: 15 more alerts: broker unreachable #\d+; /,
    );
    const all = entries(dir);
    expect(all).toHaveLength(22);
    const sent = all.filter((e) => e.email === 'sent');
    const summarised = all.filter((e) => e.email === 'summarised');
    expect(sent).toHaveLength(7);
    expect(summarised).toHaveLength(15);
    // Unfolded body: every held alert is named; none of the emailed ones is.
    const body = summary.data.replace(/=\r?\n/g, '');
    for (const e of summarised) expect(body).toContain(`${e.subject} (${e.dedupeKey}.json)`);
    for (const e of sent) expect(body).not.toContain(`${e.subject} (`);
    // The summary reaches everyone a held alert was routed to (WARNING falls back to CRITICAL's).
    expect(new Set(summary.to)).toEqual(new Set(['oncall@example.test', 'log@example.test']));
    // A retry of any of them sends nothing more.
    await burst();
    await sendAlert(stop);
    expect(server.received.length - before).toBe(8);
  });

  it('after a restart, the next alert after the window sends the summary the old worker left due', async () => {
    const dir = outbox();
    mkdirSync(dir, { recursive: true });
    const windowStart = new Date(Date.now() - 20 * 60_000).toISOString();
    // What a worker that died mid-storm left: two held alerts of a window that has since ended.
    for (const i of [1, 2]) {
      const held: OutboxEntry = {
        ...alert(i, 'CRITICAL'),
        emailedTo: 'oncall@example.test',
        email: 'held',
        attempts: 0,
        stormWindow: windowStart,
        decidedAt: windowStart,
      };
      writeFileSync(join(dir, `storm-${i}.json`), JSON.stringify(held));
    }
    const smtp = smtpFromEnv(env());
    const { sendAlert } = createAlertActivities({ outboxDir: dir, smtp: () => smtp, log: () => {} });
    const before = server.received.length;
    await sendAlert({ severity: 'INFO', subject: 'day started', body: 'b', dedupeKey: 'after-restart' });
    await until(() => server.received.length - before === 2, 5_000);
    const subjects = server.received.slice(before).map((m) => header(m.data, 'Subject'));
    expect(subjects.sort()).toEqual([
      '[CRITICAL] Catalyst: 2 more alerts: broker unreachable #1; broker unreachable #2',
      '[INFO] Catalyst: day started',
    ]);
    expect(
      entries(dir)
        .map((e) => e.email)
        .sort(),
    ).toEqual(['sent', 'summarised', 'summarised']);
  });
});
