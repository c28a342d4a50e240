/**
 * `catalyst alert test` through the real binary against a real SMTP server in this process
 * (STARTTLS with a self-signed certificate, AUTH): where the alert went, a refused login as one
 * line and exit 1 in bounded time, the outbox when SMTP is unset, and a bad flag as exit 2.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCatalyst } from '../support/runCatalyst';
import { startSmtpServer, type TestSmtpServer } from '../support/smtpTestServer';

const USER = 'alerts@example.test';
const PASSWORD = 'correct-horse-battery-staple';
const WRONG = 'wrong-password-123';

describe('catalyst alert test', () => {
  let server: TestSmtpServer;
  beforeAll(async () => {
    server = await startSmtpServer({ username: USER, password: PASSWORD });
  });
  afterAll(() => server.close());

  const env = (home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    CATALYST_HOME: home,
    ENABLE_EMAIL_ALERTS: 'true',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(server.port),
    SMTP_USERNAME: USER,
    SMTP_PASSWORD: PASSWORD,
    SMTP_FROM: 'catalyst@example.test',
    SMTP_TLS: 'true',
    SMTP_TLS_REJECT_UNAUTHORIZED: 'false',
    ALERT_EMAIL_CRITICAL: 'oncall@example.test',
    ALERT_EMAIL_WARNING: '',
    ALERT_EMAIL_INFO: '',
    ...extra,
  });
  const home = (): string => mkdtempSync(join(tmpdir(), 'catalyst-alert-test-'));

  it("sends the guide's test alert over STARTTLS + AUTH and says to whom (WARNING falls back to CRITICAL)", async () => {
    const before = server.received.length;
    const run = await runCatalyst(['alert', 'test', '--severity', 'WARNING'], env(home()), 60_000);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /^sent the WARNING test alert to oncall@example\.test \(kept in .*outbox\/alert-test-.*\.json\)$/m,
    );
    const mails = server.received.slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: ['oncall@example.test'], secure: true, user: USER });
    expect(mails[0]!.data).toContain('Subject: [WARNING] Catalyst: [TEST] Catalyst Alert System Test');
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  });

  it('a refused login: exit 1 with one line naming the error, in bounded time, never the password', async () => {
    const dir = home();
    const run = await runCatalyst(['alert', 'test'], env(dir, { SMTP_PASSWORD: WRONG }), 60_000);
    expect(run.code).toBe(1);
    expect(run.ms).toBeLessThan(30_000);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^catalyst: the test alert to oncall@example\.test was not sent: Invalid login: 535\b.* \(kept in .*\.json\)$/,
    );
    expect(run.stdout).toBe('');
    expect(run.stdout + run.stderr).not.toContain(WRONG);
    const file = /\(kept in (.*)\)$/.exec(lines[0]!)![1]!;
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { email: string; lastError: string };
    expect(entry).toMatchObject({ email: 'failed', lastError: expect.stringMatching(/^Invalid login: 535/) });
    expect(readFileSync(file, 'utf8')).not.toContain(WRONG);
  });

  it('with SMTP unset: logged and written to CATALYST_HOME/outbox, and says so', async () => {
    const dir = home();
    const run = await runCatalyst(
      ['alert', 'test', '--severity', 'info', '--json'],
      env(dir, { SMTP_HOST: '' }),
      60_000,
    );
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.trim()) as {
      ok: boolean;
      email: string;
      file: string;
      reason: string;
    };
    expect(result).toMatchObject({
      ok: true,
      email: 'not_configured',
      reason: 'SMTP_HOST is not set',
      severity: 'INFO',
    });
    expect(result.file.startsWith(join(dir, 'outbox'))).toBe(true);
    expect(existsSync(result.file)).toBe(true);
    expect(run.stderr).toContain('[INFO] [TEST] Catalyst Alert System Test');
  });

  it('a bad --severity is a usage error: one line, exit 2', async () => {
    const run = await runCatalyst(['alert', 'test', '--severity', 'LOUD'], env(home()), 60_000);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('catalyst: --severity must be CRITICAL, WARNING or INFO (got "LOUD")');
  });
});
