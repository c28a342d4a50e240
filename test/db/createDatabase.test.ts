import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, describeUrl } from '../../src/db/createDatabase';
import { rows } from '../../src/db/rows';
import { createTempDatabase, type TempDatabase } from '../support/tempDatabase';
import { MIGRATION_COUNT } from '../support/migrationCount';

const TABLES = [
  'news_sentiment',
  'orders',
  'pattern_analysis',
  'positions',
  'risk_events',
  'scan_results',
  'sectors',
  'securities',
  'technical_indicators',
  'time_dimension',
  'trading_cycles',
  'trading_days',
];

async function publicTables(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
    );
    return result.rows.map((r) => r.table_name);
  } finally {
    await client.end();
  }
}

describe('createDatabase on PostgreSQL', () => {
  let temp: TempDatabase;
  beforeAll(async () => {
    temp = await createTempDatabase();
  });
  afterAll(async () => {
    await temp?.drop();
  });

  test('migrate: false leaves an empty database alone', async () => {
    const database = await createDatabase({ url: temp.url, migrate: false });
    expect(database.kind).toBe('postgres');
    await database.close();
    expect(await publicTables(temp.url)).toEqual([]);
  });

  test('migrations create every table of the guide on an empty database', async () => {
    const database = await createDatabase({ url: temp.url });
    try {
      expect(await publicTables(temp.url)).toEqual(TABLES);
      const applied = await rows<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      expect(applied[0]!.n).toBe(MIGRATION_COUNT);
    } finally {
      await database.close();
    }
  });

  test('re-applying migrations is a no-op, also for several processes opening at once', async () => {
    const opened = await Promise.all([1, 2, 3].map(() => createDatabase({ url: temp.url })));
    try {
      const applied = await rows<{ n: number }>(
        opened[0]!.db,
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      expect(applied[0]!.n).toBe(MIGRATION_COUNT);
      expect(await publicTables(temp.url)).toEqual(TABLES);
    } finally {
      await Promise.all(opened.map((d) => d.close()));
    }
  });

  test('money columns are numeric(18,6) and timestamps carry a time zone', async () => {
    const database = await createDatabase({ url: temp.url, migrate: false });
    try {
      const columns = await rows<{
        table_name: string;
        column_name: string;
        data_type: string;
        p: number;
        s: number;
      }>(
        database.db,
        sql`select table_name, column_name, data_type, numeric_precision as p, numeric_scale as s
            from information_schema.columns where table_schema = 'public'`,
      );
      const col = (table: string, name: string) =>
        columns.find((c) => c.table_name === table && c.column_name === name);
      for (const [table, name] of [
        ['orders', 'qty'],
        ['orders', 'filled_avg_price'],
        ['positions', 'realized_pnl'],
        ['scan_results', 'price'],
        ['trading_days', 'realized_pnl'],
      ] as const) {
        expect(col(table, name)).toMatchObject({ data_type: 'numeric', p: 18, s: 6 });
      }
      expect(col('scan_results', 'composite_score')).toMatchObject({ data_type: 'numeric', p: 9, s: 4 });
      const timestamps = columns.filter((c) => c.data_type.startsWith('timestamp'));
      expect(timestamps.length).toBeGreaterThan(10);
      for (const c of timestamps) expect(c.data_type).toBe('timestamp with time zone');
    } finally {
      await database.close();
    }
  });

  test('close() may be called twice', async () => {
    const database = await createDatabase({ url: temp.url, migrate: false });
    await database.close();
    await database.close();
  });
});

describe('createDatabase errors', () => {
  test('an unreachable server is named by host and port, without the password', async () => {
    const error = await createDatabase({ url: 'postgres://trader:hunter2@127.0.0.1:1/catalyst' }).catch(
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('cannot connect to DATABASE_URL');
    expect((error as Error).message).toContain('127.0.0.1:1');
    expect((error as Error).message).toContain('is PostgreSQL running?');
    expect((error as Error).message).not.toContain('hunter2');
  });

  test('a missing database says so', async () => {
    const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    url.pathname = '/catalyst_does_not_exist_x';
    await expect(createDatabase({ url: url.toString() })).rejects.toThrow(/database does not exist/);
  });

  test('neither url nor pgliteDir is a usage error', async () => {
    await expect(createDatabase({})).rejects.toThrow(/url .* or pgliteDir/);
  });

  test('describeUrl hides the password', () => {
    expect(describeUrl('postgres://u:secret@db.example:6543/catalyst?sslmode=require')).toBe(
      'postgres://u@db.example:6543/catalyst',
    );
    expect(describeUrl('not a url')).not.toContain('not a url');
  });
});
