import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SettingsError,
  loadSettings,
  loadYamlConfig,
  parseYamlConfig,
  redactSettings,
  settingsSnapshot,
} from '../../src/settings/loadSettings';
import { RiskParametersSchema } from '../../src/settings/riskParameters';
import { riskLimitsFromConfig } from '../../src/settings/riskLimits';
import { TRADING_CONFIG_KEY_HINTS, TradingConfigSchema } from '../../src/settings/tradingConfig';
import { ErrorType } from '../../src/shared';

const CONFIG_DIR = join(__dirname, '../../config');

const trading = (yaml: string) =>
  parseYamlConfig(yaml, 'trading_config.yaml', TradingConfigSchema, { keyHints: TRADING_CONFIG_KEY_HINTS });
const risk = (yaml: string) => parseYamlConfig(yaml, 'risk_parameters.yaml', RiskParametersSchema);

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SettingsError);
    return (err as Error).message;
  }
  throw new Error('expected a SettingsError');
}

describe('config/*.yaml defaults', () => {
  it('the shipped files load and equal the schema defaults', () => {
    const s = loadSettings({ configDir: CONFIG_DIR, env: {} });
    expect(s.trading).toEqual(trading(''));
    expect(s.risk).toEqual(risk(''));
    expect(s.trading).toMatchObject({
      session: { mode: 'autonomous' },
      workflow: {
        scan_frequency_minutes: 30,
        first_cycle_after_open_minutes: 5,
        execute_top_n: 3,
        no_new_entries_before_close_minutes: 60,
        flatten_before_close_minutes: 10,
        approval_timeout_minutes: 10,
      },
      scan: { universe_top_n: 200, min_price: 5, max_price: 500, min_dollar_volume: 5_000_000 },
      filters: { technical_top_n: 10 },
      scoring: { weights: { news: 0.3, technical: 0.3, momentum: 0.2, volume: 0.2 } },
      positions: {
        default_stop_loss_pct: 2,
        default_take_profit_pct: 6,
        use_atr_stops: false,
        atr_multiplier: 1.5,
        max_hold_time_minutes: 180,
        close_all_at_market_close: true,
      },
    });
    expect(s.risk).toMatchObject({
      daily_limits: { max_loss: '2000.00', warning_threshold_pct: 75, emergency_stop_at_100: true },
      position_limits: {
        max_positions: 5,
        max_position_size: '5000.00',
        min_position_size: '100.00',
        risk_per_trade_pct: 1,
      },
      sector_limits: { max_exposure_pct: 40, sectors_to_limit: [] },
      correlation: { max_correlation: 0.7, check_enabled: true },
      emergency_actions: {
        close_all_positions_on_limit: true,
        send_email_alert: true,
        halt_new_trades: true,
        cooldown_period_minutes: 60,
      },
    });
    expect(s.env).toMatchObject({
      TRADING_MODE: 'paper',
      ENABLE_LIVE_TRADING: false,
      TEMPORAL_NAMESPACE: 'default',
    });
  });

  it('accepts the guide’s money values as numbers or strings, exposed as decimal strings', () => {
    const r = risk(
      'daily_limits:\n  max_loss: 1500.5\nposition_limits:\n  max_position_size: "2500"\n  min_position_size: 0\n',
    );
    expect(r.daily_limits.max_loss).toBe('1500.50');
    expect(r.position_limits.max_position_size).toBe('2500.00');
    expect(r.position_limits.min_position_size).toBe('0.00');
  });

  it('treats an empty or comment-only file as all defaults', () => {
    expect(trading('# nothing here\n')).toEqual(trading(''));
  });
});

describe('one clear message per bad value', () => {
  const cases: [string, () => unknown, string][] = [
    [
      'integer range',
      () => risk('position_limits:\n  max_positions: 0\n'),
      'risk_parameters.yaml: position_limits.max_positions must be an integer between 1 and 50 (got 0)',
    ],
    [
      'not an integer',
      () => risk('position_limits:\n  max_positions: 2.5\n'),
      'risk_parameters.yaml: position_limits.max_positions must be an integer between 1 and 50 (got 2.5)',
    ],
    [
      'wrong type',
      () => trading('workflow:\n  scan_frequency_minutes: often\n'),
      'trading_config.yaml: workflow.scan_frequency_minutes must be an integer between 1 and 390 (got "often")',
    ],
    [
      'upper bound',
      () => trading('workflow:\n  execute_top_n: 11\n'),
      'trading_config.yaml: workflow.execute_top_n must be an integer between 1 and 10 (got 11)',
    ],
    [
      'number range',
      () => trading('positions:\n  default_stop_loss_pct: 75\n'),
      'trading_config.yaml: positions.default_stop_loss_pct must be a number between 0.1 and 50 (got 75)',
    ],
    [
      'money',
      () => risk('daily_limits:\n  max_loss: -100\n'),
      'risk_parameters.yaml: daily_limits.max_loss must be an amount in dollars between 1 and 10000000 (got -100)',
    ],
    [
      'money text',
      () => risk('daily_limits:\n  max_loss: "$2,000"\n'),
      'risk_parameters.yaml: daily_limits.max_loss must be an amount in dollars between 1 and 10000000 (got "$2,000")',
    ],
    [
      'enum',
      () => trading('session:\n  mode: auto\n'),
      'trading_config.yaml: session.mode must be one of supervised, autonomous (got "auto")',
    ],
    [
      'boolean',
      () => risk('correlation:\n  check_enabled: yes\n'),
      'risk_parameters.yaml: correlation.check_enabled must be true or false (got "yes")',
    ],
    [
      'section type',
      () => trading('workflow: 5\n'),
      'trading_config.yaml: workflow must be a mapping of keys (got 5)',
    ],
    [
      'file type',
      () => trading('- a\n- b\n'),
      'trading_config.yaml: the file must be a mapping of keys (got ["a","b"])',
    ],
    [
      'cross-field',
      () => risk('position_limits:\n  min_position_size: 6000\n'),
      'risk_parameters.yaml: position_limits.min_position_size must not exceed position_limits.max_position_size (5000.00) (got 6000)',
    ],
    [
      'funnel order',
      () => trading('filters:\n  technical_top_n: 50\n'),
      'trading_config.yaml: filters.technical_top_n must not exceed filters.pattern_top_n (20) (got 50)',
    ],
    [
      'price band',
      () => trading('scan:\n  min_price: 600\n'),
      'trading_config.yaml: scan.min_price must be below scan.max_price (500) (got 600)',
    ],
    [
      'bad yaml',
      () => risk('daily_limits:\n  max_loss: [1\n'),
      'risk_parameters.yaml: invalid YAML at line 3, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
    [
      'duplicate key',
      () => risk('correlation:\n  check_enabled: true\n  check_enabled: false\n'),
      'risk_parameters.yaml: invalid YAML at line 3, column 3: Map keys must be unique',
    ],
  ];
  it.each(cases)('%s', (_name, load, expected) => {
    expect(messageOf(load)).toBe(expected);
  });

  it('rejects unknown keys, suggesting the intended one', () => {
    expect(messageOf(() => trading('workflow:\n  scan_frequncy_minutes: 15\n'))).toBe(
      'trading_config.yaml: workflow.scan_frequncy_minutes is not a known key (did you mean scan_frequency_minutes?)',
    );
    expect(messageOf(() => risk('colour: blue\n'))).toBe(
      'risk_parameters.yaml: colour is not a known key (known keys: daily_limits, position_limits, sector_limits, correlation, emergency_actions)',
    );
  });

  it('explains where the guide’s moved keys went', () => {
    expect(messageOf(() => trading('risk:\n  max_positions: 5\n'))).toMatch(
      /^trading_config.yaml: risk is not a known key: risk limits live in risk_parameters.yaml/,
    );
    expect(messageOf(() => trading('workflow:\n  auto_execute: true\n'))).toMatch(
      /use session.mode: autonomous/,
    );
  });

  it('rejects weights that do not sum to 1', () => {
    expect(messageOf(() => trading('scoring:\n  weights:\n    volume: 0.1\n'))).toBe(
      'trading_config.yaml: scoring.weights must sum to 1 (got news 0.3 + technical 0.3 + momentum 0.2 + volume 0.1 = 0.9)',
    );
    expect(
      trading('scoring:\n  weights: {news: 0.4, technical: 0.4, momentum: 0.1, volume: 0.1}\n').scoring
        .weights.news,
    ).toBe(0.4);
  });

  it('reports every problem, one per line, as an InvalidConfig error', () => {
    let error: SettingsError | undefined;
    try {
      trading('workflow:\n  execute_top_n: 0\n  scan_frequency_minutes: 0\n');
    } catch (err) {
      error = err as SettingsError;
    }
    expect(error?.issues).toHaveLength(2);
    expect(error?.message.split('\n')).toEqual(error?.issues);
    expect(error?.type).toBe(ErrorType.InvalidConfig);
    expect(error?.name).toBe('SettingsError');
  });
});

describe('loadSettings / loadYamlConfig', () => {
  const dir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'catalyst-settings-'));
    for (const f of ['trading_config.yaml', 'risk_parameters.yaml'])
      writeFileSync(join(d, f), readFileSync(join(CONFIG_DIR, f)));
    return d;
  };

  it('names a missing file', () => {
    const d = mkdtempSync(join(tmpdir(), 'catalyst-empty-'));
    expect(messageOf(() => loadYamlConfig(join(d, 'risk_parameters.yaml'), RiskParametersSchema))).toMatch(
      /^risk_parameters.yaml: cannot read .*risk_parameters.yaml \(file not found\)$/,
    );
  });

  it('collects problems from both files and the environment in one error', () => {
    const d = dir();
    writeFileSync(join(d, 'risk_parameters.yaml'), 'position_limits:\n  max_positions: 0\n');
    writeFileSync(join(d, 'trading_config.yaml'), 'session:\n  mode: yolo\n');
    expect(
      messageOf(() => loadSettings({ configDir: d, env: { TRADING_MODE: 'demo' } })).split('\n'),
    ).toEqual([
      'trading_config.yaml: session.mode must be one of supervised, autonomous (got "yolo")',
      'risk_parameters.yaml: position_limits.max_positions must be an integer between 1 and 50 (got 0)',
      'environment variable TRADING_MODE must be paper or live (got "demo")',
    ]);
  });

  it('redacts secrets for printing', () => {
    const s = loadSettings({
      configDir: CONFIG_DIR,
      env: {
        DATABASE_URL: 'postgresql://catalyst:hunter2@db.example.com:5432/catalyst',
        ALPACA_API_KEY: 'PK1234567890ABCDEF',
        ALPACA_SECRET_KEY: 'very-secret',
        SMTP_USERNAME: 'me@example.com',
        SMTP_PASSWORD: 'app-password',
        TEMPORAL_API_KEY: 'tk',
        NEWS_API_KEY: 'nk',
      },
    });
    const printed = JSON.stringify(redactSettings(s));
    for (const secret of ['hunter2', 'very-secret', 'app-password', '"tk"', '"nk"', '1234567890']) {
      expect(printed).not.toContain(secret);
    }
    expect(redactSettings(s).env.ALPACA_API_KEY).toBe('PK…CDEF');
    expect(redactSettings(s).env.DATABASE_URL).toBe(
      'postgresql://catalyst:********@db.example.com:5432/catalyst',
    );
    expect(s.env.ALPACA_SECRET_KEY).toBe('very-secret'); // the original is untouched
  });

  it('snapshots trading + risk as small JSON with a stable fingerprint', () => {
    const s = loadSettings({ configDir: CONFIG_DIR, env: { ALPACA_SECRET_KEY: 'x', ALPACA_API_KEY: 'y' } });
    const snap = settingsSnapshot(s);
    expect(Object.keys(snap).sort()).toEqual(['fingerprint', 'risk', 'trading']);
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
    expect(JSON.stringify(snap).length).toBeLessThan(2000);
    expect(snap.fingerprint).toMatch(/^[0-9a-f]{8}$/);
    expect(settingsSnapshot(s).fingerprint).toBe(snap.fingerprint);
    const changed = {
      ...s,
      trading: { ...s.trading, workflow: { ...s.trading.workflow, execute_top_n: 4 } },
    };
    expect(settingsSnapshot(changed).fingerprint).not.toBe(snap.fingerprint);
  });

  it('maps the config onto the risk manager’s limits', () => {
    const s = loadSettings({ configDir: CONFIG_DIR, env: {} });
    expect(riskLimitsFromConfig(s)).toEqual({
      maxDailyLoss: '2000.00',
      maxPositions: 5,
      minPositionSize: '100.00',
      maxPositionSize: '5000.00',
      marginBuyingPowerPct: 0,
      riskPerTradePct: 1,
      maxSectorExposurePct: 40,
      sectorsToLimit: [],
      maxCorrelation: 0.7,
      correlationCheckEnabled: true,
      correlationMissingData: 'reject',
      executeTopN: 3,
      stopLossPct: 2,
      takeProfitPct: 6,
      useAtrStops: false,
      atrMultiplier: 1.5,
      entryLimitOffsetPct: 0.5,
    });
  });
});
