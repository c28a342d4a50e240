/**
 * PostgreSQL backups with the server's own tools: pg_dump's custom format (compressed, restorable
 * selectively) and pg_restore. Connection details reach them as PG* environment variables only.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { describeUrl, explainPgError } from '../createDatabase';
import { BackupRefusedError } from './backupRefusedError';
import { libpqEnvironment } from './libpqEnvironment';

export async function backupPostgres(url: string, file: string): Promise<void> {
  const conn = libpqEnvironment(url);
  // The same one-line diagnosis as every other command when the server cannot be reached.
  await withClient(url, () => Promise.resolve());
  await runTool('pg_dump', ['--no-password', '--format=custom', `--file=${file}`], conn.env, url);
}

/**
 * Restores a pg_dump file into the database of `url`. A database that already holds tables is
 * refused unless `force`, which drops and replaces the objects the backup holds. Ownership and
 * grants are not restored (the roles of the backed-up server may not exist here): the restoring
 * user owns everything, and the read-only role's grants are applied again afterwards.
 */
export async function restorePostgres(url: string, file: string, force: boolean): Promise<void> {
  const tables = await userTables(url);
  if (tables > 0 && !force)
    throw new BackupRefusedError(
      `${describeUrl(url)} already holds ${tables} table(s); restore into an empty database, or pass --force to replace what the backup holds`,
    );
  const conn = libpqEnvironment(url);
  await runTool(
    'pg_restore',
    [
      '--no-password',
      '--no-owner',
      '--no-privileges',
      '--exit-on-error',
      '--single-transaction',
      ...(force ? ['--clean', '--if-exists'] : []),
      `--dbname=${conn.database}`,
      file,
    ],
    conn.env,
    url,
  );
  // A backup taken before the read-only role existed has no grant function: nothing to re-apply.
  await withClient(url, (client) =>
    client.query(`do $$ begin
      if to_regproc('catalyst_grant_readonly') is not null then perform catalyst_grant_readonly(); end if;
    end $$`),
  );
}

async function userTables(url: string): Promise<number> {
  const result = await withClient(url, (client) =>
    client.query<{ n: number }>(
      "select count(*)::int as n from pg_tables where schemaname not in ('pg_catalog', 'information_schema')",
    ),
  );
  return result.rows[0]?.n ?? 0;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw new Error(`cannot connect to DATABASE_URL ${describeUrl(url)}: ${explainPgError(err)}`, {
      cause: err,
    });
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The PostgreSQL client tools of the system (/usr/bin on Debian's postgresql-client), else PATH. */
function toolPath(name: 'pg_dump' | 'pg_restore'): string {
  const system = `/usr/bin/${name}`;
  return existsSync(system) ? system : name;
}

function runTool(
  name: 'pg_dump' | 'pg_restore',
  args: string[],
  pgEnv: Record<string, string>,
  url: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(toolPath(name), args, {
      env: { ...process.env, ...pgEnv },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === 'ENOENT'
            ? `${name} not found in /usr/bin or on PATH: install the PostgreSQL client tools (e.g. apt-get install postgresql-client)`
            : `${name} could not start: ${err.message}`,
          { cause: err },
        ),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) return resolve();
      // libpq never prints the password. Its "error:" line says what went wrong; hints follow it.
      const lines = stderr.trim().split('\n').filter(Boolean);
      const reason = lines.find((l) => l.includes('error:')) ?? lines.pop() ?? `exit code ${code}`;
      reject(new Error(`${name} on ${describeUrl(url)} failed: ${reason}`));
    });
  });
}
