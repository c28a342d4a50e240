/**
 * Email alerts: with SMTP configured, connect, upgrade (STARTTLS or implicit TLS, as the alert
 * path does) and log in, without sending anything; then whether a CRITICAL alert has an address.
 * Without SMTP every alert still lands in the outbox, which doctor says as a warning: nobody is
 * woken by a file. The password is never printed, even if a server echoes it.
 */
import type { Env } from '../../settings/env';
import { fail, formatMs, ok, oneLine, warn, type CheckResult } from './checkResult';

const NAME = 'smtp';

export async function checkSmtp(
  env: Env,
  opts: { timeoutMs: number; outboxDir: string },
): Promise<CheckResult> {
  if (!env.SMTP_HOST || !env.ENABLE_EMAIL_ALERTS) {
    const why = !env.ENABLE_EMAIL_ALERTS ? 'ENABLE_EMAIL_ALERTS=false' : 'SMTP_HOST is not set';
    return warn(
      NAME,
      `${why}: alerts go to the outbox only (${opts.outboxDir})`,
      'set SMTP_HOST, SMTP_PORT, SMTP_USERNAME/SMTP_PASSWORD and ALERT_EMAIL_CRITICAL, then `catalyst alert test`',
    );
  }
  // The alert path's own reading of SMTP_*: doctor logs in exactly as an alert would.
  const [{ smtpFromEnv }, { default: nodemailer }] = await Promise.all([
    import('../../activities/alerts'),
    import('nodemailer'),
  ]);
  const smtp = smtpFromEnv(env)!;
  const where = `${smtp.host}:${smtp.port}`;
  const security = smtp.secure ? 'implicit TLS' : smtp.requireTLS ? 'STARTTLS' : 'no TLS';
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireTLS ?? false,
    auth: smtp.username ? { user: smtp.username, pass: smtp.password } : undefined,
    ...(smtp.rejectUnauthorized === false ? { tls: { rejectUnauthorized: false } } : {}),
    connectionTimeout: opts.timeoutMs,
    greetingTimeout: opts.timeoutMs,
    socketTimeout: opts.timeoutMs,
    dnsTimeout: opts.timeoutMs,
  });
  try {
    await transport.verify();
  } catch (err) {
    let message = oneLine(err);
    if (smtp.password) message = message.split(smtp.password).join('***');
    const code = (err as { code?: string }).code;
    const fix =
      code === 'EAUTH'
        ? 'check SMTP_USERNAME and SMTP_PASSWORD (an app password where the provider requires one)'
        : code === 'ETIMEDOUT' || code === 'ECONNECTION' || code === 'EDNS' || code === 'ESOCKET'
          ? `check SMTP_HOST and SMTP_PORT (587 with STARTTLS, 465 implicit TLS) and that ${where} is reachable from here`
          : code === 'ETLS'
            ? 'the server does not offer the TLS SMTP_TLS asks for: check SMTP_PORT and SMTP_TLS'
            : 'check the SMTP_* settings, then `catalyst alert test`';
    const timedOut = code === 'ETIMEDOUT' || /timeout/i.test(message);
    return fail(
      NAME,
      `${where} (${security}): ${timedOut ? `no answer within ${formatMs(opts.timeoutMs)}: ` : ''}${message}`,
      fix,
    );
  } finally {
    transport.close();
  }
  const login = smtp.username ? `logged in as ${smtp.username}` : 'connected (no AUTH configured)';
  const routes = (['CRITICAL', 'WARNING', 'INFO'] as const)
    .map((s) => (smtp.to[s] ? `${s} → ${smtp.to[s]}` : null))
    .filter(Boolean);
  if (!smtp.to.CRITICAL)
    return warn(
      NAME,
      `${where} (${security}): ${login}, but ALERT_EMAIL_CRITICAL is not set: ${routes.length ? `only ${routes.join(', ')}; ` : ''}CRITICAL alerts go to the outbox only`,
      'set ALERT_EMAIL_CRITICAL (WARNING and INFO fall back to it)',
    );
  return ok(NAME, `${where} (${security}): ${login}; ${routes.join(', ')}`);
}
