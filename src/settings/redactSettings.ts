/**
 * A copy of the settings safe to print (`config validate`, `doctor`, logs): secrets replaced by a
 * fixed mask (so their length does not leak), key ids shortened to a recognisable tail, and the
 * database password removed from DATABASE_URL.
 */
import type { Env } from './env';
import type { Settings } from './loadSettings';

export const MASK = '********';

export function redactSettings(settings: Settings): Settings {
  return {
    trading: structuredClone(settings.trading),
    risk: structuredClone(settings.risk),
    env: redactEnv(settings.env),
  };
}

export function redactEnv(env: Env): Env {
  return {
    ...env,
    ALERT_EMAIL_CRITICAL: [...env.ALERT_EMAIL_CRITICAL],
    ALERT_EMAIL_WARNING: [...env.ALERT_EMAIL_WARNING],
    ALERT_EMAIL_INFO: [...env.ALERT_EMAIL_INFO],
    DATABASE_URL: env.DATABASE_URL === undefined ? undefined : redactUrl(env.DATABASE_URL),
    ALPACA_API_KEY: env.ALPACA_API_KEY === undefined ? undefined : keyTail(env.ALPACA_API_KEY),
    ALPACA_SECRET_KEY: mask(env.ALPACA_SECRET_KEY),
    SMTP_PASSWORD: mask(env.SMTP_PASSWORD),
    TEMPORAL_API_KEY: mask(env.TEMPORAL_API_KEY),
    NEWS_API_KEY: mask(env.NEWS_API_KEY),
    BENZINGA_API_KEY: mask(env.BENZINGA_API_KEY),
  };
}

const mask = (value: string | undefined): string | undefined => (value === undefined ? undefined : MASK);

/** "PK…CDEF": enough to tell paper from live keys and which key is loaded. */
function keyTail(key: string): string {
  return key.length > 8 ? `${key.slice(0, 2)}…${key.slice(-4)}` : MASK;
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = MASK;
    for (const name of ['password', 'sslpassword'])
      if (u.searchParams.has(name)) u.searchParams.set(name, MASK);
    return u.toString();
  } catch {
    return MASK;
  }
}
