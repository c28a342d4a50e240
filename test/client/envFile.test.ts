/** `.env` in the working directory: read for what the environment leaves unset, and a warning when others can read it. */
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
});
