/**
 * Schema of the process environment (.env): connections, credentials and the live-trading opt-ins.
 * Every variable is optional with a safe default, so a fresh machine with no .env runs the embedded
 * simulator. Empty values (`SMTP_HOST=`) count as unset, as they do in most .env tooling.
 */
import { z } from 'zod';
import { OMIT_GOT } from './fields';

/** Variables whose values must never be printed (error messages, logs, `config validate`). */
export const SECRET_ENV_VARS = [
  'ALPACA_SECRET_KEY',
  'SMTP_PASSWORD',
  'TEMPORAL_API_KEY',
  'NEWS_API_KEY',
  'BENZINGA_API_KEY',
  'DATABASE_URL', // carries the database password
  'ALPACA_API_KEY',
  'CATALYST_CODEC_KEYS', // the payload codec's AES keys
] as const;

const blankToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());
/** The default is written as the variable would be, and parsed like it. */
const withDefault = <T extends z.ZodType>(schema: T, raw: string) =>
  z.preprocess((v) => blankToUndefined(v) ?? raw, schema);

const text = (error: string) => z.string({ error }).trim().min(1, { error });

const flag = () =>
  z
    .string({ error: 'must be true or false' })
    .trim()
    .toLowerCase()
    .pipe(z.enum(['true', 'false'], { error: 'must be true or false' }))
    .transform((v) => v === 'true');

const port = () =>
  z
    .string({ error: 'must be a port number between 1 and 65535' })
    .trim()
    .regex(/^\d{1,5}$/, { error: 'must be a port number between 1 and 65535' })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, { error: 'must be a port number between 1 and 65535' })
        .max(65535, { error: 'must be a port number between 1 and 65535' }),
    );

const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;
const emailList = () =>
  z
    .string({ error: 'must be an email address or a comma-separated list of them' })
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every((a) => EMAIL.test(a)), {
      error: 'must be an email address or a comma-separated list of them',
    });

const postgresUrl = () =>
  z
    .string({ error: 'must be a postgres:// or postgresql:// URL' })
    .trim()
    .refine(
      (v) => {
        if (!/^postgres(ql)?:\/\//i.test(v)) return false;
        try {
          return new URL(v).hostname.length > 0 || /host=/.test(v);
        } catch {
          return false;
        }
      },
      {
        error:
          'must be a postgres:// or postgresql:// URL (e.g. postgresql://user:password@host:5432/catalyst)',
      },
    );

const hostPort = () =>
  z
    .string({ error: 'must be host:port (e.g. localhost:7233 or my-ns.a1b2c.tmprl.cloud:7233)' })
    .trim()
    .refine(
      (v) => {
        const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(v);
        return m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 65535;
      },
      { error: 'must be host:port (e.g. localhost:7233 or my-ns.a1b2c.tmprl.cloud:7233)' },
    );

const ALPACA_URL_ERROR =
  'must be an http:// or https:// URL without credentials, query or fragment (e.g. https://paper-api.alpaca.markets or http://127.0.0.1:8299)';

/**
 * An Alpaca-style API base. A trailing `/v2` is dropped because the client adds `/v2/...` itself
 * and people paste the versioned URL from Alpaca's dashboard. The keys travel in headers, so a URL
 * carrying credentials is a mistake; its value is then not quoted back.
 */
const alpacaUrl = () =>
  z.string({ error: ALPACA_URL_ERROR }).transform((raw, ctx) => {
    let url: URL | null = null;
    try {
      url = new URL(raw.trim());
    } catch {
      // reported below
    }
    const credentials = url !== null && (url.username !== '' || url.password !== '');
    if (
      url === null ||
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      !url.hostname ||
      credentials ||
      url.search !== '' ||
      url.hash !== '' ||
      raw.trim().endsWith('?') ||
      raw.trim().endsWith('#')
    ) {
      ctx.addIssue({
        code: 'custom',
        message: credentials
          ? `${ALPACA_URL_ERROR}: the keys go in ALPACA_API_KEY/ALPACA_SECRET_KEY`
          : ALPACA_URL_ERROR,
        ...(credentials ? { params: OMIT_GOT } : {}),
      });
      return z.NEVER;
    }
    return `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/v2$/i, '')}`;
  });

/** Accepts pino's names and the guide's Python names (INFO, WARNING, CRITICAL), any case. */
const LOG_LEVEL_ALIASES: Record<string, LogLevel> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  fatal: 'fatal',
  critical: 'fatal',
};
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
const logLevel = () =>
  z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => Object.hasOwn(LOG_LEVEL_ALIASES, v), {
      error: 'must be one of trace, debug, info, warn, error, fatal',
    })
    .transform((v) => LOG_LEVEL_ALIASES[v]!);

/** text: one plain line per event (a person reading a terminal); json: one JSON object per line (log shippers). */
export type LogFormat = 'text' | 'json';
const LOG_FORMAT_ALIASES: Record<string, LogFormat> = { text: 'text', pretty: 'text', json: 'json' };
const logFormat = () =>
  z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => Object.hasOwn(LOG_FORMAT_ALIASES, v), { error: 'must be text or json' })
    .transform((v) => LOG_FORMAT_ALIASES[v]!);

/** A host name, an IPv4 address or an IPv6 address (bracketless): where a server binds. */
const bindHost = () =>
  z
    .string({ error: 'must be a host name or an IP address (e.g. 127.0.0.1 or 0.0.0.0)' })
    .trim()
    .regex(/^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)$/, {
      error: 'must be a host name or an IP address (e.g. 127.0.0.1 or 0.0.0.0)',
    });

const envShape = {
  DATABASE_URL: optional(postgresUrl()),

  ALPACA_API_KEY: optional(text('must be a non-empty key id')),
  ALPACA_SECRET_KEY: optional(text('must be a non-empty secret')),
  /** Trading API base; unset: Alpaca's paper or live host, as the venue decides (liveTradingGate.ts). */
  ALPACA_BASE_URL: optional(alpacaUrl()),
  /** Market-data base; unset: Alpaca's data host, or ALPACA_BASE_URL when that is not Alpaca's. */
  ALPACA_DATA_URL: optional(alpacaUrl()),
  /**
   * Market-data feed: sip (every US exchange; a paid Alpaca data plan) or iex (one exchange, a few
   * per cent of the volume). Unset: the account's default, which is iex on a free plan.
   */
  ALPACA_DATA_FEED: optional(
    z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(['iex', 'sip'], { error: 'must be iex or sip' })),
  ),
  TRADING_MODE: withDefault(
    z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(['paper', 'live'], { error: 'must be paper or live' })),
    'paper',
  ),
  ENABLE_LIVE_TRADING: withDefault(flag(), 'false'),

  NEWS_API_KEY: optional(text('must be a non-empty key')),
  BENZINGA_API_KEY: optional(text('must be a non-empty key')),
  /** The payload codec's keys (src/codec/codecKeys.ts parses and checks them). */
  CATALYST_CODEC_KEYS: optional(text('must be keyId:base64key,…')),

  ENABLE_EMAIL_ALERTS: withDefault(flag(), 'true'),
  SMTP_HOST: optional(text('must be a host name')),
  SMTP_PORT: withDefault(port(), '587'),
  SMTP_USERNAME: optional(text('must be a user name')),
  SMTP_PASSWORD: optional(text('must be a password')),
  SMTP_FROM: optional(z.string().trim().regex(EMAIL, { error: 'must be an email address' })),
  SMTP_TLS: withDefault(flag(), 'true'),
  /** false only for a test server with a self-signed certificate: production always verifies the server. */
  SMTP_TLS_REJECT_UNAUTHORIZED: withDefault(flag(), 'true'),
  ALERT_EMAIL_CRITICAL: withDefault(emailList(), ''),
  ALERT_EMAIL_WARNING: withDefault(emailList(), ''),
  ALERT_EMAIL_INFO: withDefault(emailList(), ''),

  TEMPORAL_ADDRESS: optional(hostPort()),
  TEMPORAL_NAMESPACE: withDefault(text('must be a namespace name'), 'default'),
  TEMPORAL_API_KEY: optional(text('must be a non-empty key')),
  TEMPORAL_TLS: optional(flag()),
  /** mTLS (a self-hosted cluster or Temporal Cloud with certificates): PEM files of the client certificate and key. */
  TEMPORAL_TLS_CLIENT_CERT_PATH: optional(text('must be the path of a PEM certificate file')),
  TEMPORAL_TLS_CLIENT_KEY_PATH: optional(text('must be the path of a PEM private key file')),
  /** The CA that signed the server's certificate, when it is not one the system trusts. */
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: optional(text('must be the path of a PEM CA certificate file')),
  /** The name the server's certificate is checked against, when it differs from TEMPORAL_ADDRESS's host. */
  TEMPORAL_TLS_SERVER_NAME: optional(text('must be a host name')),

  LOG_LEVEL: withDefault(logLevel(), 'info'),
  LOG_FORMAT: withDefault(logFormat(), 'text'),

  /** The worker's Prometheus endpoint (`/metrics`); unset: no metrics server. */
  METRICS_PORT: optional(port()),
  METRICS_HOST: withDefault(bindHost(), '127.0.0.1'),
};

/** Every variable Catalyst reads. */
export const ENV_VARIABLES = Object.freeze(Object.keys(envShape)) as readonly (keyof typeof envShape)[];

export const EnvSchema = z
  .object(envShape)
  .superRefine((e, ctx) => {
    const pair = (
      a: 'ALPACA_API_KEY' | 'SMTP_USERNAME' | 'TEMPORAL_TLS_CLIENT_CERT_PATH',
      b: 'ALPACA_SECRET_KEY' | 'SMTP_PASSWORD' | 'TEMPORAL_TLS_CLIENT_KEY_PATH',
    ): void => {
      if ((e[a] === undefined) !== (e[b] === undefined)) {
        const [set, unset] = e[a] === undefined ? [b, a] : [a, b];
        ctx.addIssue({
          code: 'custom',
          path: [unset],
          message: `must be set because ${set} is (set both or neither)`,
        });
      }
    };
    pair('ALPACA_API_KEY', 'ALPACA_SECRET_KEY');
    pair('SMTP_USERNAME', 'SMTP_PASSWORD');
    pair('TEMPORAL_TLS_CLIENT_CERT_PATH', 'TEMPORAL_TLS_CLIENT_KEY_PATH');
  })
  // Temporal Cloud API keys and client certificates only work over TLS, so either turns TLS on unless TEMPORAL_TLS says otherwise.
  .transform((e) => ({
    ...e,
    TEMPORAL_TLS:
      e.TEMPORAL_TLS ??
      [
        e.TEMPORAL_API_KEY,
        e.TEMPORAL_TLS_CLIENT_CERT_PATH,
        e.TEMPORAL_TLS_CLIENT_KEY_PATH,
        e.TEMPORAL_TLS_SERVER_CA_CERT_PATH,
        e.TEMPORAL_TLS_SERVER_NAME,
      ].some((v) => v !== undefined),
  }));

export type Env = z.output<typeof EnvSchema>;

const LogEnvSchema = z.object({ LOG_LEVEL: envShape.LOG_LEVEL, LOG_FORMAT: envShape.LOG_FORMAT });

/**
 * LOG_LEVEL and LOG_FORMAT alone, never failing: the logger exists before the settings are
 * validated (an invalid value is reported then, by the settings' own message), so an invalid one
 * falls back to its default here.
 */
export function readLogEnv(env: EnvSource): { level: LogLevel; format: LogFormat } {
  const pick = <K extends 'LOG_LEVEL' | 'LOG_FORMAT'>(key: K): z.output<typeof LogEnvSchema>[K] => {
    const parsed = LogEnvSchema.shape[key].safeParse(env[key]);
    return (parsed.success ? parsed.data : LogEnvSchema.shape[key].parse(undefined)) as z.output<
      typeof LogEnvSchema
    >[K];
  };
  return { level: pick('LOG_LEVEL'), format: pick('LOG_FORMAT') };
}
/** What the environment looks like to the schema: process.env or a plain record. */
export type EnvSource = Record<string, string | undefined>;
