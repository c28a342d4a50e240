/**
 * Every parser of outside input, fed arbitrary text (fast-check): each either accepts it or says
 * why in one line through its own error type. Never a TypeError, a RangeError or a stack trace
 * for a user, and never a crash that would leave something half started.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  UsageError,
  parseDate,
  parseMode,
  parseNonNegativeInt,
  parsePort,
  parsePositiveNumber,
  parseVenue,
} from '../../src/client/cliErrors';
import { parseSeverity } from '../../src/client/recordsCli';
import { checkScenarioFlag, parseFaultsFlag, parseHoldingsFlag } from '../../src/client/simCommand';
import { clientOrderId, parseClientOrderId } from '../../src/domain/clientOrderId';
import { parseCsv } from '../../src/domain/csv';
import { SettingsError, parseEnv, parseYamlConfig } from '../../src/settings/loadSettings';
import { RiskParametersSchema } from '../../src/settings/riskParameters';
import { TradingConfigSchema } from '../../src/settings/tradingConfig';

const RUNS = { numRuns: 400 };

/** Text a person or a script might type: unicode, control characters, near-misses of real values. */
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '-1',
    '0',
    '1e309',
    'NaN',
    'Infinity',
    '2026-02-30',
    '2026-13-01',
    '09:30',
    'null',
  ),
  fc.stringMatching(/^[0-9:.,@+ \-a-zA-Z/]{0,30}$/),
);

/**
 * Accepted, or refused with the expected error type: a one-line message naming `mention`; or, with
 * `eachLine`, one line per problem, each starting with it (a config file's list of problems).
 */
function acceptsOrExplains(
  run: () => unknown,
  errorType: new (...a: never[]) => Error,
  mention?: string,
  eachLine?: string,
): void {
  try {
    run();
  } catch (err) {
    expect(err, String(err)).toBeInstanceOf(errorType);
    const message = (err as Error).message;
    expect(message.length).toBeGreaterThan(0);
    if (eachLine) for (const line of message.split('\n')) expect(line.startsWith(eachLine), line).toBe(true);
    else expect(message).not.toContain('\n');
    if (mention) expect(message).toContain(mention);
  }
}

describe('CLI flag parsers', () => {
  const flags: [string, (v: string) => unknown][] = [
    ['--speed', (v) => parsePositiveNumber('--speed', v, 10_000)],
    ['--seed', (v) => parseNonNegativeInt('--seed', v)],
    ['--port', (v) => parsePort('--port', v)],
    ['--date', (v) => parseDate('--date', v)],
    ['--mode', (v) => parseMode('--mode', v)],
    ['--venue', (v) => parseVenue('--venue', v)],
    ['--severity', (v) => parseSeverity('--severity', v)],
    ['--faults', (v) => parseFaultsFlag('--faults', v)],
    ['--holdings', (v) => parseHoldingsFlag('--holdings', v)],
    ['--scenario', (v) => checkScenarioFlag('--scenario', v, { seed: 1, date: '2026-11-24' })],
  ];
  for (const [flag, parse] of flags)
    it(`${flag}: any text is accepted or refused with one line naming the flag`, () => {
      fc.assert(
        fc.property(text, (v) => acceptsOrExplains(() => parse(v), UsageError, flag)),
        RUNS,
      );
    });

  it('--date accepts exactly the real calendar dates', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          expect(parseDate('--date', iso)).toBe(iso);
        },
      ),
      RUNS,
    );
    for (const bad of ['2026-02-29', '2026-04-31', '2026-00-10', '26-11-24', '2026-11-24T00:00'])
      expect(() => parseDate('--date', bad), bad).toThrow(UsageError);
  });
});

describe('client order ids', () => {
  it('any string parses to null or to parts that make the same id again', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ maxLength: 60 })), (id) => {
        const parts = parseClientOrderId(id);
        if (parts) expect(clientOrderId(parts)).toBe(id);
      }),
      RUNS,
    );
  });

  it("Catalyst's own ids round-trip for any symbol and leg", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999 }),
        fc.stringMatching(/^[A-Z][A-Z.]{0,5}$/),
        fc.constantFrom('entry', 'exit', 'take_profit', 'stop_loss'),
        (d, cycle, symbol, leg) => {
          const parts = { tradingDate: d.toISOString().slice(0, 10), cycle, symbol, leg };
          const id = clientOrderId(parts);
          expect(id.length).toBeLessThanOrEqual(128); // Alpaca's limit
          expect(parseClientOrderId(id)).toMatchObject(parts);
        },
      ),
      RUNS,
    );
  });
});

describe('settings', () => {
  const envKeys = fc.constantFrom(
    'TRADING_MODE',
    'SMTP_PORT',
    'SMTP_HOST',
    'ALERT_EMAIL_CRITICAL',
    'DATABASE_URL',
    'TEMPORAL_ADDRESS',
    'ALPACA_BASE_URL',
    'LOG_LEVEL',
    'METRICS_PORT',
    'ENABLE_EMAIL_ALERTS',
  );

  it('.env: any value of any variable is accepted or refused as a SettingsError naming the variable', () => {
    fc.assert(
      fc.property(envKeys, text, (key, value) =>
        acceptsOrExplains(() => parseEnv({ [key]: value }), SettingsError, key),
      ),
      RUNS,
    );
  });

  it('YAML: any text as either config file is accepted or refused as a SettingsError, each line naming the file', () => {
    const yamlish = fc.oneof(
      text,
      fc.string({ maxLength: 200 }),
      fc.constantFrom('{', '[1, 2', 'a: [', '- - -', 'position_limits: 5', '!!binary AAAA', 'a: &x 1\nb: *y'),
      fc
        .dictionary(fc.string({ maxLength: 12 }), fc.oneof(fc.integer(), fc.string(), fc.boolean()))
        .map((o) => JSON.stringify(o)),
    );
    fc.assert(
      fc.property(yamlish, (yaml) => {
        acceptsOrExplains(
          () => parseYamlConfig(yaml, 'trading_config.yaml', TradingConfigSchema),
          SettingsError,
          undefined,
          'trading_config.yaml: ',
        );
        acceptsOrExplains(
          () => parseYamlConfig(yaml, 'risk_parameters.yaml', RiskParametersSchema),
          SettingsError,
          undefined,
          'risk_parameters.yaml: ',
        );
      }),
      RUNS,
    );
  });
  it('YAML aliases: one without its anchor, and an alias bomb, are YAML errors naming the file (found by the fuzzing above)', () => {
    expect(() => parseYamlConfig('a: &x 1\nb: *y', 'trading_config.yaml', TradingConfigSchema)).toThrow(
      /^trading_config\.yaml: invalid YAML: Unresolved alias/,
    );
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`),
    ].join('\n');
    expect(() => parseYamlConfig(bomb, 'risk_parameters.yaml', RiskParametersSchema)).toThrow(SettingsError);
  });
});

describe('data files', () => {
  it('CSV: any text parses to rows of strings without throwing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (csv) => {
        for (const row of parseCsv(csv)) for (const v of Object.values(row)) expect(typeof v).toBe('string');
      }),
      RUNS,
    );
  });
});
