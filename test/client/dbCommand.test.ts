/**
 * `catalyst db migrate | backup | restore` through the real binary: a PostgreSQL database backed
 * up and restored into a fresh one holds the same rows (and its read-only grants), a PGlite
 * directory likewise, and bad arguments or refusals are one line and exit 2 with nothing touched.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../src/db/createDatabase';
import { upsertOrder } from '../../src/db/repositories/orders';
import { recordRiskEvent } from '../../src/db/repositories/riskEvents';
import { upsertSecurities } from '../../src/db/repositories/securities';
import { readJournal } from '../../src/db/migrateDatabase';
import { rows } from '../../src/db/rows';
import { createMigratedDatabase, type MigratedDatabase } from '../support/migratedDatabase';
import { runCatalyst, type CatalystRun } from '../support/runCatalyst';
import { createTempDatabase, type TempDatabase } from '../support/tempDatabase';

const TIMEOUT = 60_000;
/** A test that runs the binary several times, one after another (each start takes seconds). */
const SEVERAL_RUNS = 240_000;
/** DATABASE_URL set empty: the embedded PGlite, whatever a .env file in the project says. */
const pgliteEnv = (home: string): NodeJS.ProcessEnv => ({ CATALYST_HOME: home, DATABASE_URL: '' });
const db = (args: string[], env: NodeJS.ProcessEnv): Promise<CatalystRun> =>
  runCatalyst(['db', ...args], env, TIMEOUT);

/** A refusal or bad argument: exit 2, one line on stderr, nothing on stdout. */
function expectOneLine(run: CatalystRun, message: RegExp): void {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(message);
}

async function seed(database: Database): Promise<void> {
  await upsertSecurities(database.db, [{ symbol: 'AAPL', sector: 'Technology' }, { symbol: 'MSFT' }]);
  await upsertOrder(database.db, {
    accountId: 'a',
    brokerOrderId: 'b1',
    clientOrderId: 'c1-AAPL-entry',
    tradingDate: '2026-11-24',
    symbol: 'AAPL',
    side: 'buy',
    type: 'limit',
    legRole: 'entry',
    qty: '3',
    limitPrice: '123.456789',
    status: 'filled',
    filledQty: '3',
    filledAvgPrice: '123.45',
  });
  await recordRiskEvent(database.db, {
    eventKey: 'backup-test',
    tradingDate: '2026-11-24',
    eventType: 'emergency_stop',
    severity: 'CRITICAL',
    message: 'kept across a backup',
    details: { why: 'test' },
  });
}

/** Everything a backup must carry, in a stable order. */
async function contents(database: Database): Promise<Record<string, unknown[]>> {
  return {
    securities: await rows(
      database.db,
      sql`select symbol, sector_id, is_active from securities order by symbol`,
    ),
    sectors: await rows(database.db, sql`select id, name from sectors order by id`),
    orders: await rows(
      database.db,
      sql`select id, account_id, client_order_id, qty::text, limit_price::text, filled_avg_price::text, status,
                 created_at::text from orders order by id`,
    ),
    riskEvents: await rows(
      database.db,
      sql`select event_key, severity, message, details from risk_events order by id`,
    ),
    migrations: await rows(database.db, sql`select hash from drizzle.__drizzle_migrations order by id`),
  };
}

describe('catalyst db on PostgreSQL', () => {
  let source: MigratedDatabase;
  let target: TempDatabase;
  let dir: string;
  beforeAll(async () => {
    source = await createMigratedDatabase();
    await seed(source);
    target = await createTempDatabase();
    dir = mkdtempSync(join(tmpdir(), 'catalyst-db-backup-'));
  });
  afterAll(async () => {
    await source?.dispose();
    await target?.drop();
  });

  it('migrate on an up-to-date database applies nothing and says so', async () => {
    const run = await db(['migrate'], { DATABASE_URL: source.url });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/up to date, nothing to apply/);
    expect(run.stdout).not.toMatch(/^applied/m);
  });

  it(
    'backup, then restore into a fresh database: the same rows and the read-only grants',
    { timeout: SEVERAL_RUNS },
    async () => {
      const file = join(dir, 'catalyst.dump');
      const backup = await db(['backup', file], { DATABASE_URL: source.url });
      expect(backup.code, backup.stderr).toBe(0);
      expect(backup.stdout).toMatch(/backed up postgres:\/\/.*127\.0\.0\.1:\d+\/catalyst_test_/);
      expect(existsSync(file)).toBe(true);

      const restore = await db(['restore', file], { DATABASE_URL: target.url });
      expect(restore.code, restore.stderr).toBe(0);
      const restored = await createDatabase({ url: target.url, migrate: false });
      try {
        expect(await contents(restored)).toEqual(await contents(source));
        const [grant] = await rows<{ ok: boolean }>(
          restored.db,
          sql`select has_table_privilege('catalyst_readonly', 'orders', 'select') as ok`,
        );
        expect(grant!.ok).toBe(true);
      } finally {
        await restored.close();
      }

      // The restored database holds tables now: a second restore is refused, unless --force.
      expectOneLine(
        await db(['restore', file], { DATABASE_URL: target.url }),
        /already holds \d+ table\(s\).*--force/,
      );
      const forced = await db(['restore', file, '--force'], { DATABASE_URL: target.url });
      expect(forced.code, forced.stderr).toBe(0);

      // An existing backup is not overwritten without --force.
      expectOneLine(await db(['backup', file], { DATABASE_URL: source.url }), /already exists.*--force/);
    },
  );

  it(
    'an unreachable server: one line naming host and port, never the password, exit 1',
    { timeout: SEVERAL_RUNS },
    async () => {
      const url = 'postgres://trader:hunter2@127.0.0.1:1/catalyst';
      for (const args of [['migrate'], ['backup', join(dir, 'never.dump')]]) {
        const run = await db(args, { DATABASE_URL: url });
        expect(run.code, run.stderr).toBe(1);
        expect(run.stderr.trim().split('\n')).toHaveLength(1);
        expect(run.stderr).toMatch(
          /cannot connect to DATABASE_URL postgres:\/\/trader@127\.0\.0\.1:1\/catalyst/,
        );
        expect(run.stderr + run.stdout).not.toContain('hunter2');
      }
      expect(existsSync(join(dir, 'never.dump'))).toBe(false);
    },
  );
});

describe('catalyst db on PGlite', () => {
  let home: string;
  let otherHome: string;
  let backupDir: string;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'catalyst-home-'));
    otherHome = mkdtempSync(join(tmpdir(), 'catalyst-home-'));
    backupDir = join(mkdtempSync(join(tmpdir(), 'catalyst-db-backup-')), 'pgdata-copy');
  });

  it(
    'migrate creates the database and prints every migration it applied',
    { timeout: SEVERAL_RUNS },
    async () => {
      const run = await db(['migrate'], pgliteEnv(home));
      expect(run.code, run.stderr).toBe(0);
      const tags = readJournal().map((e) => e.tag);
      expect(run.stdout.split('\n').filter((l) => l.startsWith('applied '))).toEqual(
        tags.map((t) => `applied ${t}`),
      );
      expect(run.stdout).toContain(`PGlite in ${join(home, 'pgdata')}: applied ${tags.length}`);
      const again = await db(['migrate'], pgliteEnv(home));
      expect(again.stdout).toMatch(/up to date, nothing to apply/);
    },
  );

  it('backup, then restore into another home: the same rows', { timeout: SEVERAL_RUNS }, async () => {
    const source = await createDatabase({ pgliteDir: join(home, 'pgdata') });
    let expected: Record<string, unknown[]>;
    try {
      await seed(source);
      expected = await contents(source);
      // Open in this process: a copy now could be torn, so it is refused.
      expectOneLine(await db(['backup', backupDir], pgliteEnv(home)), /is open in another process/);
    } finally {
      await source.close();
    }

    const backup = await db(['backup', backupDir], pgliteEnv(home));
    expect(backup.code, backup.stderr).toBe(0);
    expect(readdirSync(backupDir)).toContain('PG_VERSION');

    const restore = await db(['restore', backupDir], pgliteEnv(otherHome));
    expect(restore.code, restore.stderr).toBe(0);
    const restored = await createDatabase({ pgliteDir: join(otherHome, 'pgdata'), migrate: false });
    try {
      expect(await contents(restored)).toEqual(expected);
    } finally {
      await restored.close();
    }

    expectOneLine(
      await db(['restore', backupDir], pgliteEnv(otherHome)),
      /already holds a database; pass --force/,
    );
    const forced = await db(['restore', backupDir, '--force'], pgliteEnv(otherHome));
    expect(forced.code, forced.stderr).toBe(0);
  });
});

describe.concurrent('catalyst db: bad arguments', () => {
  let home: string;
  let file: string;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'catalyst-home-'));
    file = join(home, 'some.dump');
    writeFileSync(file, 'not a backup');
    mkdirSync(join(home, 'empty-dir'));
  });

  const cases: [string, () => string[], () => NodeJS.ProcessEnv, RegExp][] = [
    ['backup without a file', () => ['backup'], () => pgliteEnv(home), /missing required argument 'file'/],
    ['restore without a file', () => ['restore'], () => pgliteEnv(home), /missing required argument 'file'/],
    ['two files', () => ['backup', 'a', 'b'], () => pgliteEnv(home), /too many arguments/],
    ['migrate with an argument', () => ['migrate', 'now'], () => pgliteEnv(home), /too many arguments/],
    ['an unknown subcommand', () => ['vacuum'], () => pgliteEnv(home), /unknown command 'vacuum'/],
    ['an unknown flag', () => ['backup', 'x', '--zip'], () => pgliteEnv(home), /unknown option '--zip'/],
    [
      'a restore from nothing',
      () => ['restore', join(home, 'missing.dump')],
      () => pgliteEnv(home),
      /missing\.dump does not exist/,
    ],
    [
      'a pg_dump file into PGlite',
      () => ['restore', file],
      () => pgliteEnv(home),
      /is a file, not a PGlite backup directory/,
    ],
    [
      'a directory into PostgreSQL',
      () => ['restore', join(home, 'empty-dir')],
      () => ({ DATABASE_URL: 'postgres://u:hunter2@127.0.0.1:1/x' }),
      /is a directory/,
    ],
    [
      'a DATABASE_URL that is not postgres://',
      () => ['migrate'],
      () => ({ DATABASE_URL: 'mysql://u:hunter2@db/x' }),
      /^catalyst: DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/,
    ],
  ];

  for (const [what, args, env, message] of cases) {
    it(`${what}: one line, exit 2`, async () => {
      const run = await db(args(), env());
      expectOneLine(run, message);
      expect(run.stderr).not.toContain('hunter2');
      // Nothing was created: no database directory appeared in the home.
      expect(existsSync(join(home, 'pgdata'))).toBe(false);
    });
  }
});
