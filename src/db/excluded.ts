import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/** The proposed value of `column` inside ON CONFLICT DO UPDATE (the row that lost the race). */
export function excluded(column: PgColumn): SQL {
  return sql.raw(`excluded."${column.name.replace(/"/g, '""')}"`);
}
