/**
 * Where a process's log lines go: stderr, as plain text lines (LOG_FORMAT=text, the default: what a
 * person reads in a terminal) or as one JSON object per line through pino (LOG_FORMAT=json: what a
 * log shipper reads), filtered by LOG_LEVEL. Catalyst's own lines, the worker's activities' lines
 * and the Temporal runtime's (SDK, Core, workflow `log`) all come here.
 *
 * Secrets never leave: pino's redact censors fields named like a secret, and every line, text or
 * JSON, is scrubbed of the secret values the environment holds (the Alpaca keys, SMTP_PASSWORD,
 * TEMPORAL_API_KEY, the news keys, the DATABASE_URL password) wherever they appear in it.
 */
import { inspect } from 'node:util';
import type { LogLevel as TemporalLogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import pino from 'pino';
import { SECRET_ENV_VARS, readLogEnv, type EnvSource, type LogFormat, type LogLevel } from '../settings/env';

export const REDACTED = '[REDACTED]';

const LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
const rank = (level: LogLevel): number => LEVELS.indexOf(level);

/** Shorter values are not scrubbed: a one-letter "secret" would blank every such letter of every line. */
export const MIN_SCRUBBED_LENGTH = 4;

/**
 * The secret values of an environment, as they may appear in a line: the secret variables' values,
 * and the DATABASE_URL password (raw, percent-decoded, and a `password=` parameter).
 */
export function secretValues(env: EnvSource): string[] {
  const found = new Set<string>();
  const add = (v: string | undefined | null): void => {
    const t = v?.trim();
    if (t && t.length >= MIN_SCRUBBED_LENGTH) found.add(t);
  };
  for (const name of SECRET_ENV_VARS) {
    const value = env[name];
    if (name !== 'DATABASE_URL') {
      add(value);
      continue;
    }
    if (!value) continue;
    try {
      const url = new URL(value.trim());
      add(url.password);
      add(safeDecode(url.password));
      for (const key of ['password', 'sslpassword']) add(url.searchParams.get(key));
    } catch {
      // Not a URL (the settings say so): a libpq "password=…" string at most.
      add(/(?:^|\s)password=(\S+)/.exec(value)?.[1]);
    }
  }
  // Longest first: a secret containing another is replaced whole.
  return [...found].sort((a, b) => b.length - a.length);
}

const safeDecode = (v: string): string => {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
};

/** Replaces each secret, and its JSON-escaped form, wherever it appears in `text`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret && out.includes(escaped)) out = out.split(escaped).join(REDACTED);
  }
  return out;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
export const stripAnsi = (s: string): string => s.replace(ANSI, '');

/**
 * The level of one of Catalyst's plain lines, from its wording: alert lines carry their severity
 * (`[CRITICAL] …`, `WARNING …`), and lines saying something could not be done are warnings.
 */
export function levelOfLine(line: string): LogLevel {
  const text = stripAnsi(line).trimStart();
  if (/^\[?CRITICAL\]?\b/.test(text)) return 'error';
  if (/^\[?WARNING\]?\b/.test(text)) return 'warn';
  if (/^\[INFO\]/.test(text)) return 'info';
  if (/^(could not|cannot)\b/i.test(text) || /\bfailed\b/.test(text)) return 'warn';
  return 'info';
}

/** Fields whose value is a secret whatever it holds (top level and one object down). */
const SECRET_FIELDS = [
  ...SECRET_ENV_VARS,
  'password',
  'pass',
  'secretKey',
  'secret_key',
  'apiKey',
  'api_key',
  'keyId',
  'authorization',
];
export const REDACT_PATHS = SECRET_FIELDS.flatMap((f) => [f, `*.${f}`]);

/** A DATABASE_URL field keeps its host and database, without the password. */
function censor(value: unknown, path: string[]): unknown {
  if (path.at(-1) === 'DATABASE_URL' && typeof value === 'string') {
    try {
      const url = new URL(value);
      if (url.password) url.password = REDACTED;
      for (const key of ['password', 'sslpassword'])
        if (url.searchParams.has(key)) url.searchParams.set(key, REDACTED);
      return url.toString();
    } catch {
      return REDACTED;
    }
  }
  return REDACTED;
}

const TEMPORAL_LEVELS: Record<TemporalLogLevel, LogLevel> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};
const TEMPORAL_RANK: readonly TemporalLogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
/** Record keys pino writes itself: a Temporal meta field of the same name is kept as `meta_<name>`. */
const RESERVED = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'source']);

export interface LineOptions {
  /** Default: read from the line's wording (levelOfLine). */
  level?: LogLevel;
  /** Extra JSON fields (JSON format only; a text line is the line). */
  fields?: Record<string, unknown>;
}

export interface LogSink {
  readonly format: LogFormat;
  readonly level: LogLevel;
  enabled(level: LogLevel): boolean;
  /** One of Catalyst's lines. In text format it is written as given (colours too). */
  line(text: string, opts?: LineOptions): void;
  /**
   * The Temporal runtime's logger: the SDK's, Core's (forwarded) and the workflows' `log` lines,
   * from `threshold` up (and never below LOG_LEVEL).
   */
  temporalLogger(threshold: TemporalLogLevel): TemporalLogger;
}

export interface LogSinkOptions {
  level: LogLevel;
  format: LogFormat;
  /** Values scrubbed from every line (secretValues(env)). */
  secrets: readonly string[];
  /** Default process.stderr (synchronous on Linux pipes and files, so nothing is lost at exit). */
  stream?: { write(chunk: string): unknown };
}

export function createLogSink(opts: LogSinkOptions): LogSink {
  const stream = opts.stream ?? process.stderr;
  const scrub = (s: string): string => scrubSecrets(s, opts.secrets);
  const enabled = (level: LogLevel): boolean => rank(level) >= rank(opts.level);
  const json =
    opts.format === 'json'
      ? pino(
          {
            level: opts.level,
            name: 'catalyst',
            timestamp: pino.stdTimeFunctions.isoTime,
            formatters: { level: (label) => ({ level: label }) },
            redact: { paths: REDACT_PATHS, censor },
            // The last step before a line is written: whatever carried a secret value, it goes here.
            hooks: { streamWrite: scrub },
          },
          stream as pino.DestinationStream,
        )
      : null;

  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (!enabled(level)) return;
    if (json) json[level](fields ?? {}, stripAnsi(msg));
    else stream.write(`${scrub(msg)}\n`);
  };

  return {
    format: opts.format,
    level: opts.level,
    enabled,
    line: (text, o = {}) => write(o.level ?? levelOfLine(text), text, o.fields),
    temporalLogger(threshold) {
      const floor = TEMPORAL_RANK.indexOf(threshold);
      const log = (level: TemporalLogLevel, message: string, meta?: LogMetadata): void => {
        if (TEMPORAL_RANK.indexOf(level) < floor) return;
        const ours = TEMPORAL_LEVELS[level];
        if (!enabled(ours)) return;
        // String keys only: the runtime adds its timestamp under a symbol.
        const entries = Object.entries(meta ?? {});
        if (json) {
          const fields: Record<string, unknown> = { source: 'temporal' };
          for (const [k, v] of entries) fields[RESERVED.has(k) ? `meta_${k}` : k] = v;
          json[ours](fields, message);
          return;
        }
        // The SDK's own text format: time, [LEVEL], message, metadata.
        const rest = entries.length
          ? ` ${inspect(Object.fromEntries(entries), { breakLength: Infinity, depth: 4 })}`
          : '';
        stream.write(`${scrub(`${new Date().toISOString()} [${level}] ${message}${rest}`)}\n`);
      };
      return {
        log,
        trace: (m, meta) => log('TRACE', m, meta),
        debug: (m, meta) => log('DEBUG', m, meta),
        info: (m, meta) => log('INFO', m, meta),
        warn: (m, meta) => log('WARN', m, meta),
        error: (m, meta) => log('ERROR', m, meta),
      };
    },
  };
}

/** The sink LOG_LEVEL, LOG_FORMAT and the secrets of `env` call for. */
export function logSinkFromEnv(env: EnvSource, stream?: LogSinkOptions['stream']): LogSink {
  return createLogSink({ ...readLogEnv(env), secrets: secretValues(env), ...(stream ? { stream } : {}) });
}

let processSink: LogSink | undefined;
/** This process's sink, made from process.env (and .env, loaded before any command runs) on first use. */
export function processLogSink(): LogSink {
  return (processSink ??= logSinkFromEnv(process.env));
}
