/**
 * Free space where Catalyst keeps its state ($CATALYST_HOME, by default `.catalyst/`: the
 * Temporal dev server's SQLite file, the PGlite database, the outbox, reports). A full disk stops
 * the database and the dev server mid-day, so doctor warns well before that.
 */
import { existsSync, statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fail, ok, oneLine, warn, type CheckResult } from './checkResult';

export const DISK_WARN_BYTES = 1024 ** 3; // 1 GiB
export const DISK_FAIL_BYTES = 100 * 1024 ** 2; // 100 MiB

export interface DiskThresholds {
  warnBytes: number;
  failBytes: number;
}

const NAME = 'disk space';

export function checkDiskSpace(
  home: string,
  thresholds: DiskThresholds = { warnBytes: DISK_WARN_BYTES, failBytes: DISK_FAIL_BYTES },
): CheckResult {
  // Before the first `catalyst up` the directory does not exist yet: it will be made on this disk.
  let dir = resolve(home);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  let free: number;
  try {
    const stats = statfsSync(dir);
    // bavail: what an unprivileged process may use (bfree includes the root reserve).
    free = stats.bavail * stats.bsize;
  } catch (err) {
    return warn(NAME, `cannot read the free space of ${dir}: ${oneLine(err)}`);
  }
  const where = dir === resolve(home) ? home : `${home} (not created yet; on the disk of ${dir})`;
  const detail = `${formatBytes(free)} free for ${where}`;
  if (free < thresholds.failBytes)
    return fail(
      NAME,
      `${detail}, under ${formatBytes(thresholds.failBytes)}`,
      'free disk space (old backtests under .catalyst/backtests, reports, backups) or set CATALYST_HOME to a larger disk',
    );
  if (free < thresholds.warnBytes)
    return warn(
      NAME,
      `${detail}, under ${formatBytes(thresholds.warnBytes)}`,
      'free disk space (old backtests under .catalyst/backtests, reports, backups) or set CATALYST_HOME to a larger disk',
    );
  return ok(NAME, detail);
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}
