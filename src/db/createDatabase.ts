/**
 * Opens Catalyst's database: PostgreSQL through node-postgres when a URL is given, otherwise
 * PGlite (Postgres compiled to WASM) in a local directory. Both speak the same SQL and run the
 * same migrations, so everything above this file is driver-agnostic.
 */
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema';

export type CatalystSchema = typeof schema;

/** A drizzle handle (or a transaction on one) over either driver. */
export type CatalystDb = PgDatabase<PgQueryResultHKT, CatalystSchema>;

export interface Database {
  db: CatalystDb;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

export interface CreateDatabaseOptions {
  /** postgres://… — selects PostgreSQL. */
  url?: string;
  /** PGlite data directory, or `memory://` for a throwaway in-memory database. */
  pgliteDir?: string;
  /** Apply pending migrations from the repository's `drizzle/` folder (default true). */
  migrate?: boolean;
}

// Relative to this file rather than cwd: the CLI, the worker and tests start from different directories.
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

// Arbitrary but fixed: every Catalyst process serialises its migrations on this advisory lock,
// so a worker and a CLI starting together do not both try to create the same tables.
const MIGRATION_LOCK_KEY = 7_412_093_551;

export async function createDatabase(opts: CreateDatabaseOptions): Promise<Database> {
  const migrate = opts.migrate ?? true;
  if (opts.url) return openPostgres(opts.url, migrate);
  if (opts.pgliteDir) return openPglite(opts.pgliteDir, migrate);
  throw new Error('createDatabase: set url (PostgreSQL, e.g. DATABASE_URL) or pgliteDir (embedded PGlite)');
}

async function openPostgres(url: string, migrate: boolean): Promise<Database> {
  const where = describeUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client dropped by the server would otherwise crash the process with an unhandled
  // 'error' event; the pool discards that client and the next query reconnects or fails loudly.
  pool.on('error', (err) => {
    console.warn(`PostgreSQL (${where}): idle connection lost: ${err.message}`);
  });

  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new Error(`cannot connect to DATABASE_URL ${where}: ${explainPgError(err)}`, { cause: err });
  }

  try {
    if (migrate) {
      await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      try {
        await migrateNodePg(drizzleNodePg(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      }
    }
  } catch (err) {
    client.release();
    await pool.end().catch(() => undefined);
    throw new Error(`migrating ${where} from ${MIGRATIONS_FOLDER} failed: ${explainPgError(err)}`, {
      cause: err,
    });
  }
  client.release();

  const db: CatalystDb = drizzleNodePg(pool, { schema });
  let closed: Promise<void> | undefined;
  return {
    db,
    kind: 'postgres',
    close: () => (closed ??= pool.end()),
  };
}

async function openPglite(dataDir: string, migrate: boolean): Promise<Database> {
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir);
  } catch (err) {
    throw new Error(
      `cannot open PGlite data directory ${dataDir}: ${messageOf(err)} ` +
        '(only one process may open it at a time; stop the other Catalyst process or use DATABASE_URL)',
      { cause: err },
    );
  }

  const db = drizzlePglite(client, { schema });
  if (migrate) {
    try {
      await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
    } catch (err) {
      await client.close().catch(() => undefined);
      throw new Error(`migrating PGlite at ${dataDir} from ${MIGRATIONS_FOLDER} failed: ${messageOf(err)}`, {
        cause: err,
      });
    }
  }

  let closed: Promise<void> | undefined;
  return {
    db: db as CatalystDb,
    kind: 'pglite',
    close: () => (closed ??= client.closed ? Promise.resolve() : client.close()),
  };
}

/** user@host:port/database — everything an operator needs to find the server, never the password. */
export function describeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(unparseable URL: expected postgres://user:password@host:port/database)';
  }
  const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : '';
  const port = parsed.port || '5432';
  return `${parsed.protocol}//${user}${parsed.hostname}:${port}${parsed.pathname}`;
}

/** A connection or query error in words an operator can act on, with the driver's own message. */
export function explainPgError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  const hint =
    code === 'ECONNREFUSED'
      ? 'nothing is listening there; is PostgreSQL running?'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'the host name does not resolve'
        : code === 'ETIMEDOUT'
          ? 'the connection timed out'
          : code === '28P01' || code === '28000'
            ? 'the server rejected the user name or password'
            : code === '3D000'
              ? 'the database does not exist; create it first'
              : undefined;
  const message = messageOf(err);
  return hint ? `${hint} (${message})` : message;
}

function messageOf(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) {
    return err.errors.map(messageOf).join('; ');
  }
  return err instanceof Error ? err.message || err.name : String(err);
}
