/**
 * Bad-input battery, category (a): configuration files. Each row is one malformed input.
 *
 * YAML rows (config/trading_config.yaml, config/risk_parameters.yaml) go through the real loaders
 * twice: at start-up (loadSettings on a config directory holding the bad file: one SettingsError
 * line naming the file and the key, or the line and column of a syntax error), and as a hot-reload
 * edit (createSettingsSource: the edit is rejected with the same line and the last good settings
 * stay in force — nothing half-applied).
 *
 * `.env` rows go through the strict reader (src/settings/envFile.ts: a bad line is reported with
 * its number, and a file with any problem yields nothing) and then the environment schema
 * (loadSettings: the variable named, secrets never quoted). Not wired in yet: the CLI
 * (src/client/main.ts) still reads `.env` with node's util.parseEnv, which skips such lines and
 * loses the variable after them; switching it to parseEnvFile is a one-line change there.
 *
 * The battery's four files, one table of rows each: (a) test/battery/configFiles.test.ts,
 * (b) test/battery/cliArguments.test.ts, (c) test/e2e/badPayloads.test.ts (it needs the Temporal
 * dev server, so it runs in the `temporal` project), (d) test/battery/brokerResponses.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../src/settings/envFile';
import { loadSettings, SettingsError } from '../../src/settings/loadSettings';
import { RISK_PARAMETERS_FILE } from '../../src/settings/riskParameters';
import { createSettingsSource } from '../../src/settings/settingsSource';
import { TRADING_CONFIG_FILE } from '../../src/settings/tradingConfig';
import { ErrorType } from '../../src/shared';

const PROJECT = join(import.meta.dirname, '../..');
const SHIPPED = {
  trading: readFileSync(join(PROJECT, 'config', TRADING_CONFIG_FILE), 'utf8'),
  risk: readFileSync(join(PROJECT, 'config', RISK_PARAMETERS_FILE), 'utf8'),
};
const FILE = { trading: TRADING_CONFIG_FILE, risk: RISK_PARAMETERS_FILE } as const;
type Which = keyof typeof FILE;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A config directory with the shipped files, one of them replaced (null: removed). */
function configDir(which?: Which, text?: string | null): string {
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-battery-config-'));
  dirs.push(dir);
  for (const w of ['trading', 'risk'] as const) {
    const content = w === which ? text : SHIPPED[w];
    if (content !== null && content !== undefined) writeFileSync(join(dir, FILE[w]), content);
  }
  return dir;
}

/** The SettingsError `fn` throws (fails the test if it returns or throws anything else). */
function settingsErrorOf(fn: () => unknown): SettingsError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SettingsError);
    expect((err as SettingsError).type).toBe(ErrorType.InvalidConfig);
    return err as SettingsError;
  }
  throw new Error('expected a SettingsError, got a result');
}

const aliasBomb = [
  'a: &a [x, x, x, x, x, x, x, x, x, x]',
  'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
  'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
].join('\n');

/** [name, file, its text (null: the file is missing), the one line expected] */
const yamlRows: [string, Which, string | null, RegExp][] = [
  [
    'trading: a word where a number belongs',
    'trading',
    'workflow:\n  scan_frequency_minutes: "thirty"\n',
    /^trading_config\.yaml: workflow\.scan_frequency_minutes must be an integer between 1 and 390 \(got "thirty"\)$/,
  ],
  [
    'trading: a misspelt key',
    'trading',
    'workflow:\n  scan_frequncy_minutes: 30\n',
    /^trading_config\.yaml: workflow\.scan_frequncy_minutes is not a known key \(did you mean scan_frequency_minutes\?\)$/,
  ],
  [
    'trading: the guide’s risk section, which moved',
    'trading',
    'risk:\n  max_daily_loss: 2000\n',
    /^trading_config\.yaml: risk is not a known key: risk limits live in risk_parameters\.yaml/,
  ],
  [
    'trading: invalid YAML syntax (an unclosed list)',
    'trading',
    'workflow: [1, 2\nscan:\n  min_price: 5\n',
    /^trading_config\.yaml: invalid YAML at line \d+, column \d+: /,
  ],
  [
    'trading: a tab for indentation',
    'trading',
    'workflow:\n\tscan_frequency_minutes: 30\n',
    /^trading_config\.yaml: invalid YAML at line 2, column 1: Tabs are not allowed as indentation$/,
  ],
  [
    'trading: a key written twice',
    'trading',
    'workflow:\n  scan_frequency_minutes: 30\n  scan_frequency_minutes: 15\n',
    /^trading_config\.yaml: invalid YAML at line 3, column 3: Map keys must be unique$/,
  ],
  [
    'trading: an alias without its anchor',
    'trading',
    'workflow:\n  scan_frequency_minutes: *freq\n',
    /^trading_config\.yaml: invalid YAML: Unresolved alias .*: freq$/,
  ],
  [
    'trading: an alias bomb',
    'trading',
    aliasBomb,
    /^trading_config\.yaml: invalid YAML: Excessive alias count/,
  ],
  [
    'trading: a huge number',
    'trading',
    'scan:\n  universe_top_n: 1e308\n',
    /^trading_config\.yaml: scan\.universe_top_n must be an integer between 1 and 1000 \(got 1e\+308\)$/,
  ],
  [
    'trading: a 1 MB string (quoted in part)',
    'trading',
    `session:\n  mode: ${'x'.repeat(1_000_000)}\n`,
    /^trading_config\.yaml: session\.mode must be one of supervised, autonomous \(got "x+\.\.\.\)$/,
  ],
  [
    'trading: a section left empty (null)',
    'trading',
    'workflow:\nscan:\n  min_price: 5\n',
    /^trading_config\.yaml: workflow must be a mapping of keys \(got null\)$/,
  ],
  [
    'trading: a list instead of a mapping',
    'trading',
    '- workflow\n- scan\n',
    /^trading_config\.yaml: the file must be a mapping of keys \(got \["workflow","scan"\]\)$/,
  ],
  [
    'trading: binary junk',
    'trading',
    '\u0000\u0001\u0002\u0003junk',
    /^trading_config\.yaml: the file must be a mapping of keys/,
  ],
  [
    'trading: a price of .nan',
    'trading',
    'scan:\n  min_price: .nan\n',
    /^trading_config\.yaml: scan\.min_price must be a number between 0\.01 and 100000 \(got NaN\)$/,
  ],
  [
    'trading: holding positions overnight',
    'trading',
    'positions:\n  close_all_at_market_close: false\n',
    /^trading_config\.yaml: positions\.close_all_at_market_close must be true: .* \(got false\)$/,
  ],
  [
    'trading: weights that do not sum to 1',
    'trading',
    'scoring:\n  weights:\n    news: 0.5\n',
    /^trading_config\.yaml: scoring\.weights must sum to 1 \(got news 0\.5 \+ technical 0\.3 \+ momentum 0\.2 \+ volume 0\.2 = 1\.2\)$/,
  ],
  ['trading: the file missing', 'trading', null, /^trading_config\.yaml: cannot read .*trading_config\.yaml/],
  [
    'risk: a negative daily loss limit',
    'risk',
    'daily_limits:\n  max_loss: -500\n',
    /^risk_parameters\.yaml: daily_limits\.max_loss must be an amount in dollars between 1 and 10000000 \(got -500\)$/,
  ],
  [
    'risk: a negative position count',
    'risk',
    'position_limits:\n  max_positions: -1\n',
    /^risk_parameters\.yaml: position_limits\.max_positions must be an integer between 1 and 50 \(got -1\)$/,
  ],
  [
    'risk: a required amount left empty',
    'risk',
    'daily_limits:\n  max_loss:\n',
    /^risk_parameters\.yaml: daily_limits\.max_loss must be an amount in dollars between 1 and 10000000 \(got null\)$/,
  ],
  [
    'risk: an amount with a thousands separator',
    'risk',
    'daily_limits:\n  max_loss: "2,000.00"\n',
    /^risk_parameters\.yaml: daily_limits\.max_loss must be an amount in dollars .* \(got "2,000\.00"\)$/,
  ],
  [
    'risk: a sector override for a lower-case symbol',
    'risk',
    'sector_limits:\n  sector_overrides:\n    aapl: Technology\n',
    /^risk_parameters\.yaml: sector_limits\.sector_overrides: the key "aapl" must be a ticker symbol in capitals$/,
  ],
  [
    'risk: a correlation of .inf',
    'risk',
    'correlation:\n  max_correlation: .inf\n',
    /^risk_parameters\.yaml: correlation\.max_correlation must be a number between 0 and 1 \(got Infinity\)$/,
  ],
  [
    'risk: a minimum position above the maximum',
    'risk',
    'position_limits:\n  min_position_size: 9000\n  max_position_size: 5000\n',
    /^risk_parameters\.yaml: position_limits\.min_position_size must not exceed position_limits\.max_position_size \(5000\.00\)/,
  ],
];

describe('bad-input battery (a): YAML configuration', () => {
  it.each(yamlRows)('%s', (_name, which, text, expected) => {
    // Start-up: refused with one line naming the file and the key.
    const started = settingsErrorOf(() => loadSettings({ configDir: configDir(which, text), env: {} }));
    expect(started.issues).toHaveLength(1);
    expect(started.issues[0]).toMatch(expected);
    expect(started.message.length, 'short, whatever the file held').toBeLessThan(300);

    // Hot reload: the same edit is rejected and the last good settings stay in force.
    const live = configDir();
    const source = createSettingsSource({ configDir: live, env: {} });
    const before = source.current();
    if (text === null) rmSync(join(live, FILE[which]));
    else writeFileSync(join(live, FILE[which]), text);
    const reload = source.reload();
    expect(reload.status).toBe('rejected');
    if (reload.status !== 'rejected') return;
    expect(reload.error.issues).toHaveLength(1);
    expect(reload.error.issues[0]).toMatch(text === null ? /^trading_config\.yaml: cannot read / : expected);
    expect(source.current()).toBe(before);
    source.close();
  });
});

const SECRET = 'hunter2-do-not-print';

/** [name, .env text, the one line expected, where it is found] */
const envRows: [string, string, RegExp][] = [
  [
    'a line without "="',
    'TRADING_MODE=paper\nthis line is junk\nDATABASE_URL=postgresql://u@db.example/catalyst\n',
    /^\.env: line 2: not KEY=value \(17 characters, no "="\)$/,
  ],
  [
    'a value without a name',
    'TRADING_MODE=paper\n=live\nLOG_LEVEL=info\n',
    /^\.env: line 2: a value without a variable name before "="$/,
  ],
  [
    'a quote never closed',
    'SMTP_FROM="alerts@example.com\nLOG_LEVEL=info\n',
    /^\.env: line 1: the value of SMTP_FROM opens a quote it never closes on this line$/,
  ],
  [
    'a variable set twice',
    'ENABLE_LIVE_TRADING=false\nLOG_LEVEL=info\nENABLE_LIVE_TRADING=true\n',
    /^\.env: line 3: ENABLE_LIVE_TRADING is set again \(first on line 1\); keep one$/,
  ],
  [
    'a misspelt live flag',
    'TRADING_MODE=live\nENABLE_LIVE_TRADNG=true\n',
    /^\.env: line 2: ENABLE_LIVE_TRADNG is not a variable Catalyst reads \(did you mean ENABLE_LIVE_TRADING\?\)$/,
  ],
  [
    'a name with a dash',
    'SMTP-HOST=mail.example.com\n',
    /^\.env: line 1: "SMTP-HOST" is not a variable name/,
  ],
  [
    'a control character in a value',
    'LOG_LEVEL=info\u0000debug\n',
    /^\.env: line 1: the value of LOG_LEVEL holds a control character$/,
  ],
  [
    'a live flag that is not true or false',
    'ENABLE_LIVE_TRADING=yes\n',
    /^environment variable ENABLE_LIVE_TRADING must be true or false \(got "yes"\)$/,
  ],
  [
    'an unknown trading mode',
    'TRADING_MODE=Live!\n',
    /^environment variable TRADING_MODE must be paper or live \(got "Live!"\)$/,
  ],
  [
    'a port with a space',
    'SMTP_PORT=58 7\n',
    /^environment variable SMTP_PORT must be a port number between 1 and 65535 \(got "58 7"\)$/,
  ],
  [
    'a key id without its secret',
    `ALPACA_API_KEY=PK${SECRET}\n`,
    /^environment variable ALPACA_SECRET_KEY must be set because ALPACA_API_KEY is \(set both or neither\)$/,
  ],
  [
    'a database URL that is not postgres',
    `DATABASE_URL=mysql://root:${SECRET}@localhost/catalyst\n`,
    /^environment variable DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/,
  ],
];

describe('bad-input battery (a): .env files', () => {
  it.each(envRows)('%s', (_name, text, expected) => {
    let issues: string[];
    try {
      const env = parseEnvFile(text);
      issues = settingsErrorOf(() => loadSettings({ configDir: configDir(), env })).issues;
    } catch (err) {
      expect(err).toBeInstanceOf(SettingsError);
      issues = (err as SettingsError).issues;
    }
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(expected);
    expect(issues[0]).not.toContain(SECRET);
  });

  it('control: indentation, export, quotes and comments are read exactly; the shipped example loads', () => {
    const env = parseEnvFile(
      '# comment\n\tSMTP_HOST=mail.example.com # the relay\nexport TRADING_MODE="paper"\r\nALERT_EMAIL_CRITICAL=\'ops@example.com\'\n\n',
    );
    expect(env).toEqual({
      SMTP_HOST: 'mail.example.com',
      TRADING_MODE: 'paper',
      ALERT_EMAIL_CRITICAL: 'ops@example.com',
    });
    const example = parseEnvFile(readFileSync(join(PROJECT, '.env.example'), 'utf8'), '.env.example');
    expect(loadSettings({ configDir: configDir(), env: example }).env.TRADING_MODE).toBe('paper');
  });
});
