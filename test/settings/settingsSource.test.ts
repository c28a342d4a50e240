import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsError } from '../../src/settings/loadSettings';
import { createSettingsSource } from '../../src/settings/settingsSource';

const CONFIG_DIR = join(__dirname, '../../config');

function configCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-reload-'));
  for (const f of ['trading_config.yaml', 'risk_parameters.yaml'])
    copyFileSync(join(CONFIG_DIR, f), join(dir, f));
  return dir;
}

const edit = (dir: string, file: string, from: string, to: string): void => {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  expect(text).toContain(from);
  writeFileSync(path, text.replace(from, to));
};

describe('createSettingsSource (hot reload)', () => {
  it('names each config by a version, and gives the config of a version after later edits (one snapshot per cycle)', () => {
    const dir = configCopy();
    const source = createSettingsSource({ configDir: dir, env: {} });
    const first = source.version();
    expect(source.at(first).risk.position_limits.max_positions).toBe(5);

    edit(dir, 'risk_parameters.yaml', 'max_positions: 5', 'max_positions: 2');
    expect(source.reload().status).toBe('applied');
    const second = source.version();
    expect(second).not.toBe(first);
    // A cycle that began on the first config finishes on it; one that begins now runs on the edit.
    expect(source.at(first).risk.position_limits.max_positions).toBe(5);
    expect(source.at(second).risk.position_limits.max_positions).toBe(2);
    // Unknown (another process) or absent (an older day): the config in force.
    expect(source.at('not-a-version').risk.position_limits.max_positions).toBe(2);
    expect(source.at(undefined).risk.position_limits.max_positions).toBe(2);

    // Editing back gives the first version again: versions name content, not edits.
    edit(dir, 'risk_parameters.yaml', 'max_positions: 2', 'max_positions: 5');
    source.reload();
    expect(source.version()).toBe(first);
  });

  it('refuses to start on an invalid config', () => {
    const dir = configCopy();
    edit(dir, 'risk_parameters.yaml', 'max_positions: 5', 'max_positions: 0');
    expect(() => createSettingsSource({ configDir: dir, env: {} })).toThrow(SettingsError);
  });

  it('applies a valid edit and keeps the last good config on an invalid one', () => {
    const dir = configCopy();
    const lines: string[] = [];
    const source = createSettingsSource({ configDir: dir, env: {}, log: (l) => lines.push(l) });
    const changes: number[] = [];
    const rejections: string[] = [];
    source.onChange((s) => changes.push(s.risk.position_limits.max_positions));
    source.onRejected((e) => rejections.push(e.message));
    const before = source.snapshot().fingerprint;

    expect(source.reload()).toEqual({ status: 'unchanged' });

    edit(dir, 'risk_parameters.yaml', 'max_positions: 5', 'max_positions: 4');
    expect(source.reload().status).toBe('applied');
    expect(source.current().risk.position_limits.max_positions).toBe(4);
    expect(source.snapshot().fingerprint).not.toBe(before);
    expect(changes).toEqual([4]);

    edit(dir, 'trading_config.yaml', 'execute_top_n: 3', 'execute_top_n: 30');
    const rejected = source.reload();
    expect(rejected.status).toBe('rejected');
    expect(rejections).toEqual([
      'trading_config.yaml: workflow.execute_top_n must be an integer between 1 and 10 (got 30)',
    ]);
    expect(source.lastRejection()?.message).toBe(rejections[0]);
    expect(source.current().trading.workflow.execute_top_n).toBe(3);
    expect(source.current().risk.position_limits.max_positions).toBe(4);
    expect(lines.some((l) => l.startsWith('WARNING: config edit rejected'))).toBe(true);

    // The same bad content is reported once, not at every poll.
    expect(source.reload()).toEqual({ status: 'unchanged' });
    expect(rejections).toHaveLength(1);

    edit(dir, 'trading_config.yaml', 'execute_top_n: 30', 'execute_top_n: 2');
    expect(source.reload().status).toBe('applied');
    expect(source.current().trading.workflow.execute_top_n).toBe(2);
    expect(source.lastRejection()).toBeNull();
  });

  it('polls the files once watching', async () => {
    const dir = configCopy();
    const source = createSettingsSource({ configDir: dir, env: {}, pollIntervalMs: 20 });
    source.watch();
    source.watch(); // idempotent
    try {
      const applied = new Promise<number>((resolve) =>
        source.onChange((s) => resolve(s.trading.workflow.scan_frequency_minutes)),
      );
      edit(dir, 'trading_config.yaml', 'scan_frequency_minutes: 30', 'scan_frequency_minutes: 15');
      expect(await applied).toBe(15);
    } finally {
      source.close();
    }
  });
});
