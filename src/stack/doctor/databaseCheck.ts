/**
 * The database `catalyst up` would open: DATABASE_URL (PostgreSQL 15+), else the embedded PGlite
 * in $CATALYST_HOME/pgdata. Reachable (within the timeout), its migrations current and its helper
 * functions present. Read-only: doctor never creates, migrates or locks anything, and never
 * opens a PGlite directory another process has open (only one process may).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PGLITE_LOCK_FILE, pgliteInUse } from '../../db/backup/pgliteInUse';
import { fail, formatMs, ok, oneLine, warn, type CheckResult } from './checkResult';
import type { QueryRows } from './migrationsCheck';

/** The PostgreSQL release Catalyst is built and tested on (README). */
const MIN_POSTGRES_MAJOR = 15;

export interface DatabaseCheckOptions {
  /** DATABASE_URL, when set. */
  url?: string;
  /** $CATALYST_HOME: the PGlite database is its pgdata/. */
  home: string;
  timeoutMs: number;
}

export async function checkDatabase(opts: DatabaseCheckOptions): Promise<CheckResult[]> {
  return opts.url ? checkPostgres(opts.url, opts.timeoutMs) : checkPglite(join(opts.home, 'pgdata'));
}

// The drivers (and drizzle, behind the migration journal) load only for the database there is.
const driverModules = () =>
  Promise.all([
    import('pg'),
    import('../../db/createDatabase'),
    import('./migrationsCheck'),
    import('./helperFunctionsCheck'),
  ]);

async function checkPostgres(url: string, timeoutMs: number): Promise<CheckResult[]> {
  const [{ default: pg }, { describeUrl, explainPgError }] = await driverModules();
  const where = describeUrl(url);
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    statement_timeout: timeoutMs,
    application_name: 'catalyst doctor',
  });
  // A server that drops the connection later must not crash the process with an unhandled 'error'.
  client.on('error', () => undefined);
  try {
    try {
      await client.connect();
    } catch (err) {
      return [unreachable(where, timeoutMs, err, explainPgError)];
    }
    const query: QueryRows = async <T extends Record<string, unknown>>(sql: string, params?: unknown[]) =>
      (await client.query(sql, params)).rows as T[];
    const [server] = await query<{ version: string; major: number; size: string }>(
      `select current_setting('server_version') as version,
              current_setting('server_version_num')::int / 10000 as major,
              pg_size_pretty(pg_database_size(current_database())) as size`,
    );
    const detail = `PostgreSQL ${server!.version} at ${where}, ${server!.size}`;
    const results: CheckResult[] = [
      server!.major < MIN_POSTGRES_MAJOR
        ? warn(
            'database',
            `${detail}: older than ${MIN_POSTGRES_MAJOR}`,
            `upgrade to PostgreSQL ${MIN_POSTGRES_MAJOR}+`,
          )
        : ok('database', detail),
    ];
    return [...results, ...(await schemaChecks(query))];
  } catch (err) {
    return [
      fail('database', `${where}: ${explainPgError(err)}`, 'check the database server and DATABASE_URL'),
    ];
  } finally {
    await client.end().catch(() => undefined);
  }
}

function unreachable(
  where: string,
  timeoutMs: number,
  err: unknown,
  explainPgError: (err: unknown) => string,
): CheckResult {
  const code = (err as { code?: string }).code;
  const message = oneLine(err);
  const timedOut = /timeout/i.test(message) || code === 'ETIMEDOUT';
  const fix =
    code === '28P01' || code === '28000'
      ? 'correct the user name or password in DATABASE_URL'
      : code === '3D000'
        ? 'create the database (createdb), then `catalyst db migrate`'
        : 'start PostgreSQL, or correct the host and port in DATABASE_URL';
  return fail(
    'database',
    `cannot connect to ${where}${timedOut ? ` within ${formatMs(timeoutMs)}` : ''}: ${explainPgError(err)}`,
    fix,
  );
}

async function checkPglite(dir: string): Promise<CheckResult[]> {
  // PGlite would create an empty database in a missing directory: look before opening.
  if (!existsSync(join(dir, 'PG_VERSION')))
    return [
      ok(
        'database',
        `embedded default: PGlite in ${dir}, created and migrated by \`catalyst up\` (not created yet; set DATABASE_URL for PostgreSQL)`,
      ),
    ];
  if (pgliteInUse(dir))
    return [
      ok(
        'database',
        `embedded PGlite in ${dir} is open in another process (\`catalyst up\` migrates it at start): not opened, as only one process may; its migrations are checked when it is closed (${PGLITE_LOCK_FILE} may also be left by a killed process)`,
      ),
    ];
  let db: PGlite;
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    db = await PGlite.create(dir);
  } catch (err) {
    return [
      fail(
        'database',
        `cannot open PGlite in ${dir}: ${oneLine(err)}`,
        'stop any other Catalyst process using it; restore it with `catalyst db restore`, or set DATABASE_URL',
      ),
    ];
  }
  try {
    const query: QueryRows = async <T extends Record<string, unknown>>(sql: string, params?: unknown[]) =>
      (await db.query<T>(sql, params)).rows;
    return [ok('database', `embedded PGlite in ${dir}`), ...(await schemaChecks(query))];
  } catch (err) {
    return [fail('database', `PGlite in ${dir}: ${oneLine(err)}`)];
  } finally {
    await db.close().catch(() => undefined);
  }
}

async function schemaChecks(query: QueryRows): Promise<CheckResult[]> {
  const [, , { checkMigrations }, { checkHelperFunctions }] = await driverModules();
  const migrations = await checkMigrations(query);
  const functions = await checkHelperFunctions(query, { pendingMigrations: migrations.pending });
  return [migrations.result, functions];
}
