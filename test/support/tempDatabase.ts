/**
 * A throwaway database on the real local PostgreSQL server, so test files never share state
 * and can run in parallel. The server comes from DATABASE_URL (its own database is only used
 * to issue CREATE/DROP DATABASE).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const ADMIN_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TempDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTempDatabase(
  opts: {
    /** Put in the URL when the server's URL has none (trust authentication ignores it): a secret to look for. */
    password?: string;
  } = {},
): Promise<TempDatabase> {
  const name = `catalyst_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}"`));
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  if (opts.password && !url.password) url.password = opts.password; // the setter percent-encodes it
  let dropped: Promise<void> | undefined;
  return {
    url: url.toString(),
    // FORCE ends connections a failed test left open, which would otherwise block the drop.
    drop: () =>
      (dropped ??= withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(
        () => undefined,
      )),
  };
}

async function withAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  try {
    await admin.connect();
  } catch (err) {
    const where = new URL(ADMIN_DATABASE_URL);
    throw new Error(
      `tests need PostgreSQL at ${where.hostname}:${where.port || 5432} (set DATABASE_URL): ${(err as Error).message}`,
      { cause: err },
    );
  }
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
