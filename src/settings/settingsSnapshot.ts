/**
 * The part of the settings workflows may carry: the trading and risk configuration as plain JSON
 * (no secrets, no environment), with a fingerprint so a workflow can tell a hot-reloaded config
 * from the one it already holds without comparing every field.
 */
import type { Settings } from './loadSettings';
import type { RiskParameters } from './riskParameters';
import type { TradingConfig } from './tradingConfig';

export interface SettingsSnapshot {
  trading: TradingConfig;
  risk: RiskParameters;
  /** FNV-1a (32-bit, hex) of the canonical JSON of trading + risk. */
  fingerprint: string;
}

export function settingsSnapshot(settings: Pick<Settings, 'trading' | 'risk'>): SettingsSnapshot {
  const trading = JSON.parse(JSON.stringify(settings.trading)) as TradingConfig;
  const risk = JSON.parse(JSON.stringify(settings.risk)) as RiskParameters;
  return { trading, risk, fingerprint: fnv1a(canonicalJson({ trading, risk })) };
}

/** JSON with object keys sorted, so the fingerprint ignores key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
