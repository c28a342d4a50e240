/**
 * Reads and validates everything Catalyst is configured by: config/trading_config.yaml,
 * config/risk_parameters.yaml and the environment. Synchronous, so the CLI can refuse to start
 * before anything else happens. All problems found are reported together, one line each.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { EnvSchema, SECRET_ENV_VARS, type Env, type EnvSource } from './env';
import { RISK_PARAMETERS_FILE, RiskParametersSchema, type RiskParameters } from './riskParameters';
import { SettingsError, formatIssues } from './settingsError';
import {
  TRADING_CONFIG_FILE,
  TRADING_CONFIG_KEY_HINTS,
  TradingConfigSchema,
  type TradingConfig,
} from './tradingConfig';

export { SettingsError } from './settingsError';
export { redactSettings } from './redactSettings';
export { settingsSnapshot, type SettingsSnapshot } from './settingsSnapshot';

export interface Settings {
  trading: TradingConfig;
  risk: RiskParameters;
  env: Env;
}

export interface LoadSettingsOptions {
  /** Directory holding trading_config.yaml and risk_parameters.yaml. */
  configDir: string;
  env: EnvSource;
}

export function loadSettings({ configDir, env }: LoadSettingsOptions): Settings {
  const problems: string[] = [];
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (err) {
      if (!(err instanceof SettingsError)) throw err;
      problems.push(...err.issues);
      return undefined;
    }
  };
  const trading = attempt(() => loadTradingConfig(configDir));
  const risk = attempt(() => loadRiskParameters(configDir));
  const parsedEnv = attempt(() => parseEnv(env));
  if (problems.length > 0 || !trading || !risk || !parsedEnv) throw new SettingsError(problems);
  return { trading, risk, env: parsedEnv };
}

export const loadTradingConfig = (configDir: string): TradingConfig =>
  loadYamlConfig(join(configDir, TRADING_CONFIG_FILE), TradingConfigSchema, {
    keyHints: TRADING_CONFIG_KEY_HINTS,
  });

export const loadRiskParameters = (configDir: string): RiskParameters =>
  loadYamlConfig(join(configDir, RISK_PARAMETERS_FILE), RiskParametersSchema);

export interface YamlConfigOptions {
  keyHints?: Readonly<Record<string, string>>;
}

/** Reads one YAML file and validates it; errors name the file by its base name. */
export function loadYamlConfig<S extends z.ZodType>(
  file: string,
  schema: S,
  opts: YamlConfigOptions = {},
): z.output<S> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SettingsError([
      `${basename(file)}: cannot read ${file} (${code === 'ENOENT' ? 'file not found' : (err as Error).message})`,
    ]);
  }
  return parseYamlConfig(text, basename(file), schema, opts);
}

/** Validates YAML text as if read from a file named `label` (hot reload and `config validate` share this). */
export function parseYamlConfig<S extends z.ZodType>(
  text: string,
  label: string,
  schema: S,
  opts: YamlConfigOptions = {},
): z.output<S> {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new SettingsError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const at = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
        const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        return `${label}: invalid YAML${at}: ${message}`;
      }),
    );
  }
  // An empty file (or one with only comments) means "all defaults". toJS() resolves aliases and
  // throws on one without its anchor (or an alias bomb past maxAliasCount): a YAML error too.
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (err) {
    throw new SettingsError([`${label}: invalid YAML: ${(err as Error).message.split('\n')[0]}`]);
  }
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw new SettingsError(
    formatIssues(result.error.issues, { prefix: `${label}: `, raw, schema, keyHints: opts.keyHints }),
  );
}

export function parseEnv(env: EnvSource): Env {
  const result = EnvSchema.safeParse(env);
  if (result.success) return result.data;
  throw new SettingsError(
    formatIssues(result.error.issues, {
      prefix: 'environment variable ',
      raw: env,
      schema: EnvSchema,
      secretKeys: SECRET_ENV_VARS,
    }),
  );
}
