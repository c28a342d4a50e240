/**
 * `catalyst backtest` with bad arguments, through the real binary: one clear message naming what
 * is wrong, exit code 2, and nothing started (no stack log line, nothing written to the state
 * directory, no Temporal reached: TEMPORAL_ADDRESS points at a port nobody listens on).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../support/catalystHarness';
import { runCatalyst, type CatalystRun } from '../support/runCatalyst';

type Run = CatalystRun;

let home: string;

const backtest = (args: string[]): Promise<Run> =>
  runCatalyst(['backtest', ...args], { CATALYST_HOME: home, TEMPORAL_ADDRESS: '127.0.0.1:9' }, 45_000);

/** A copy of config/ with one file changed or left out. */
function configDir(edit: { drop?: string; append?: Record<string, string> }): string {
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-config-'));
  for (const f of ['trading_config.yaml', 'risk_parameters.yaml'])
    if (f !== edit.drop) copyFileSync(join(PROJECT_DIR, 'config', f), join(dir, f));
  for (const [f, text] of Object.entries(edit.append ?? {}))
    writeFileSync(join(dir, f), `${text}\n`, { flag: 'a' });
  return dir;
}

const DAY = ['--from', '2026-11-02', '--to', '2026-11-02'];

describe.concurrent('catalyst backtest: bad arguments', () => {
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'catalyst-home-'));
  });

  const cases: [string, () => string[], RegExp][] = [
    ['no --from', () => ['--to', '2026-11-02'], /required option '--from <YYYY-MM-DD>' not specified/],
    ['no --to', () => ['--from', '2026-11-02'], /required option '--to <YYYY-MM-DD>' not specified/],
    [
      'a malformed date',
      () => ['--from', '2026-11-2', '--to', '2026-11-02'],
      /--from must be a calendar date YYYY-MM-DD \(got "2026-11-2"\)/,
    ],
    [
      'a date that does not exist',
      () => ['--from', '2026-11-02', '--to', '2026-02-30'],
      /--to must be a calendar date YYYY-MM-DD \(got "2026-02-30"\)/,
    ],
    [
      '--to before --from',
      () => ['--from', '2026-11-03', '--to', '2026-11-02'],
      /--to 2026-11-02 is before --from 2026-11-03/,
    ],
    [
      'a range without a trading day (a weekend)',
      () => ['--from', '2026-11-07', '--to', '2026-11-08'],
      /no NYSE trading day between 2026-11-07 and 2026-11-08/,
    ],
    [
      'a range without a trading day (Thanksgiving)',
      () => ['--from', '2026-11-26', '--to', '2026-11-26'],
      /no NYSE trading day between 2026-11-26 and 2026-11-26/,
    ],
    ['a fractional seed', () => [...DAY, '--seed', '1.5'], /--seed must be a whole number ≥ 0 \(got "1.5"\)/],
    ['a seed that is not a number', () => [...DAY, '--seed', 'abc'], /--seed must be a whole number/],
    [
      'a missing config directory',
      () => [...DAY, '--config-dir', '/nonexistent/catalyst-config'],
      /--config-dir: \/nonexistent\/catalyst-config does not exist/,
    ],
    [
      'a config directory without risk_parameters.yaml',
      () => [...DAY, '--config-dir', configDir({ drop: 'risk_parameters.yaml' })],
      /--config-dir: .* has no risk_parameters\.yaml/,
    ],
    [
      'a config directory with a bad key',
      () => [...DAY, '--config-dir', configDir({ append: { 'risk_parameters.yaml': 'bogus_key: 1' } })],
      /--config-dir .*: risk_parameters\.yaml: bogus_key is not a known key/,
    ],
    [
      '--config-dir with --compare',
      () => [...DAY, '--config-dir', 'config', '--compare', 'config', 'config'],
      /--config-dir and --compare cannot be used together/,
    ],
    [
      '--compare with one directory',
      () => [...DAY, '--compare', 'config'],
      /--compare takes exactly two config directories, DIR_A DIR_B \(got 1/,
    ],
    [
      '--compare with a second directory lacking trading_config.yaml',
      () => [...DAY, '--compare', 'config', configDir({ drop: 'trading_config.yaml' })],
      /--compare DIR_B: .* has no trading_config\.yaml/,
    ],
    [
      '--compare with a missing first directory',
      () => ['--compare', '/nonexistent/a', 'config', ...DAY],
      /--compare DIR_A: \/nonexistent\/a does not exist/,
    ],
  ];

  for (const [what, args, message] of cases) {
    it(`${what}: one message, exit code 2, nothing started`, async () => {
      const run = await backtest(args());
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
      // No stack: no venue, database, simulator or Temporal line, and no state written.
      expect(run.stderr).not.toMatch(/^venue:|^database:|simulator on http|^Temporal|backtest backtest-/m);
      expect(readdirSync(home)).toEqual([]);
    });
  }

  it('names the bad value once, without a stack trace', async () => {
    const run = await backtest([...DAY, '--seed', '-1']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('catalyst: --seed must be a whole number ≥ 0 (got "-1")');
  });
});

// A config directory that is fine passes the checks: the stack starts (its first line is the
// venue), which shows the checks above are what stopped the others. Nothing outside this process
// is started (TEMPORAL_ADDRESS is set), so it is simply killed then.
describe('catalyst backtest: good arguments', () => {
  it('passes the checks with a copy of config/ and starts the stack', async () => {
    const child = spawn(
      process.execPath,
      ['bin/catalyst.mjs', 'backtest', ...DAY, '--seed', '3', '--config-dir', configDir({})],
      {
        cwd: PROJECT_DIR,
        env: {
          ...process.env,
          NO_COLOR: '1',
          CATALYST_HOME: mkdtempSync(join(tmpdir(), 'catalyst-home-')),
          TEMPORAL_ADDRESS: '127.0.0.1:9',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    try {
      await new Promise<void>((resolve, reject) => {
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          if (/venue: simulator/.test(stderr)) resolve();
        });
        child.on('exit', (code) =>
          reject(new Error(`exited with ${code} before the stack started:\n${stderr}`)),
        );
      });
    } finally {
      child.kill('SIGKILL');
    }
    expect(stderr).not.toMatch(/catalyst: /);
  });
});
