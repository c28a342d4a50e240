/**
 * Applies drizzle/ to a database and says which migrations this run applied. drizzle's migrator
 * does not report that, so the applied set is read before and after from its own bookkeeping
 * table, whose created_at is the journal's `when` of each migration.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sql } from 'drizzle-orm';
import { createDatabase, MIGRATIONS_FOLDER, type CatalystDb } from './createDatabase';
import { describeTarget, type DatabaseTarget } from './databaseTarget';
import { rows } from './rows';

export interface JournalEntry {
  tag: string;
  when: number;
}

export interface MigrationReport {
  /** The database, named without its password. */
  where: string;
  /** Tags applied by this run, in order. */
  applied: string[];
  /** Every migration drizzle/ holds. */
  total: number;
}

export function readJournal(folder: string = MIGRATIONS_FOLDER): JournalEntry[] {
  const journal = JSON.parse(readFileSync(join(folder, 'meta/_journal.json'), 'utf8')) as {
    entries: JournalEntry[];
  };
  return journal.entries.map((e) => ({ tag: e.tag, when: e.when }));
}

export async function migrateDatabase(target: DatabaseTarget): Promise<MigrationReport> {
  const options = target.kind === 'postgres' ? { url: target.url } : { pgliteDir: target.dir };
  const journal = readJournal();
  // A fresh checkout has no .catalyst yet; PGlite creates its own directory but not the parents.
  if (target.kind === 'pglite') mkdirSync(dirname(target.dir), { recursive: true });

  const before = await createDatabase({ ...options, migrate: false });
  let applied: Set<number>;
  try {
    applied = await appliedMigrations(before.db);
  } finally {
    await before.close();
  }

  const after = await createDatabase(options);
  let now: Set<number>;
  try {
    now = await appliedMigrations(after.db);
  } finally {
    await after.close();
  }

  return {
    where: describeTarget(target),
    applied: journal.filter((e) => now.has(e.when) && !applied.has(e.when)).map((e) => e.tag),
    total: journal.length,
  };
}

/** The journal times of the migrations a database has recorded (none on a fresh database). */
async function appliedMigrations(db: CatalystDb): Promise<Set<number>> {
  const [table] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from information_schema.tables
        where table_schema = 'drizzle' and table_name = '__drizzle_migrations'`,
  );
  if (!table || table.n === 0) return new Set();
  const recorded = await rows<{ created_at: string | number }>(
    db,
    sql`select created_at from drizzle.__drizzle_migrations`,
  );
  return new Set(recorded.map((r) => Number(r.created_at)));
}
