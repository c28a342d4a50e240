/**
 * Hot reload of the two YAML files. The first load must succeed (a bad config stops the process);
 * after that the files are polled, a valid edit replaces the settings, and an invalid edit is
 * rejected — logged as a WARNING and reported to `onRejected` listeners (the alerting code) — while
 * the last good settings stay in force. The environment is read once: it cannot change under a
 * running process.
 *
 * Polling rather than fs.watch: editors save by rename, network filesystems drop events, and a
 * few-second poll comfortably meets the 60-second promise.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvSource } from './env';
import { RISK_PARAMETERS_FILE, RiskParametersSchema } from './riskParameters';
import { SettingsError } from './settingsError';
import { settingsSnapshot, type SettingsSnapshot } from './settingsSnapshot';
import { loadSettings, parseYamlConfig, type Settings } from './loadSettings';
import { TRADING_CONFIG_FILE, TRADING_CONFIG_KEY_HINTS, TradingConfigSchema } from './tradingConfig';

export interface SettingsSourceOptions {
  configDir: string;
  env: EnvSource;
  log?: (line: string) => void;
  /** Default 5 s. */
  pollIntervalMs?: number;
}

export type SettingsReload =
  | { status: 'unchanged' }
  | { status: 'applied'; settings: Settings }
  | { status: 'rejected'; error: SettingsError };

export interface SettingsSource {
  current(): Settings;
  /** A short hash naming the config in force now (trading + risk); the workflow carries it. */
  version(): string;
  /**
   * The config a version names, so every activity of one cycle decides on the same snapshot even
   * when an edit lands mid-cycle. An unknown or missing version (another process, an old history)
   * gives the config in force now.
   */
  at(version: string | undefined): Settings;
  /** JSON-safe trading + risk config for workflows. */
  snapshot(): SettingsSnapshot;
  /** Re-reads the files now (the poller calls this). */
  reload(): SettingsReload;
  /** The invalid edit currently on disk, if any. */
  lastRejection(): SettingsError | null;
  onChange(listener: (settings: Settings) => void): () => void;
  onRejected(listener: (error: SettingsError) => void): () => void;
  /** Starts polling; idempotent. */
  watch(): void;
  close(): void;
}

export function createSettingsSource(opts: SettingsSourceOptions): SettingsSource {
  const log = opts.log ?? (() => {});
  const files = [TRADING_CONFIG_FILE, RISK_PARAMETERS_FILE].map((f) => join(opts.configDir, f));
  let settings = loadSettings({ configDir: opts.configDir, env: opts.env });
  let seen = readTexts(files);
  let rejection: SettingsError | null = null;
  const changeListeners = new Set<(s: Settings) => void>();
  const rejectListeners = new Set<(e: SettingsError) => void>();
  let timer: ReturnType<typeof setInterval> | null = null;
  const versions = new Map<string, Settings>();
  let currentVersion = remember(versions, settings);

  const reload = (): SettingsReload => {
    const texts = readTexts(files);
    if (texts.every((t, i) => t === seen[i])) return { status: 'unchanged' };
    seen = texts;
    try {
      const [tradingText, riskText] = texts.map((t, i) => {
        if (t === null)
          throw new SettingsError([
            `${[TRADING_CONFIG_FILE, RISK_PARAMETERS_FILE][i]}: cannot read ${files[i]}`,
          ]);
        return t;
      });
      const next: Settings = {
        trading: parseYamlConfig(tradingText!, TRADING_CONFIG_FILE, TradingConfigSchema, {
          keyHints: TRADING_CONFIG_KEY_HINTS,
        }),
        risk: parseYamlConfig(riskText!, RISK_PARAMETERS_FILE, RiskParametersSchema),
        env: settings.env,
      };
      settings = next;
      currentVersion = remember(versions, next);
      rejection = null;
      log(`config reloaded from ${opts.configDir}`);
      for (const l of changeListeners) l(next);
      return { status: 'applied', settings: next };
    } catch (err) {
      if (!(err instanceof SettingsError)) throw err;
      rejection = err;
      log(`WARNING: config edit rejected, the last good configuration stays in force:\n${err.message}`);
      for (const l of rejectListeners) l(err);
      return { status: 'rejected', error: err };
    }
  };

  return {
    current: () => settings,
    version: () => currentVersion,
    at: (version) => (version !== undefined && versions.get(version)) || settings,
    snapshot: () => settingsSnapshot(settings),
    reload,
    lastRejection: () => rejection,
    onChange(listener) {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    onRejected(listener) {
      rejectListeners.add(listener);
      return () => rejectListeners.delete(listener);
    },
    watch() {
      if (timer) return;
      timer = setInterval(() => {
        try {
          reload();
        } catch (err) {
          log(`WARNING: config reload failed: ${(err as Error).message}`);
        }
      }, opts.pollIntervalMs ?? 5000);
      timer.unref();
    },
    close() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

/** Versions kept: a cycle lasts minutes, so only the last few edits can still be asked for. */
const KEPT_VERSIONS = 16;

function remember(versions: Map<string, Settings>, settings: Settings): string {
  const version = settingsVersion(settings);
  versions.delete(version);
  versions.set(version, settings);
  while (versions.size > KEPT_VERSIONS) versions.delete(versions.keys().next().value!);
  return version;
}

/** The snapshot's fingerprint names a config: equal content, equal version. */
export function settingsVersion(settings: Settings): string {
  return settingsSnapshot(settings).fingerprint;
}

function readTexts(files: readonly string[]): (string | null)[] {
  return files.map((f) => {
    try {
      return readFileSync(f, 'utf8');
    } catch {
      return null;
    }
  });
}
