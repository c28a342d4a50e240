import type { SQL } from 'drizzle-orm';
import type { CatalystDb } from './createDatabase';

/**
 * Rows of a raw SQL query. node-postgres and PGlite return differently typed result objects,
 * but both carry `rows`; this is the one place that relies on it.
 */
export async function rows<T extends Record<string, unknown>>(db: CatalystDb, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
