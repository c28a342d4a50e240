/**
 * The SQL functions the migrations create (get_or_create_security, get_or_create_time, …): the
 * recording activities call them, so a database restored without them, or a migration edited
 * by hand, fails mid-day. The list is read from drizzle/*.sql, so a new helper is checked too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { MIGRATIONS_FOLDER } from '../../db/createDatabase';
import { fail, ok, type CheckResult } from './checkResult';
import type { QueryRows } from './migrationsCheck';

const NAME = 'database helper functions';
const CREATE_FUNCTION = /create\s+(?:or\s+replace\s+)?function\s+(?:"?\w+"?\.)?"?(\w+)"?\s*\(/gi;

export interface HelperFunction {
  name: string;
  /** The migration file that creates it. */
  file: string;
}

/** Every function a migration of `folder` creates, in file order (the last file to create it wins). */
export function helperFunctions(folder: string = MIGRATIONS_FOLDER): HelperFunction[] {
  const byName = new Map<string, string>();
  const files = readdirSync(folder)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  for (const file of files)
    for (const m of readFileSync(join(folder, file), 'utf8').matchAll(CREATE_FUNCTION))
      byName.set(m[1]!.toLowerCase(), join(folder, file));
  return [...byName].map(([name, file]) => ({ name, file }));
}

export async function checkHelperFunctions(
  query: QueryRows,
  opts: { pendingMigrations: string[]; expected?: HelperFunction[] },
): Promise<CheckResult> {
  const expected = opts.expected ?? helperFunctions();
  const names = expected.map((f) => f.name);
  // Visible on the search path: where the recording activities call them, unqualified.
  const found = new Set(
    (
      await query<{ proname: string }>(
        'select distinct proname from pg_catalog.pg_proc where proname = any($1::text[]) and pg_catalog.pg_function_is_visible(oid)',
        [names],
      )
    ).map((r) => r.proname),
  );
  const missing = expected.filter((f) => !found.has(f.name));
  if (missing.length === 0) return ok(NAME, `${names.join(', ')} present`);
  // A function whose migration is recorded as applied is not made again by the migrator: only its file restores it.
  const pending = new Set(opts.pendingMigrations);
  const lost = [...new Set(missing.map((f) => f.file))].filter(
    (file) => !pending.has(basename(file, '.sql')),
  );
  const migrate = lost.length < missing.length || pending.size > 0;
  return fail(
    NAME,
    `missing: ${missing.map((f) => f.name).join(', ')} (of ${names.join(', ')})`,
    [
      migrate ? '`catalyst db migrate` (or start `catalyst up`, which migrates)' : '',
      lost.length
        ? `${migrate ? 'then ' : ''}re-run ${lost.join(' and ')} with psql -f (its migration is recorded as applied), or restore a backup`
        : '',
    ]
      .filter(Boolean)
      .join('; '),
  );
}
