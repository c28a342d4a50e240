/** `.env` in the working directory: read strictly for what the environment leaves unset, and a warning when others can read it. */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../support/catalystHarness';

const catalyst = (cwd: string, args: string[]) =>
  spawnSync(process.execPath, [join(PROJECT_DIR, 'bin/catalyst.mjs'), ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
    encoding: 'utf8',
  });

describe('.env', () => {
  it('warns once, naming the file and the fix, when other users can read it; not when it is 600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalyst-envfile-'));
    const file = join(dir, '.env');
    writeFileSync(file, 'SMTP_PASSWORD=not-for-others\n');
    chmodSync(file, 0o644);
    const open = catalyst(dir, ['--version']);
    expect(open.status).toBe(0);
    expect(open.stderr.trim().split('\n')).toEqual([
      `catalyst: warning: ${file} can be read by other users (mode 644); it holds secrets: chmod 600 .env`,
    ]);
    expect(open.stderr + open.stdout).not.toContain('not-for-others');
    chmodSync(file, 0o600);
    const closed = catalyst(dir, ['--version']);
    expect(closed.status).toBe(0);
    expect(closed.stderr).toBe('');
  });

  it('a line it cannot read stops the CLI with one line naming the file and the line, before anything runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalyst-envfile-'));
    const file = join(dir, '.env');
    // node's parseEnv would read this as one variable "junk\nDATABASE_URL" and lose DATABASE_URL.
    writeFileSync(file, 'junk\nDATABASE_URL=postgres://u:secret-pw@127.0.0.1:1/x\n', { mode: 0o600 });
    const run = catalyst(dir, ['status']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      `catalyst: ${file}: line 1: not KEY=value (4 characters, no "=")`,
    ]);
    expect(run.stderr).not.toContain('secret-pw');
  });
});
