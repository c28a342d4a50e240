/**
 * PGlite backups: a copy of its data directory. A directory that a running process has open may
 * be mid-write, so a copy of it is refused rather than taken inconsistent; so is replacing it.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { cp, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { BackupRefusedError } from './backupRefusedError';
import { pgliteInUse, PGLITE_LOCK_FILE } from './pgliteInUse';

export async function backupPglite(dataDir: string, dest: string, force: boolean): Promise<void> {
  if (!isPgliteDir(dataDir))
    throw new Error(
      `no PGlite database in ${dataDir}: nothing to back up (catalyst up or catalyst db migrate creates it)`,
    );
  refuseInUse(dataDir, 'back up');
  if (occupied(dest) && !force)
    throw new BackupRefusedError(
      `${dest} already exists; choose another path, or pass --force to replace it`,
    );
  await replaceWithCopy(dataDir, dest);
}

export async function restorePglite(source: string, dataDir: string, force: boolean): Promise<void> {
  if (!isPgliteDir(source))
    throw new BackupRefusedError(
      existsSync(source) && statSync(source).isFile()
        ? `${source} is a file, not a PGlite backup directory (a pg_dump file restores into PostgreSQL: set DATABASE_URL)`
        : `${source} is not a PGlite backup directory (no PG_VERSION in it)`,
    );
  if (occupied(dataDir)) {
    refuseInUse(dataDir, 'restore over');
    if (!force)
      throw new BackupRefusedError(
        `${dataDir} already holds a database; pass --force to replace it with ${source}`,
      );
  }
  await replaceWithCopy(source, dataDir);
}

/** Copies beside the destination first, so a failed copy leaves the destination as it was. */
async function replaceWithCopy(from: string, to: string): Promise<void> {
  const staging = join(dirname(to), `.${basename(to)}.partial-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  try {
    await cp(from, staging, {
      recursive: true,
      // A lock file copied along would make the copy look open by a process that does not exist.
      filter: (path) => basename(path) !== PGLITE_LOCK_FILE,
    });
    await rm(to, { recursive: true, force: true });
    await rename(staging, to);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
}

function refuseInUse(dataDir: string, verb: string): void {
  if (pgliteInUse(dataDir))
    throw new BackupRefusedError(
      `${dataDir} is open in another process (a running catalyst up?) or was not closed cleanly: stop that process before you ${verb} it; if none is running, catalyst db migrate opens and closes it cleanly`,
    );
}

function isPgliteDir(dir: string): boolean {
  return existsSync(join(dir, 'PG_VERSION'));
}

/** A file, or a directory with anything in it. */
function occupied(path: string): boolean {
  if (!existsSync(path)) return false;
  return !statSync(path).isDirectory() || readdirSync(path).length > 0;
}
