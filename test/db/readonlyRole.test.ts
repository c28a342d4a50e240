/**
 * The read-only role the migrations create (catalyst_readonly): it reads every table, present
 * and future, and writes none. A user that may not create roles still migrates, and PGlite
 * applies the same migration.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase } from '../../src/db/createDatabase';
import { upsertOrder } from '../../src/db/repositories/orders';
import { rows } from '../../src/db/rows';
import { createMigratedDatabase, type MigratedDatabase } from '../support/migratedDatabase';
import { ADMIN_DATABASE_URL } from '../support/tempDatabase';
import { MIGRATION_COUNT } from '../support/migrationCount';

const ORDER = {
  accountId: 'a',
  brokerOrderId: 'b1',
  clientOrderId: 'c1-AAPL-entry',
  tradingDate: '2024-03-08',
  symbol: 'AAPL',
  side: 'buy' as const,
  type: 'market',
  legRole: 'entry' as const,
  qty: '3',
  status: 'new',
};

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The SQLSTATE of an error, looking through drizzle's wrapper (it keeps the driver's error as cause). */
function sqlState(err: unknown): string {
  for (let e = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return 'unknown';
}

/** The SQLSTATE a statement fails with, or null if it succeeds. */
async function failureCode(client: pg.Client, statement: string): Promise<string | null> {
  try {
    await client.query(statement);
    return null;
  } catch (err) {
    return sqlState(err);
  }
}

describe('catalyst_readonly on PostgreSQL', () => {
  let d: MigratedDatabase;
  beforeAll(async () => {
    d = await createMigratedDatabase();
    await upsertOrder(d.db, ORDER);
  });
  afterAll(async () => {
    await d?.dispose();
  });

  test('exists without login, and reads orders but cannot write them', async () => {
    const [role] = await rows<{ rolcanlogin: boolean; rolsuper: boolean }>(
      d.db,
      sql`select rolcanlogin, rolsuper from pg_roles where rolname = 'catalyst_readonly'`,
    );
    expect(role).toEqual({ rolcanlogin: false, rolsuper: false });

    await withClient(d.url, async (client) => {
      await client.query('set role catalyst_readonly');
      const read = await client.query<{ n: number }>('select count(*)::int as n from orders');
      expect(read.rows[0]!.n).toBe(1);
      // 42501: insufficient_privilege ("permission denied for table orders").
      expect(
        await failureCode(
          client,
          "insert into orders (account_id, broker_order_id, client_order_id, trading_date, security_id, side, type, leg_role, qty, status) select 'a', 'b2', 'c2', '2024-03-08', id, 'buy', 'market', 'entry', 1, 'new' from securities limit 1",
        ),
      ).toBe('42501');
      expect(await failureCode(client, "update orders set status = 'filled'")).toBe('42501');
      expect(await failureCode(client, 'delete from orders')).toBe('42501');
      expect(await failureCode(client, 'truncate risk_events')).toBe('42501');
      expect(await failureCode(client, 'create table intruder (x int)')).toBe('42501');
    });
  });

  test('reads every table, and a table created after the migrations too', async () => {
    await withClient(d.url, async (client) => {
      await client.query('create table later_report_table (x int)');
      await client.query('insert into later_report_table values (1)');
      const tables = await client.query<{ tablename: string }>(
        "select tablename from pg_tables where schemaname = 'public' order by tablename",
      );
      await client.query('set role catalyst_readonly');
      for (const { tablename } of tables.rows)
        await client.query(`select * from ${client.escapeIdentifier(tablename)} limit 1`);
      expect((await client.query('select x from later_report_table')).rows).toEqual([{ x: 1 }]);
    });
  });

  test('a login role in catalyst_readonly reads what a report reads, without migrating, and writes nothing', async () => {
    const reporter = `catalyst_test_reporter_${randomBytes(4).toString('hex')}`;
    await withClient(ADMIN_DATABASE_URL, (admin) =>
      admin.query(`create role ${reporter} login in role catalyst_readonly`),
    );
    try {
      const url = new URL(d.url);
      url.username = reporter;
      url.password = '';
      // A reader cannot run the migrator (it issues CREATE SCHEMA IF NOT EXISTS): readers open without it.
      const database = await createDatabase({ url: url.toString(), migrate: false });
      try {
        const [read] = await rows<{ orders: number; migrations: number }>(
          database.db,
          sql`select (select count(*)::int from orders) as orders,
                     (select count(*)::int from drizzle.__drizzle_migrations) as migrations`,
        );
        expect(read).toEqual({ orders: 1, migrations: MIGRATION_COUNT });
        const denied = await database.db.execute(sql`delete from orders`).then(
          () => null,
          (err: unknown) => sqlState(err),
        );
        expect(denied).toBe('42501');
      } finally {
        await database.close();
      }
    } finally {
      await withClient(ADMIN_DATABASE_URL, (admin) => admin.query(`drop role if exists ${reporter}`));
    }
  });

  test('a user that may not create roles migrates all the same', async () => {
    const suffix = randomBytes(4).toString('hex');
    const user = `catalyst_test_owner_${suffix}`;
    const name = `catalyst_test_owned_${suffix}`;
    await withClient(ADMIN_DATABASE_URL, async (admin) => {
      await admin.query(`create role ${user} login nocreaterole nosuperuser`);
      await admin.query(`create database ${name} owner ${user}`);
    });
    try {
      const url = new URL(ADMIN_DATABASE_URL);
      url.username = user;
      url.password = '';
      url.pathname = `/${name}`;
      const database = await createDatabase({ url: url.toString() });
      try {
        const [applied] = await rows<{ n: number }>(
          database.db,
          sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
        );
        expect(applied!.n).toBe(MIGRATION_COUNT);
      } finally {
        await database.close();
      }
    } finally {
      await withClient(ADMIN_DATABASE_URL, async (admin) => {
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.query(`drop role if exists ${user}`);
      });
    }
  });
});

describe('catalyst_readonly on PGlite', () => {
  test('the migration applies and the role reads but does not write', async () => {
    const database = await createDatabase({ pgliteDir: 'memory://' });
    try {
      await upsertOrder(database.db, ORDER);
      await database.db.execute(sql`set role catalyst_readonly`);
      const [read] = await rows<{ n: number }>(database.db, sql`select count(*)::int as n from orders`);
      expect(read!.n).toBe(1);
      const denied = await database.db.execute(sql`delete from orders`).then(
        () => null,
        (err: unknown) => sqlState(err),
      );
      expect(denied).toBe('42501');
    } finally {
      await database.close();
    }
  });
});
