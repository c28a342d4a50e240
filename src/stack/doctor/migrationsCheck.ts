/**
 * Whether the database holds every migration of drizzle/: drizzle's migrator records each applied
 * one in drizzle.__drizzle_migrations, with the journal's `when` as created_at. Doctor only reads
 * it; `catalyst db migrate` (or the next `catalyst up`) applies what is pending.
 */
import { readJournal, type JournalEntry } from '../../db/migrateDatabase';
import { fail, ok, warn, type CheckResult } from './checkResult';

/** Runs one read-only statement on the database being checked. */
export type QueryRows = <T extends Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

const NAME = 'database migrations';
const MIGRATE = '`catalyst db migrate` (or start `catalyst up`, which migrates)';

export interface MigrationsCheck {
  result: CheckResult;
  /** Tags of the migrations not applied (every one on an empty database). */
  pending: string[];
}

export async function checkMigrations(
  query: QueryRows,
  journal: JournalEntry[] = readJournal(),
): Promise<MigrationsCheck> {
  const [table] = await query<{ found: string | null }>(
    "select to_regclass('drizzle.__drizzle_migrations')::text as found",
  );
  if (!table?.found)
    return {
      result: fail(NAME, `no migration applied (0 of ${journal.length}): the database is empty`, MIGRATE),
      pending: journal.map((e) => e.tag),
    };
  const applied = new Set(
    (await query<{ created_at: string | number }>('select created_at from drizzle.__drizzle_migrations')).map(
      (r) => Number(r.created_at),
    ),
  );
  const pending = journal.filter((e) => !applied.has(e.when));
  const known = new Set(journal.map((e) => e.when));
  const unknown = [...applied].filter((w) => !known.has(w));
  const tags = pending.map((e) => e.tag);
  if (pending.length > 0)
    return {
      result: fail(
        NAME,
        `${pending.length} of ${journal.length} migrations pending: ${tags.join(', ')}`,
        MIGRATE,
      ),
      pending: tags,
    };
  if (unknown.length > 0)
    return {
      result: warn(
        NAME,
        `all ${journal.length} migrations applied, and ${unknown.length} this checkout does not know (a newer Catalyst migrated it)`,
        'update this checkout to the version that migrated the database',
      ),
      pending: tags,
    };
  return {
    result: ok(
      NAME,
      `all ${journal.length} migrations applied (latest ${journal[journal.length - 1]?.tag ?? 'none'})`,
    ),
    pending: tags,
  };
}
