/**
 * `catalyst db migrate | backup <file> | restore <file>`: the database `catalyst up` uses
 * (DATABASE_URL, else the embedded PGlite in $CATALYST_HOME/pgdata), looked after without
 * starting anything else. A refusal (a backup it would overwrite, a database holding data, a
 * directory in use) is one line and exit 2, like a bad argument, and changes nothing.
 */
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BackupRefusedError } from '../db/backup/backupRefusedError';
import { backupPglite, restorePglite } from '../db/backup/pgliteBackup';
import { backupPostgres, restorePostgres } from '../db/backup/postgresBackup';
import {
  DatabaseTargetError,
  describeTarget,
  resolveDatabaseTarget,
  type DatabaseTarget,
} from '../db/databaseTarget';
import { migrateDatabase } from '../db/migrateDatabase';
import { UsageError } from './cliErrors';

const PROJECT_DIR = fileURLToPath(new URL('../..', import.meta.url));

/** One `catalyst db` operation on the database `catalyst up` uses; `file` is already absolute. */
export function dbCommand(op: 'migrate' | 'backup' | 'restore', file = '', force = false): Promise<void> {
  if (op === 'migrate') return run(migrate);
  return run((t) => (op === 'backup' ? backup(t, file, force) : restore(t, file, force)));
}

async function run(work: (target: DatabaseTarget) => Promise<void>): Promise<void> {
  try {
    await work(resolveDatabaseTarget(process.env, PROJECT_DIR));
  } catch (err) {
    if (err instanceof BackupRefusedError || err instanceof DatabaseTargetError)
      throw new UsageError(err.message);
    throw err;
  }
}

async function migrate(target: DatabaseTarget): Promise<void> {
  const report = await migrateDatabase(target);
  for (const tag of report.applied) console.log(`applied ${tag}`);
  console.log(
    report.applied.length === 0
      ? `${report.where}: up to date, nothing to apply (${report.total} migrations)`
      : `${report.where}: applied ${report.applied.length}, up to date (${report.total} migrations)`,
  );
}

async function backup(target: DatabaseTarget, file: string, force: boolean): Promise<void> {
  if (target.kind === 'pglite') {
    await backupPglite(target.dir, file, force);
  } else {
    if (existsSync(file) && !force)
      throw new UsageError(`${file} already exists; choose another path, or pass --force to replace it`);
    await backupPostgres(target.url, file);
  }
  console.log(`backed up ${describeTarget(target)} to ${file}`);
}

async function restore(target: DatabaseTarget, file: string, force: boolean): Promise<void> {
  if (!existsSync(file)) throw new UsageError(`${file} does not exist`);
  if (target.kind === 'pglite') {
    await restorePglite(file, target.dir, force);
  } else {
    if (statSync(file).isDirectory())
      throw new UsageError(
        `${file} is a directory (a PGlite backup restores into the embedded database: unset DATABASE_URL); PostgreSQL restores a pg_dump file`,
      );
    await restorePostgres(target.url, file, force);
  }
  console.log(
    `restored ${file} into ${describeTarget(target)}; run catalyst db migrate if the backup is older than this code`,
  );
}
