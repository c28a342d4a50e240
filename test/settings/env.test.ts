import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_VARIABLES } from '../../src/settings/env';
import { SettingsError, parseEnv } from '../../src/settings/loadSettings';

function messageOf(env: Record<string, string>): string {
  try {
    parseEnv(env);
  } catch (err) {
    expect(err).toBeInstanceOf(SettingsError);
    return (err as Error).message;
  }
  throw new Error('expected a SettingsError');
}

describe('environment', () => {
  it('defaults to a safe, keyless setup', () => {
    expect(parseEnv({})).toEqual({
      TRADING_MODE: 'paper',
      ENABLE_LIVE_TRADING: false,
      ENABLE_EMAIL_ALERTS: true,
      SMTP_PORT: 587,
      SMTP_TLS: true,
      SMTP_TLS_REJECT_UNAUTHORIZED: true,
      ALERT_EMAIL_CRITICAL: [],
      ALERT_EMAIL_WARNING: [],
      ALERT_EMAIL_INFO: [],
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TLS: false,
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'text',
      METRICS_HOST: '127.0.0.1',
    });
  });

  it('reads the log format and the metrics endpoint', () => {
    expect(parseEnv({ LOG_FORMAT: 'JSON', METRICS_PORT: ' 9464 ', METRICS_HOST: '0.0.0.0' })).toMatchObject({
      LOG_FORMAT: 'json',
      METRICS_PORT: 9464,
      METRICS_HOST: '0.0.0.0',
    });
    expect(parseEnv({ LOG_FORMAT: 'pretty', METRICS_HOST: '::' })).toMatchObject({
      LOG_FORMAT: 'text',
      METRICS_HOST: '::',
    });
    expect(parseEnv({ METRICS_PORT: '' }).METRICS_PORT).toBeUndefined();
  });

  it('parses a full production environment', () => {
    const env = parseEnv({
      DATABASE_URL: 'postgresql://catalyst_user:pw@db.example.com:25060/catalyst_trading?sslmode=require',
      ALPACA_API_KEY: 'AK123',
      ALPACA_SECRET_KEY: 'secret',
      TRADING_MODE: 'LIVE',
      ENABLE_LIVE_TRADING: 'True',
      SMTP_HOST: 'smtp.gmail.com',
      SMTP_PORT: '465',
      SMTP_USERNAME: 'me@example.com',
      SMTP_PASSWORD: 'app-pw',
      SMTP_FROM: 'me@example.com',
      SMTP_TLS: 'false',
      ALERT_EMAIL_CRITICAL: 'a@example.com, b@example.com',
      TEMPORAL_ADDRESS: 'my-ns.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'my-ns.a1b2c',
      TEMPORAL_API_KEY: 'tk',
      LOG_LEVEL: 'WARNING',
      UNRELATED_VARIABLE: 'ignored',
    });
    expect(env).toMatchObject({
      TRADING_MODE: 'live',
      ENABLE_LIVE_TRADING: true,
      SMTP_PORT: 465,
      SMTP_TLS: false,
      ALERT_EMAIL_CRITICAL: ['a@example.com', 'b@example.com'],
      TEMPORAL_TLS: true, // an API key implies TLS
      LOG_LEVEL: 'warn',
    });
    expect(env).not.toHaveProperty('UNRELATED_VARIABLE');
  });

  it('treats empty values as unset', () => {
    expect(
      parseEnv({ DATABASE_URL: '', ALPACA_API_KEY: ' ', ALPACA_SECRET_KEY: '', TRADING_MODE: '' })
        .TRADING_MODE,
    ).toBe('paper');
  });

  it('lets TEMPORAL_TLS override the API-key default', () => {
    expect(parseEnv({ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: 'false' }).TEMPORAL_TLS).toBe(false);
    expect(parseEnv({ TEMPORAL_TLS: 'true' }).TEMPORAL_TLS).toBe(true);
  });

  it('reads the Alpaca endpoints, dropping a trailing /v2 or /', () => {
    const base = (ALPACA_BASE_URL: string) => parseEnv({ ALPACA_BASE_URL }).ALPACA_BASE_URL;
    expect(base('https://paper-api.alpaca.markets')).toBe('https://paper-api.alpaca.markets');
    expect(base('https://paper-api.alpaca.markets/')).toBe('https://paper-api.alpaca.markets');
    expect(base(' https://paper-api.alpaca.markets/v2 ')).toBe('https://paper-api.alpaca.markets');
    expect(base('https://paper-api.alpaca.markets/v2/')).toBe('https://paper-api.alpaca.markets');
    expect(base('HTTPS://API.Alpaca.Markets/V2')).toBe('https://api.alpaca.markets');
    expect(base('http://127.0.0.1:8299')).toBe('http://127.0.0.1:8299');
    expect(base('https://proxy.example.com/alpaca/v2')).toBe('https://proxy.example.com/alpaca');
    expect(parseEnv({ ALPACA_DATA_URL: 'https://data.alpaca.markets/v2' }).ALPACA_DATA_URL).toBe(
      'https://data.alpaca.markets',
    );
    expect(parseEnv({ ALPACA_BASE_URL: '', ALPACA_DATA_URL: ' ' })).toMatchObject({
      ALPACA_BASE_URL: undefined,
      ALPACA_DATA_URL: undefined,
    });
  });

  it('takes the market-data feed, or leaves it to the account', () => {
    expect(parseEnv({ ALPACA_DATA_FEED: ' SIP ' }).ALPACA_DATA_FEED).toBe('sip');
    expect(parseEnv({ ALPACA_DATA_FEED: 'iex' }).ALPACA_DATA_FEED).toBe('iex');
    expect(parseEnv({ ALPACA_DATA_FEED: '' }).ALPACA_DATA_FEED).toBeUndefined();
    expect(messageOf({ ALPACA_DATA_FEED: 'otc' })).toBe(
      'environment variable ALPACA_DATA_FEED must be iex or sip (got "otc")',
    );
  });

  const bad: [Record<string, string>, string][] = [
    [{ TRADING_MODE: 'demo' }, 'environment variable TRADING_MODE must be paper or live (got "demo")'],
    [
      { ENABLE_LIVE_TRADING: 'yes' },
      'environment variable ENABLE_LIVE_TRADING must be true or false (got "yes")',
    ],
    [
      { ALPACA_API_KEY: 'PK1' },
      'environment variable ALPACA_SECRET_KEY must be set because ALPACA_API_KEY is (set both or neither)',
    ],
    [
      { ALPACA_SECRET_KEY: 's' },
      'environment variable ALPACA_API_KEY must be set because ALPACA_SECRET_KEY is (set both or neither)',
    ],
    [
      { SMTP_USERNAME: 'me' },
      'environment variable SMTP_PASSWORD must be set because SMTP_USERNAME is (set both or neither)',
    ],
    [
      { SMTP_PORT: '99999' },
      'environment variable SMTP_PORT must be a port number between 1 and 65535 (got "99999")',
    ],
    [
      { SMTP_PORT: 'smtp' },
      'environment variable SMTP_PORT must be a port number between 1 and 65535 (got "smtp")',
    ],
    [{ SMTP_FROM: 'nobody' }, 'environment variable SMTP_FROM must be an email address (got "nobody")'],
    [
      { ALERT_EMAIL_WARNING: 'a@example.com;b@example.com' },
      'environment variable ALERT_EMAIL_WARNING must be an email address or a comma-separated list of them (got "a@example.com;b@example.com")',
    ],
    [
      { TEMPORAL_ADDRESS: 'localhost' },
      'environment variable TEMPORAL_ADDRESS must be host:port (e.g. localhost:7233 or my-ns.a1b2c.tmprl.cloud:7233) (got "localhost")',
    ],
    [
      { ALPACA_BASE_URL: 'paper-api.alpaca.markets' },
      'environment variable ALPACA_BASE_URL must be an http:// or https:// URL without credentials, query or fragment (e.g. https://paper-api.alpaca.markets or http://127.0.0.1:8299) (got "paper-api.alpaca.markets")',
    ],
    [
      { ALPACA_BASE_URL: 'ftp://127.0.0.1:8299' },
      'environment variable ALPACA_BASE_URL must be an http:// or https:// URL without credentials, query or fragment (e.g. https://paper-api.alpaca.markets or http://127.0.0.1:8299) (got "ftp://127.0.0.1:8299")',
    ],
    [
      { ALPACA_BASE_URL: 'http://127.0.0.1:8299/?feed=sip' },
      'environment variable ALPACA_BASE_URL must be an http:// or https:// URL without credentials, query or fragment (e.g. https://paper-api.alpaca.markets or http://127.0.0.1:8299) (got "http://127.0.0.1:8299/?feed=sip")',
    ],
    [
      { ALPACA_DATA_URL: 'https://data.alpaca.markets#v2' },
      'environment variable ALPACA_DATA_URL must be an http:// or https:// URL without credentials, query or fragment (e.g. https://paper-api.alpaca.markets or http://127.0.0.1:8299) (got "https://data.alpaca.markets#v2")',
    ],
    [
      { ALPACA_DATA_URL: 'http://' },
      'environment variable ALPACA_DATA_URL must be an http:// or https:// URL without credentials, query or fragment (e.g. https://paper-api.alpaca.markets or http://127.0.0.1:8299) (got "http://")',
    ],
    [{ TEMPORAL_TLS: 'on' }, 'environment variable TEMPORAL_TLS must be true or false (got "on")'],
    [
      { SMTP_TLS_REJECT_UNAUTHORIZED: 'no' },
      'environment variable SMTP_TLS_REJECT_UNAUTHORIZED must be true or false (got "no")',
    ],
    [
      { LOG_LEVEL: 'loud' },
      'environment variable LOG_LEVEL must be one of trace, debug, info, warn, error, fatal (got "loud")',
    ],
    [{ LOG_FORMAT: 'xml' }, 'environment variable LOG_FORMAT must be text or json (got "xml")'],
    [
      { METRICS_PORT: '0' },
      'environment variable METRICS_PORT must be a port number between 1 and 65535 (got "0")',
    ],
    [
      { METRICS_HOST: 'http://0.0.0.0' },
      'environment variable METRICS_HOST must be a host name or an IP address (e.g. 127.0.0.1 or 0.0.0.0) (got "http://0.0.0.0")',
    ],
  ];
  it.each(bad)('rejects %j', (env, expected) => {
    expect(messageOf(env)).toBe(expected);
  });

  it('never quotes a secret in an error', () => {
    const message = messageOf({ DATABASE_URL: 'mysql://root:hunter2@db/catalyst' });
    expect(message).toBe(
      'environment variable DATABASE_URL must be a postgres:// or postgresql:// URL (e.g. postgresql://user:password@host:5432/catalyst)',
    );
    expect(message).not.toContain('hunter2');
  });

  it('never quotes an endpoint that carries credentials', () => {
    const message = messageOf({ ALPACA_BASE_URL: 'https://PKKEY:hunter2@paper-api.alpaca.markets' });
    expect(message).toBe(
      'environment variable ALPACA_BASE_URL must be an http:// or https:// URL without credentials, query or fragment (e.g. https://paper-api.alpaca.markets or http://127.0.0.1:8299): the keys go in ALPACA_API_KEY/ALPACA_SECRET_KEY',
    );
    expect(message).not.toContain('hunter2');
  });

  it('.env.example documents every variable the schema reads', () => {
    const example = readFileSync(join(__dirname, '../../.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    for (const name of ENV_VARIABLES) expect(documented, name).toContain(name);
  });
});
