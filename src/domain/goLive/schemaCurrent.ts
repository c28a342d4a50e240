import type { GoLiveCheck } from './check';

/** One migration of drizzle/meta/_journal.json: `when` is what the migrator stores as created_at. */
export interface MigrationJournalEntry {
  tag: string;
  when: number;
}

/**
 * The guide's "database schema deployed and verified". drizzle's migrator applies every journal
 * entry newer than the last one recorded in its table, so those are the pending ones; a
 * recorded migration the journal does not know was applied by another build of Catalyst.
 * `appliedMillis` null: the migrations table does not exist (nothing was ever applied).
 */
export function checkSchemaCurrent(
  journal: MigrationJournalEntry[],
  appliedMillis: number[] | null,
): GoLiveCheck {
  const applied = appliedMillis ?? [];
  const last = applied.length ? Math.max(...applied) : -Infinity;
  const pending = journal.filter((e) => e.when > last);
  const unknown = applied.filter((ms) => !journal.some((e) => e.when === ms));
  const latest = journal.length ? journal[journal.length - 1]!.tag : 'none';
  const base = { name: 'schema_current', value: applied.length, threshold: journal.length };
  if (pending.length > 0)
    return {
      ...base,
      status: 'fail',
      detail: `database schema behind: ${pending.length} of ${journal.length} migration(s) not applied (${pending.map((e) => e.tag).join(', ')}); \`catalyst up\` applies them on start`,
    };
  if (unknown.length > 0)
    return {
      ...base,
      status: 'fail',
      detail: `database schema ahead: ${unknown.length} applied migration(s) this build does not know (a newer Catalyst migrated it)`,
    };
  return {
    ...base,
    status: 'pass',
    detail: `database schema current: ${applied.length} of ${journal.length} migration(s) applied (latest ${latest})`,
  };
}
