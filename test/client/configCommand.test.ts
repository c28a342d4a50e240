/**
 * `catalyst config validate` through the real binary: the project's files pass; a broken file
 * gives one line per problem naming file, key, allowed values and value, and exit 1; a file
 * whose name says no schema is a usage error (exit 2).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCatalyst } from '../support/runCatalyst';

const validate = (args: string[]) => runCatalyst(['config', 'validate', ...args], {}, 30_000);

function file(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'catalyst-validate-')), name);
  writeFileSync(path, text);
  return path;
}

describe('catalyst config validate', () => {
  it("passes the project's own configuration", async () => {
    const run = await validate([]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/ok\s+\S+trading_config\.yaml/);
    expect(run.stdout).toMatch(/ok\s+\S+risk_parameters\.yaml/);
  });

  it('names every problem of a broken file on its own line, and exits 1', async () => {
    const risk = file('risk_parameters.yaml', 'position_limits:\n  max_positions: 0\nbogus: 1\n');
    const trading = file('trading_config.yaml', 'scoring:\n  min_composite_score: 101\n');
    // Cross-field rules (weights summing to 1) are checked once every field is valid on its own.
    const weights = file(
      'my_trading_config.yaml',
      'scoring:\n  weights: {news: 0.5, technical: 0.5, momentum: 0.5, volume: 0.5}\n',
    );
    const run = await validate(['--file', risk, '--file', trading, '--file', weights, '--json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout.trim()) as {
      ok: boolean;
      files: { ok: boolean; problems: string[] }[];
    };
    expect(report.ok).toBe(false);
    expect(report.files[0]!.problems).toEqual([
      'risk_parameters.yaml: position_limits.max_positions must be an integer between 1 and 50 (got 0)',
      expect.stringMatching(/^risk_parameters\.yaml: bogus is not a known key/),
    ]);
    expect(report.files[1]!.problems).toEqual([
      'trading_config.yaml: scoring.min_composite_score must be a number between 0 and 100 (got 101)',
    ]);
    expect(report.files[2]!.problems).toEqual([
      expect.stringMatching(/^my_trading_config\.yaml: scoring\.weights must sum to 1 \(got .* = 2\)/),
    ]);
  });

  it('refuses a file whose name does not say which schema applies', async () => {
    const run = await validate(['--file', file('settings.yaml', 'a: 1\n')]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/must end in trading_config\.yaml or risk_parameters\.yaml/);
  });
});
