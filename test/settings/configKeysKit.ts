/**
 * Helpers for test/settings/configKeys.test.ts: the leaf keys of the two config schemas, and
 * settings made from YAML text by the real parser (parseYamlConfig) or the real hot-reloading
 * source (createSettingsSource over a temporary config directory).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { z } from 'zod';
import { parseEnv, parseYamlConfig, type Settings } from '../../src/settings/loadSettings';
import {
  RISK_PARAMETERS_FILE,
  RiskParametersSchema,
  type RiskParameters,
} from '../../src/settings/riskParameters';
import { createSettingsSource, type SettingsSource } from '../../src/settings/settingsSource';
import {
  TRADING_CONFIG_FILE,
  TRADING_CONFIG_KEY_HINTS,
  TradingConfigSchema,
  type TradingConfig,
} from '../../src/settings/tradingConfig';

// ───────────────────────────── the keys ─────────────────────────────

interface SchemaDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
}
const defOf = (s: z.ZodType): SchemaDef => (s as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** The schema under its wrappers (default, prefault, optional, a transform's input). */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    const def = defOf(s);
    if (def.innerType && ['default', 'prefault', 'optional', 'nullable', 'readonly'].includes(def.type))
      s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else return s;
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The dotted leaf keys of a config schema, read off its parsed defaults (`schema.parse({})`). An
 * object whose schema is an object of named keys is a section and is walked into; anything else
 * is a leaf: numbers, strings, booleans, lists (sectors_to_limit) and maps (sector_overrides).
 * Throws when the parsed defaults and the schema's keys disagree (a key without a default).
 */
export function leafKeys(schema: z.ZodType): string[] {
  const out: string[] = [];
  const walk = (s: z.ZodType, value: unknown, path: string): void => {
    const def = defOf(unwrap(s));
    if (def.type !== 'object' || !def.shape) {
      out.push(path);
      return;
    }
    if (!isPlainObject(value)) throw new Error(`${path || '(root)'}: the parsed default is not a section`);
    const schemaKeys = Object.keys(def.shape).sort();
    const valueKeys = Object.keys(value).sort();
    if (schemaKeys.join() !== valueKeys.join())
      throw new Error(
        `${path || '(root)'}: schema keys [${schemaKeys.join(', ')}] but parsed defaults [${valueKeys.join(', ')}]`,
      );
    for (const k of schemaKeys) walk(def.shape[k]!, value[k], path ? `${path}.${k}` : k);
  };
  walk(schema, schema.parse({}), '');
  return out.sort();
}

/** The dotted keys a YAML document (as JS) sets, sections walked by the schema as in leafKeys. */
export function keysSetIn(schema: z.ZodType, doc: unknown): string[] {
  const out: string[] = [];
  const walk = (s: z.ZodType, value: unknown, path: string): void => {
    const def = defOf(unwrap(s));
    if (def.type === 'object' && def.shape && isPlainObject(value)) {
      for (const [k, v] of Object.entries(value)) {
        const child = def.shape[k];
        if (child) walk(child, v, path ? `${path}.${k}` : k);
        else out.push(`${path ? `${path}.` : ''}${k} (not in the schema)`);
      }
      return;
    }
    out.push(path);
  };
  walk(schema, doc, '');
  return out.sort();
}

// ───────────────────────────── settings from YAML ─────────────────────────────

/** Dotted key → value, e.g. { 'position_limits.max_positions': 2 }. Empty: every default. */
export type Overrides = Readonly<Record<string, unknown>>;

export interface ConfigOverrides {
  trading?: Overrides;
  risk?: Overrides;
}

/** YAML text setting exactly the given keys (everything else is left to the schema's defaults). */
export function yamlOf(overrides: Overrides = {}): string {
  const root: Record<string, unknown> = {};
  for (const [dotted, value] of Object.entries(overrides)) {
    const path = dotted.split('.');
    let node = root;
    for (const p of path.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
    node[path[path.length - 1]!] = value;
  }
  return Object.keys(root).length ? stringify(root) : '# defaults\n';
}

export const tradingWith = (o: Overrides = {}): TradingConfig =>
  parseYamlConfig(yamlOf(o), TRADING_CONFIG_FILE, TradingConfigSchema, {
    keyHints: TRADING_CONFIG_KEY_HINTS,
  });

export const riskWith = (o: Overrides = {}): RiskParameters =>
  parseYamlConfig(yamlOf(o), RISK_PARAMETERS_FILE, RiskParametersSchema);

/** Settings parsed from YAML text by the loader's own parser. */
export const settingsWith = (o: ConfigOverrides = {}): Settings => ({
  trading: tradingWith(o.trading),
  risk: riskWith(o.risk),
  env: parseEnv({}),
});

const tempDirs: string[] = [];

/** The hot-reloading settings source over a config directory holding exactly these YAML files. */
export function sourceWith(o: ConfigOverrides = {}): SettingsSource {
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-config-keys-'));
  tempDirs.push(dir);
  writeFileSync(join(dir, TRADING_CONFIG_FILE), yamlOf(o.trading));
  writeFileSync(join(dir, RISK_PARAMETERS_FILE), yamlOf(o.risk));
  return createSettingsSource({ configDir: dir, env: {}, log: () => {} });
}

export function removeTempConfigDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
