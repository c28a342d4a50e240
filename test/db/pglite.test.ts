import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, type Database } from '../../src/db/createDatabase';
import { rows } from '../../src/db/rows';
import { ordersForDay, upsertOrder } from '../../src/db/repositories/orders';
import { closePosition, openPosition } from '../../src/db/repositories/positions';
import { recordScanResults, scanResultsForCycle } from '../../src/db/repositories/scanResults';
import { upsertSecurities } from '../../src/db/repositories/securities';
import { startCycle } from '../../src/db/repositories/tradingCycles';
import { MIGRATION_COUNT } from '../support/migrationCount';
import { createMigratedDatabase } from '../support/migratedDatabase';

// The embedded default runs the same migrations and repositories on PGlite.
describe('PGlite smoke test', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createDatabase({ pgliteDir: 'memory://' });
  });
  afterAll(async () => {
    await database?.close();
  });

  test('migrations apply and the helper functions work', async () => {
    expect(database.kind).toBe('pglite');
    const [fn] = await rows<{ id: number; t: unknown }>(
      database.db,
      sql`select get_or_create_security('spy') as id, get_or_create_time('2024-03-11T13:30:00Z') as t`,
    );
    expect(fn!.id).toBeGreaterThan(0);
    const [time] = await rows<{ is_market_hours: boolean; hour: number }>(
      database.db,
      sql`select is_market_hours, hour from time_dimension`,
    );
    expect(time).toEqual({ is_market_hours: true, hour: 9 });
  });

  test('repositories work and money stays exact', async () => {
    const db = database.db;
    await upsertSecurities(db, [{ symbol: 'AAPL', sector: 'Technology' }]);
    await startCycle(db, {
      cycleId: 'c1',
      tradingDate: '2024-03-08',
      workflowId: 'w',
      runId: 'r',
      cycleNumber: 1,
      marketTime: new Date('2024-03-08T15:00:00Z'),
      config: {},
    });
    await recordScanResults(db, 'c1', [
      { symbol: 'AAPL', rank: 1, price: '0.1', volume: 1, compositeScore: 55.55555 },
    ]);
    await recordScanResults(db, 'c1', [
      { symbol: 'AAPL', rank: 1, price: '0.1', volume: 1, compositeScore: 55.55555 },
    ]);
    expect(await scanResultsForCycle(db, 'c1')).toMatchObject([
      { price: '0.100000', compositeScore: '55.5556' },
    ]);

    const order = {
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
    await upsertOrder(db, order);
    await upsertOrder(db, { ...order, status: 'filled', filledQty: '3', filledAvgPrice: '0.2' });
    expect(await ordersForDay(db, 'a', '2024-03-08')).toMatchObject([
      { status: 'filled', filledAvgPrice: '0.200000' },
    ]);

    for (const [key, price] of [
      ['p1', '0.1'],
      ['p2', '0.2'],
    ] as const) {
      await openPosition(db, {
        accountId: 'a',
        tradingDate: '2024-03-08',
        symbol: 'AAPL',
        entryClientOrderId: key,
        side: 'long',
        qty: '1',
        entryPrice: price,
      });
    }
    await closePosition(db, {
      accountId: 'a',
      entryClientOrderId: 'p1',
      exitPrice: '0.3',
      realizedPnl: '0.2',
      exitReason: 'take_profit',
      closedAt: new Date(),
    });
    const [sum] = await rows<{ total: string }>(
      db,
      sql`select sum(entry_price)::text as total from positions`,
    );
    expect(sum!.total).toBe('0.300000');
  });
});

describe('PGlite on disk', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'catalyst-pglite-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('data survives a reopen and migrations are not re-applied', async () => {
    const first = await createDatabase({ pgliteDir: join(dir, 'pgdata') });
    await upsertSecurities(first.db, [{ symbol: 'KEEP' }]);
    await first.close();
    await first.close();

    const second = await createDatabase({ pgliteDir: join(dir, 'pgdata') });
    try {
      const [found] = await rows<{ n: number; m: number }>(
        second.db,
        sql`select (select count(*)::int from securities where symbol = 'KEEP') as n,
                   (select count(*)::int from drizzle.__drizzle_migrations) as m`,
      );
      expect(found).toEqual({ n: 1, m: MIGRATION_COUNT });
    } finally {
      await second.close();
    }
  });
});

// What the migrations leave behind, as the catalogs list it: both engines must agree exactly.
// Every value is cast to text: the two drivers parse information_schema's domain types differently.
// NOT NULL constraints are left out of pg_constraint's listing: PGlite's newer Postgres records
// them there, PostgreSQL 15 does not; columns.is_nullable compares them instead.
const SCHEMA_LISTINGS: Record<string, SQL> = {
  columns: sql`select table_schema::text, table_name::text, column_name::text, ordinal_position::int,
                      data_type::text, is_nullable::text, column_default::text,
                      numeric_precision::text, numeric_scale::text
               from information_schema.columns where table_schema in ('public', 'drizzle')
               order by 1, 2, 4`,
  indexes: sql`select schemaname::text, tablename::text, indexname::text, indexdef from pg_indexes
               where schemaname in ('public', 'drizzle') order by 1, 2, 3`,
  constraints: sql`select conrelid::regclass::text as table_name, conname::text,
                          pg_get_constraintdef(oid) as definition
                   from pg_constraint where connamespace = 'public'::regnamespace and contype <> 'n' order by 1, 2`,
  functions: sql`select proname::text, pg_get_function_identity_arguments(oid) as arguments,
                        pg_get_function_result(oid) as result
                 from pg_proc where pronamespace = 'public'::regnamespace order by 1, 2`,
  readonlyGrants: sql`select table_name::text, privilege_type::text from information_schema.role_table_grants
                      where grantee = 'catalyst_readonly' order by 1, 2`,
  migrations: sql`select hash, created_at::text as created_at from drizzle.__drizzle_migrations order by id`,
};

describe('PGlite and PostgreSQL', () => {
  test('the same migrations leave the same tables, columns, indexes, constraints and functions', async () => {
    const postgres = await createMigratedDatabase();
    const pglite = await createDatabase({ pgliteDir: 'memory://' });
    try {
      for (const [name, query] of Object.entries(SCHEMA_LISTINGS)) {
        const onPostgres = await rows(postgres.db, query);
        expect(onPostgres.length, name).toBeGreaterThan(0);
        expect(await rows(pglite.db, query), name).toEqual(onPostgres);
      }
    } finally {
      await pglite.close();
      await postgres.dispose();
    }
  });
});
