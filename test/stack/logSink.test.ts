/**
 * The log sink: LOG_FORMAT=json writes one JSON object per line, text writes the line as given,
 * LOG_LEVEL filters both, and no secret of the environment survives in either, whether it comes
 * in the message, in a field named like a secret, or in a field of any other name.
 */
import { describe, expect, it } from 'vitest';
import { readLogEnv } from '../../src/settings/env';
import {
  REDACTED,
  createLogSink,
  levelOfLine,
  logSinkFromEnv,
  scrubSecrets,
  secretValues,
  type LogSinkOptions,
} from '../../src/stack/logSink';

const ENV = {
  ALPACA_API_KEY: 'PKTESTKEYID1234',
  ALPACA_SECRET_KEY: 'alpaca-secret-"quoted"\\value',
  SMTP_PASSWORD: 'smtp-app-password',
  TEMPORAL_API_KEY: 'temporal-cloud-api-key',
  NEWS_API_KEY: 'abc', // too short to scrub without blanking every "abc"
  DATABASE_URL: 'postgresql://catalyst:p%40ss%2Fw0rd@db.example.com:5432/catalyst?sslmode=require',
};
const SECRETS_AS_WRITTEN = [
  'PKTESTKEYID1234',
  'alpaca-secret-"quoted"\\value',
  'smtp-app-password',
  'temporal-cloud-api-key',
  'p%40ss%2Fw0rd',
  'p@ss/w0rd',
];

function collect(opts: Partial<LogSinkOptions> & Pick<LogSinkOptions, 'format'>) {
  const lines: string[] = [];
  let buffer = '';
  const sink = createLogSink({
    level: 'info',
    secrets: secretValues(ENV),
    stream: {
      write(chunk: string) {
        buffer += chunk;
        const parts = buffer.split('\n');
        buffer = parts.pop()!;
        lines.push(...parts);
        return true;
      },
    },
    ...opts,
  });
  return { sink, lines };
}

const noSecretIn = (lines: string[]): void => {
  for (const line of lines)
    for (const secret of SECRETS_AS_WRITTEN) {
      expect(line, `a log line carries ${secret}`).not.toContain(secret);
      expect(line).not.toContain(JSON.stringify(secret).slice(1, -1));
    }
};

describe('secret values', () => {
  it('are the secret variables of the environment and the database password, raw and decoded', () => {
    expect(new Set(secretValues(ENV))).toEqual(new Set(SECRETS_AS_WRITTEN));
  });

  it('include a password given as a URL parameter, and nothing from an empty environment', () => {
    expect(secretValues({ DATABASE_URL: 'postgres://db/catalyst?password=param-secret' })).toEqual([
      'param-secret',
    ]);
    expect(secretValues({})).toEqual([]);
  });

  it('are scrubbed longest first, and in their JSON-escaped form', () => {
    expect(scrubSecrets('a secret-long and secret', ['secret-long', 'secret'])).toBe(
      `a ${REDACTED} and ${REDACTED}`,
    );
    expect(scrubSecrets(JSON.stringify({ v: 'x"y\\z' }), ['x"y\\z'])).toBe(`{"v":"${REDACTED}"}`);
  });
});

describe('LOG_FORMAT=json', () => {
  it('writes one JSON object per line with the level by name, the message and its fields', () => {
    const { sink, lines } = collect({ format: 'json' });
    sink.line('\x1b[2mvenue: simulator (no keys)\x1b[0m');
    sink.line('could not record order X now (reconciliation will): timeout', { fields: { cycle: 3 } });
    sink.line('[CRITICAL] EMERGENCY STOP');
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toHaveLength(3);
    expect(records[0]).toMatchObject({ level: 'info', name: 'catalyst', msg: 'venue: simulator (no keys)' });
    expect(typeof records[0]!.time).toBe('string');
    expect(records[1]).toMatchObject({ level: 'warn', cycle: 3 });
    expect(records[2]).toMatchObject({ level: 'error', msg: '[CRITICAL] EMERGENCY STOP' });
  });

  it('never writes a secret: in the message, in a field named like one, or in any other field', () => {
    const { sink, lines } = collect({ format: 'json' });
    sink.line(`connecting with ${ENV.ALPACA_SECRET_KEY} and ${ENV.SMTP_PASSWORD}`);
    sink.line('settings', {
      fields: {
        SMTP_PASSWORD: 'a value the environment does not hold',
        smtp: { host: 'smtp.example.com', password: 'another unknown one' },
        DATABASE_URL: 'postgresql://catalyst:unknown-pw@db.example.com:5432/catalyst',
        innocent: `Bearer ${ENV.TEMPORAL_API_KEY}`,
        url: ENV.DATABASE_URL,
        key: ENV.ALPACA_API_KEY,
      },
    });
    sink.line('an error', { fields: { err: new Error(`login failed for p@ss/w0rd`) } });
    noSecretIn(lines);
    const [first, second, third] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first!.msg).toBe(`connecting with ${REDACTED} and ${REDACTED}`);
    expect(second).toMatchObject({
      SMTP_PASSWORD: REDACTED,
      smtp: { host: 'smtp.example.com', password: REDACTED },
      // Where it is, without the password.
      DATABASE_URL: `postgresql://catalyst:${encodeURIComponent(REDACTED)}@db.example.com:5432/catalyst`,
      innocent: `Bearer ${REDACTED}`,
    });
    expect(JSON.stringify(third)).toContain(REDACTED);
  });

  it('filters by LOG_LEVEL', () => {
    const { sink, lines } = collect({ format: 'json', level: 'warn' });
    sink.line('an ordinary line');
    sink.line('WARNING calendar disagreement');
    sink.line('debugging', { level: 'debug' });
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual([
      'WARNING calendar disagreement',
    ]);
    expect(sink.enabled('error')).toBe(true);
    expect(sink.enabled('info')).toBe(false);
  });

  it("carries the Temporal runtime's lines, from its threshold up, with their metadata", () => {
    const { sink, lines } = collect({ format: 'json' });
    const logger = sink.temporalLogger('WARN');
    logger.info('Worker state changed', { state: 'RUNNING' });
    logger.warn('Activity failed', { activityType: 'scanChunk', level: 'x', error: ENV.SMTP_PASSWORD });
    logger.error('cycle failed', { cycle: 2 });
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toEqual([
      expect.objectContaining({
        level: 'warn',
        source: 'temporal',
        msg: 'Activity failed',
        activityType: 'scanChunk',
        meta_level: 'x',
        error: REDACTED,
      }),
      expect.objectContaining({ level: 'error', source: 'temporal', msg: 'cycle failed', cycle: 2 }),
    ]);
  });
});

describe('LOG_FORMAT=text', () => {
  it('writes the line as given, scrubbed, and filters by LOG_LEVEL', () => {
    const { sink, lines } = collect({ format: 'text', level: 'warn' });
    sink.line('venue: simulator');
    sink.line(`could not send the alert summary: auth ${ENV.SMTP_PASSWORD} rejected`);
    expect(lines).toEqual([`could not send the alert summary: auth ${REDACTED} rejected`]);
  });

  it("writes the Temporal runtime's lines in the SDK's own shape", () => {
    const { sink, lines } = collect({ format: 'text' });
    sink.temporalLogger('ERROR').error('cycle failed', { cycle: 4, message: ENV.ALPACA_API_KEY });
    sink.temporalLogger('ERROR').warn('below the threshold');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z \[ERROR\] cycle failed \{ cycle: 4, message: '\[REDACTED\]' \}$/,
    );
  });
});

describe('the level of a plain line', () => {
  it.each([
    ['[CRITICAL] EMERGENCY STOP on 2026-11-24', 'error'],
    ['WARNING calendar disagreement 2026-11-27', 'warn'],
    ['[WARNING] Cycle 3 failed', 'warn'],
    ['[INFO] Daily report 2026-11-27: 6 trades', 'info'],
    ['could not record order X now', 'warn'],
    ['shutdown step failed: boom', 'warn'],
    ['Temporal dev server on 127.0.0.1:7233', 'info'],
  ] as const)('%s → %s', (line, level) => expect(levelOfLine(line)).toBe(level));
});

describe('LOG_LEVEL and LOG_FORMAT', () => {
  it('default to info and text, take the guide names and aliases, and fall back on a bad value', () => {
    expect(readLogEnv({})).toEqual({ level: 'info', format: 'text' });
    expect(readLogEnv({ LOG_LEVEL: 'WARNING', LOG_FORMAT: 'JSON' })).toEqual({
      level: 'warn',
      format: 'json',
    });
    expect(readLogEnv({ LOG_LEVEL: 'critical', LOG_FORMAT: 'pretty' })).toEqual({
      level: 'fatal',
      format: 'text',
    });
    expect(readLogEnv({ LOG_LEVEL: 'loud', LOG_FORMAT: 'xml' })).toEqual({ level: 'info', format: 'text' });
  });

  it('make the sink of an environment', () => {
    const lines: string[] = [];
    const sink = logSinkFromEnv(
      { LOG_FORMAT: 'json', LOG_LEVEL: 'error', SMTP_PASSWORD: 'from-the-env' },
      { write: (s: string) => lines.push(s) },
    );
    expect(sink.format).toBe('json');
    sink.line('ignored');
    sink.line('from-the-env', { level: 'error' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`"msg":"${REDACTED}"`);
  });
});
