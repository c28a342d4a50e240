/**
 * `catalyst doctor`: each check against the real part where one runs here — the local
 * PostgreSQL (migrated, unmigrated, damaged, unreachable), PGlite directories, unreachable and
 * silent Temporal addresses, the Alpaca-compatible simulator through the real Alpaca client, a
 * real SMTP server (STARTTLS + AUTH), config directories, the live opt-ins, statfs — and the real
 * binary against nothing but unreachable services. Every address is on 127.0.0.1.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/createDatabase';
import { startSimulator, type RunningSimulator } from '../../src/sim/startSimulator';
import { checkBroker, type VenueTarget } from '../../src/stack/doctor/brokerCheck';
import type { CheckResult } from '../../src/stack/doctor/checkResult';
import { checkConfigFiles } from '../../src/stack/doctor/configCheck';
import { checkDatabase } from '../../src/stack/doctor/databaseCheck';
import { checkDiskSpace } from '../../src/stack/doctor/diskSpaceCheck';
import { checkEnvironment } from '../../src/stack/doctor/environmentCheck';
import { helperFunctions } from '../../src/stack/doctor/helperFunctionsCheck';
import { checkLiveOptIns } from '../../src/stack/doctor/liveOptInsCheck';
import { runDoctor } from '../../src/stack/doctor/runDoctor';
import { checkSmtp } from '../../src/stack/doctor/smtpCheck';
import { checkTemporal } from '../../src/stack/doctor/temporalCheck';
import { formatChecks } from '../../src/client/doctorCommand';
import { PROJECT_DIR } from '../support/catalystHarness';
import { freePort } from '../support/freePort';
import { createMigratedDatabase, type MigratedDatabase } from '../support/migratedDatabase';
import { MIGRATION_COUNT } from '../support/migrationCount';
import { runCatalyst } from '../support/runCatalyst';
import { startSmtpServer, type TestSmtpServer } from '../support/smtpTestServer';
import { createTempDatabase, type TempDatabase } from '../support/tempDatabase';

const TIMEOUT_MS = 1_500;
const made: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-doctor-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
/** The environment as the schema reads it: only what the test sets (never the machine's keys). */
const envOf = (vars: Record<string, string>) => checkEnvironment(vars).env;
const byName = (results: CheckResult[], name: string): CheckResult => {
  const found = results.find((r) => r.name === name);
  if (!found) throw new Error(`no ${name} line in ${JSON.stringify(results)}`);
  return found;
};
const oneLine = (r: CheckResult): void => {
  expect(r.detail).not.toMatch(/\n/);
  if (r.fix !== undefined) expect(r.fix).not.toMatch(/\n/);
};

/** A TCP server that accepts and never says a word: a service that hangs. */
async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('doctor: the database', () => {
  let migrated: MigratedDatabase;
  let empty: TempDatabase;
  beforeAll(async () => {
    [migrated, empty] = await Promise.all([createMigratedDatabase(), createTempDatabase()]);
  });
  afterAll(async () => {
    await Promise.all([migrated?.dispose(), empty?.drop()]);
  });

  it('a migrated PostgreSQL: reachable, every migration of drizzle/ applied, the helper functions present', async () => {
    const results = await checkDatabase({ url: migrated.url, home: tempDir(), timeoutMs: TIMEOUT_MS });
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['database', 'ok'],
      ['database migrations', 'ok'],
      ['database helper functions', 'ok'],
    ]);
    expect(results[0]!.detail).toMatch(
      /^PostgreSQL \d+(\.\d+)*\b.* at postgres:\/\/postgres@127\.0\.0\.1:5432\/catalyst_test_\w+, \d+ [kMG]?B$/,
    );
    expect(results[1]!.detail).toContain(`all ${MIGRATION_COUNT} migrations applied`);
    // The helpers are read from drizzle/*.sql: the guide's two are among them.
    const names = helperFunctions().map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['get_or_create_security', 'get_or_create_time']));
    for (const n of names) expect(results[2]!.detail).toContain(n);
  });

  it('an unmigrated database: migrations and helper functions fail, and the fix is `catalyst db migrate`', async () => {
    const results = await checkDatabase({ url: empty.url, home: tempDir(), timeoutMs: TIMEOUT_MS });
    expect(byName(results, 'database').status).toBe('ok');
    const migrations = byName(results, 'database migrations');
    expect(migrations).toMatchObject({ status: 'fail' });
    expect(migrations.detail).toContain(`0 of ${MIGRATION_COUNT}`);
    expect(migrations.fix).toContain('catalyst db migrate');
    const helpers = byName(results, 'database helper functions');
    expect(helpers.status).toBe('fail');
    expect(helpers.detail).toContain('get_or_create_time');
    expect(helpers.fix).toContain('catalyst db migrate');
  });

  it('a damaged database: the missing migration by its tag, the dropped function with the file that makes it', async () => {
    const db = await createMigratedDatabase();
    try {
      // The latest migration's record gone, and one helper function dropped.
      await db.db.execute(
        sql`delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`,
      );
      await db.db.execute(sql`drop function get_or_create_time(timestamp with time zone)`);
      const results = await checkDatabase({ url: db.url, home: tempDir(), timeoutMs: TIMEOUT_MS });
      const migrations = byName(results, 'database migrations');
      expect(migrations.status).toBe('fail');
      expect(migrations.detail).toMatch(
        new RegExp(`^1 of ${MIGRATION_COUNT} migrations pending: \\d{4}_\\w+$`),
      );
      const helpers = byName(results, 'database helper functions');
      expect(helpers.status).toBe('fail');
      expect(helpers.detail).toMatch(/^missing: get_or_create_time \(of /);
      // Its migration is still recorded as applied: migrating will not bring it back, its file will.
      expect(helpers.fix).toMatch(/re-run \S*drizzle\/0001_helper_functions\.sql with psql -f/);
    } finally {
      await db.dispose();
    }
  });

  it('nothing listening at DATABASE_URL: one failed line within the timeout, naming the server, never the password', async () => {
    const port = await freePort();
    const started = performance.now();
    const results = await checkDatabase({
      url: `postgres://catalyst:s3cret-pw@127.0.0.1:${port}/catalyst`,
      home: tempDir(),
      timeoutMs: TIMEOUT_MS,
    });
    expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + 2_000);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ name: 'database', status: 'fail' });
    expect(results[0]!.detail).toContain(`postgres://catalyst@127.0.0.1:${port}/catalyst`);
    expect(results[0]!.fix).toMatch(/start PostgreSQL/);
    expect(JSON.stringify(results)).not.toContain('s3cret-pw');
    oneLine(results[0]!);
  });

  it('a database that does not exist: the fix says to create it', async () => {
    const url = new URL(migrated.url);
    url.pathname = '/catalyst_doctor_no_such_database';
    const [result] = await checkDatabase({ url: url.toString(), home: tempDir(), timeoutMs: TIMEOUT_MS });
    expect(result).toMatchObject({ name: 'database', status: 'fail' });
    expect(result!.detail).toContain('does not exist');
    expect(result!.fix).toMatch(/createdb/);
  });

  it('no DATABASE_URL and no PGlite yet: ok (up creates it), and doctor creates nothing', async () => {
    const home = tempDir();
    const results = await checkDatabase({ home, timeoutMs: TIMEOUT_MS });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ name: 'database', status: 'ok' });
    expect(results[0]!.detail).toContain(join(home, 'pgdata'));
    expect(existsSync(join(home, 'pgdata'))).toBe(false);
  });

  it('a PGlite directory open in another process is not opened', async () => {
    const home = tempDir();
    mkdirSync(join(home, 'pgdata'));
    writeFileSync(join(home, 'pgdata', 'PG_VERSION'), '17\n');
    writeFileSync(join(home, 'pgdata', 'postmaster.pid'), '-42\n');
    const results = await checkDatabase({ home, timeoutMs: TIMEOUT_MS });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ name: 'database', status: 'ok' });
    expect(results[0]!.detail).toMatch(/open in another process.*not opened/);
  });

  it('a migrated PGlite database: every migration and helper function found, and the directory closed again', async () => {
    const home = tempDir();
    const pglite = await createDatabase({ pgliteDir: join(home, 'pgdata') });
    await pglite.close();
    const results = await checkDatabase({ home, timeoutMs: TIMEOUT_MS });
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['database', 'ok'],
      ['database migrations', 'ok'],
      ['database helper functions', 'ok'],
    ]);
    expect(results[1]!.detail).toContain(`all ${MIGRATION_COUNT} migrations applied`);
    // Closed cleanly: `catalyst up` can open it right after.
    expect(existsSync(join(home, 'pgdata', 'postmaster.pid'))).toBe(false);
  });
});

describe('doctor: Temporal', () => {
  const noVenue = Promise.resolve<VenueTarget | null>(null);

  it('nothing listening at TEMPORAL_ADDRESS: one failed line within the timeout', async () => {
    const port = await freePort();
    const started = performance.now();
    const results = await checkTemporal(envOf({ TEMPORAL_ADDRESS: `127.0.0.1:${port}` }), {
      timeoutMs: TIMEOUT_MS,
      projectDir: PROJECT_DIR,
      venue: noVenue,
    });
    expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + 2_000);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ name: 'temporal', status: 'fail' });
    expect(results[0]!.detail).toMatch(new RegExp(`^cannot reach Temporal at 127\\.0\\.0\\.1:${port}`));
    expect(results[0]!.fix).toContain('TEMPORAL_ADDRESS');
    oneLine(results[0]!);
  });

  it('a server that accepts and never answers: failed within the timeout, not hung', async () => {
    const silent = await startSilentServer();
    try {
      const started = performance.now();
      const results = await checkTemporal(envOf({ TEMPORAL_ADDRESS: `127.0.0.1:${silent.port}` }), {
        timeoutMs: TIMEOUT_MS,
        projectDir: PROJECT_DIR,
        venue: noVenue,
      });
      const ms = performance.now() - started;
      expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
      expect(ms).toBeLessThan(TIMEOUT_MS + 3_000);
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({ name: 'temporal', status: 'fail' });
      expect(results[0]!.detail).toContain(`within 1500 ms`);
      oneLine(results[0]!);
    } finally {
      await silent.close();
    }
  });
});

describe('doctor: the broker, on the Alpaca-compatible simulator through the real Alpaca client', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 7, speed: 1, date: '2026-11-24', manualClock: true });
    sim.advanceTo(Date.parse('2026-11-24T15:30:00Z'));
  });
  afterAll(() => sim?.close());

  const simEnv = (secret: string) =>
    envOf({ ALPACA_BASE_URL: sim.url, ALPACA_API_KEY: sim.keyId, ALPACA_SECRET_KEY: secret });

  it('no keys: the embedded simulator, ok, and the venue is the simulator', async () => {
    let venue: VenueTarget | null | undefined;
    const results = await checkBroker(envOf({}), { timeoutMs: TIMEOUT_MS, onVenue: (v) => (venue = v) });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ name: 'broker', status: 'ok' });
    expect(results[0]!.detail).toMatch(/^embedded simulator/);
    expect(venue).toEqual({ scope: { venue: 'simulator' }, drivenByUp: true });
  });

  it('keys accepted: the account ACTIVE, the clock and the market data read, the venue announced', async () => {
    let venue: VenueTarget | null | undefined;
    const results = await checkBroker(simEnv(sim.secretKey), {
      timeoutMs: TIMEOUT_MS,
      onVenue: (v) => (venue = v),
    });
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['broker', 'ok'],
      ['broker clock', 'ok'],
      ['market data', 'ok'],
    ]);
    expect(results[0]!.detail).toMatch(/status ACTIVE/);
    expect(results[1]!.detail).toMatch(/^2026-11-24T10:30:00.*: market open/);
    expect(results[2]!.detail).toMatch(/AAPL last trade \d+(\.\d+)? at 2026-11-24T/);
    // An endpoint of our own is a paper venue whose sessions `up` drives.
    expect(venue?.scope.venue).toBe('paper');
    expect(venue?.scope.account).toBeTruthy();
    expect(venue?.drivenByUp).toBe(true);
    expect(JSON.stringify(results)).not.toContain(sim.secretKey);
  });

  it('a wrong secret: failed, with a fix about the keys, and neither key printed', async () => {
    const wrong = 'WRONG-SECRET-9f3a';
    let venue: VenueTarget | null | undefined;
    const results = await checkBroker(simEnv(wrong), { timeoutMs: TIMEOUT_MS, onVenue: (v) => (venue = v) });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ name: 'broker', status: 'fail' });
    expect(results[0]!.detail).toContain('HTTP 401');
    expect(results[0]!.fix).toMatch(/ALPACA_API_KEY\/ALPACA_SECRET_KEY/);
    expect(JSON.stringify(results)).not.toContain(wrong);
    expect(venue).toBeNull();
  });

  it('nothing at ALPACA_BASE_URL: one failed line within the timeout', async () => {
    const port = await freePort();
    const started = performance.now();
    const results = await checkBroker(
      envOf({
        ALPACA_BASE_URL: `http://127.0.0.1:${port}`,
        ALPACA_API_KEY: 'PKTEST',
        ALPACA_SECRET_KEY: 'x',
      }),
      { timeoutMs: TIMEOUT_MS },
    );
    expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + 2_000);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ name: 'broker', status: 'fail' });
    expect(results[0]!.fix).toContain(`http://127.0.0.1:${port}`);
    oneLine(results[0]!);
  });
});

describe('doctor: SMTP, against a real server in this process (STARTTLS + AUTH)', () => {
  const USER = 'alerts@example.test';
  const PASSWORD = 'correct-horse-battery-staple';
  let server: TestSmtpServer;
  beforeAll(async () => {
    server = await startSmtpServer({ username: USER, password: PASSWORD });
  });
  afterAll(() => server?.close());
  const smtpEnv = (extra: Record<string, string> = {}) =>
    envOf({
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(server.port),
      SMTP_USERNAME: USER,
      SMTP_PASSWORD: PASSWORD,
      SMTP_TLS: 'true',
      SMTP_TLS_REJECT_UNAUTHORIZED: 'false',
      ALERT_EMAIL_CRITICAL: 'oncall@example.test',
      ...extra,
    });
  const outboxDir = '/nowhere/outbox';

  it('the right login: ok over STARTTLS, naming the route, and nothing sent', async () => {
    const before = server.received.length;
    const r = await checkSmtp(smtpEnv(), { timeoutMs: TIMEOUT_MS, outboxDir });
    expect(r).toMatchObject({ name: 'smtp', status: 'ok' });
    expect(r.detail).toBe(
      `127.0.0.1:${server.port} (STARTTLS): logged in as ${USER}; CRITICAL → oncall@example.test`,
    );
    expect(server.received.length).toBe(before);
    expect(JSON.stringify(r)).not.toContain(PASSWORD);
  });

  it('a wrong password: failed, the server refused it, and the password is nowhere in the line', async () => {
    const wrong = 'wrong-password-123';
    const refused = server.refusedLogins;
    const r = await checkSmtp(smtpEnv({ SMTP_PASSWORD: wrong }), { timeoutMs: TIMEOUT_MS, outboxDir });
    expect(r).toMatchObject({ name: 'smtp', status: 'fail' });
    expect(r.detail).toMatch(/Invalid login: 535/);
    expect(r.fix).toMatch(/SMTP_USERNAME and SMTP_PASSWORD/);
    expect(server.refusedLogins).toBe(refused + 1);
    expect(JSON.stringify(r)).not.toContain(wrong);
    oneLine(r);
  });

  it('a login but no ALERT_EMAIL_CRITICAL: a warning (CRITICAL alerts would reach no one)', async () => {
    const r = await checkSmtp(smtpEnv({ ALERT_EMAIL_CRITICAL: '', ALERT_EMAIL_INFO: 'log@example.test' }), {
      timeoutMs: TIMEOUT_MS,
      outboxDir,
    });
    expect(r).toMatchObject({ name: 'smtp', status: 'warn' });
    expect(r.fix).toContain('ALERT_EMAIL_CRITICAL');
  });

  it('SMTP unset: a warning that alerts go to the outbox only', async () => {
    const r = await checkSmtp(envOf({}), { timeoutMs: TIMEOUT_MS, outboxDir });
    expect(r).toMatchObject({ name: 'smtp', status: 'warn' });
    expect(r.detail).toBe(`SMTP_HOST is not set: alerts go to the outbox only (${outboxDir})`);
  });

  it('a mail server that never greets: failed within the timeout', async () => {
    const silent = await startSilentServer();
    try {
      const started = performance.now();
      const r = await checkSmtp(smtpEnv({ SMTP_PORT: String(silent.port) }), {
        timeoutMs: TIMEOUT_MS,
        outboxDir,
      });
      expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + 2_000);
      expect(r).toMatchObject({ name: 'smtp', status: 'fail' });
      expect(r.detail).toContain('no answer within 1500 ms');
    } finally {
      await silent.close();
    }
  });
});

describe('doctor: configuration, live opt-ins, environment, disk', () => {
  it("the project's config files are valid", () => {
    const results = checkConfigFiles(join(PROJECT_DIR, 'config'));
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['config trading_config.yaml', 'ok'],
      ['config risk_parameters.yaml', 'ok'],
    ]);
  });

  it('a broken config directory: each bad file fails, naming the file and the key', () => {
    const dir = tempDir();
    copyFileSync(join(PROJECT_DIR, 'config', 'trading_config.yaml'), join(dir, 'trading_config.yaml'));
    writeFileSync(join(dir, 'risk_parameters.yaml'), 'position_limits:\n  max_positions: 0\n');
    const [trading, risk] = checkConfigFiles(dir);
    expect(trading!.status).toBe('ok');
    expect(risk).toMatchObject({ name: 'config risk_parameters.yaml', status: 'fail' });
    expect(risk!.detail).toBe(
      'risk_parameters.yaml: position_limits.max_positions must be an integer between 1 and 50 (got 0)',
    );
    expect(risk!.fix).toContain(join(dir, 'risk_parameters.yaml'));

    const missing = checkConfigFiles(tempDir());
    expect(missing.map((r) => r.status)).toEqual(['fail', 'fail']);
    expect(missing[0]!.detail).toMatch(/^trading_config\.yaml: cannot read .* \(file not found\)$/);
  });

  it('live opt-ins: paper is never a failure; a partial set warns with what is missing; all of them say LIVE', () => {
    expect(checkLiveOptIns(envOf({}))).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('simulator'),
    });
    expect(checkLiveOptIns(envOf({ ALPACA_API_KEY: 'PKPAPER', ALPACA_SECRET_KEY: 's' }))).toMatchObject({
      status: 'ok',
      detail: 'none given: trades paper; live is not possible',
    });
    const partial = checkLiveOptIns(
      envOf({ TRADING_MODE: 'live', ALPACA_API_KEY: 'PKPAPER', ALPACA_SECRET_KEY: 's' }),
    );
    expect(partial.status).toBe('warn');
    expect(partial.detail).toMatch(
      /^given: TRADING_MODE=live: trades paper; live is not possible \(missing: /,
    );
    expect(partial.detail).toContain('ENABLE_LIVE_TRADING=true');
    expect(partial.detail).toContain('live Alpaca keys (ALPACA_API_KEY is a paper key)');
    const live = checkLiveOptIns(
      envOf({
        TRADING_MODE: 'live',
        ENABLE_LIVE_TRADING: 'true',
        ALPACA_API_KEY: 'AKLIVE',
        ALPACA_SECRET_KEY: 's',
      }),
    );
    expect(live.status).toBe('ok');
    expect(live.detail).toContain('LIVE trading is possible');
    // Alpaca's live host with every opt-in: possible with --live, refused without it.
    const liveHost = checkLiveOptIns(
      envOf({
        ALPACA_BASE_URL: 'https://api.alpaca.markets',
        TRADING_MODE: 'live',
        ENABLE_LIVE_TRADING: 'true',
        ALPACA_API_KEY: 'AKLIVE',
        ALPACA_SECRET_KEY: 's',
      }),
    );
    expect(liveHost.status).toBe('ok');
    expect(liveHost.detail).toMatch(/LIVE trading is possible.*without --live, up refuses to start/);
    // An endpoint of our own: its key is no Alpaca live key, and it is never live.
    expect(
      checkLiveOptIns(
        envOf({ ALPACA_BASE_URL: 'http://127.0.0.1:8299', ALPACA_API_KEY: 'SIMKEY', ALPACA_SECRET_KEY: 's' }),
      ),
    ).toMatchObject({ status: 'ok', detail: 'none given: trades paper; live is not possible' });
    // `up` refuses Alpaca's live host without every opt-in: that is a failure.
    const refused = checkLiveOptIns(
      envOf({
        ALPACA_BASE_URL: 'https://api.alpaca.markets',
        ALPACA_API_KEY: 'PKPAPER',
        ALPACA_SECRET_KEY: 's',
      }),
    );
    expect(refused.status).toBe('fail');
    expect(refused.detail).toMatch(/^catalyst up would refuse to start: .*ALPACA_BASE_URL/);
  });

  it('an invalid variable fails the environment line and blocks only the checks that read it', async () => {
    const home = tempDir();
    const report = await runDoctor({
      env: {
        DATABASE_URL: 'mysql://nope',
        SMTP_PASSWORD: 'hunter2-secret',
        TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
      },
      projectDir: PROJECT_DIR,
      home,
      configDir: join(PROJECT_DIR, 'config'),
      timeoutMs: TIMEOUT_MS,
    });
    const environment = byName(report.checks, 'environment');
    expect(environment.status).toBe('fail');
    expect(environment.detail).toContain('environment variable DATABASE_URL must be a postgres://');
    expect(environment.detail).toContain(
      'environment variable SMTP_USERNAME must be set because SMTP_PASSWORD is',
    );
    // Not "the embedded PGlite is fine": the database was not checked.
    expect(byName(report.checks, 'database')).toMatchObject({
      status: 'fail',
      detail: 'not checked: DATABASE_URL is invalid (see environment)',
    });
    expect(byName(report.checks, 'smtp').detail).toMatch(
      /^not checked: SMTP_PASSWORD, SMTP_USERNAME are invalid/,
    );
    expect(byName(report.checks, 'broker').status).toBe('ok');
    expect(byName(report.checks, 'temporal').status).toBe('fail');
    expect(JSON.stringify(report)).not.toContain('hunter2-secret');
    expect(report.ok).toBe(false);
    expect(report.counts.ok + report.counts.warn + report.counts.fail).toBe(report.checks.length);
    expect(report.counts.fail).toBe(report.checks.filter((c) => c.status === 'fail').length);
  });

  it('disk space: the free bytes of CATALYST_HOME (or the disk it will be made on) against the limits', () => {
    const home = tempDir();
    const free = checkDiskSpace(home);
    expect(free.status).toBe('ok');
    expect(free.detail).toMatch(new RegExp(`^[\\d.]+ [KMGT]?B free for ${home}$`));
    const notYet = checkDiskSpace(join(home, 'not', 'yet'));
    expect(notYet.detail).toContain(`(not created yet; on the disk of ${home})`);
    // Limits above whatever this disk has free: warn, then fail.
    const huge = Number.MAX_SAFE_INTEGER;
    expect(checkDiskSpace(home, { warnBytes: huge, failBytes: 0 })).toMatchObject({ status: 'warn' });
    const full = checkDiskSpace(home, { warnBytes: huge, failBytes: huge });
    expect(full.status).toBe('fail');
    expect(full.fix).toContain('CATALYST_HOME');
  });

  it('human output: one line per check, status first, the fix on the same line, no colour without a TTY', () => {
    const lines = formatChecks([
      { name: 'database', status: 'ok', detail: 'PostgreSQL 16' },
      { name: 'smtp', status: 'warn', detail: 'SMTP_HOST is not set', fix: 'set SMTP_HOST' },
      { name: 'temporal', status: 'fail', detail: 'cannot reach', fix: 'check TEMPORAL_ADDRESS' },
    ]);
    expect(lines).toEqual([
      'ok    database  PostgreSQL 16',
      'warn  smtp      SMTP_HOST is not set  → fix: set SMTP_HOST',
      'FAIL  temporal  cannot reach  → fix: check TEMPORAL_ADDRESS',
    ]);
  });
});

describe('catalyst doctor, the real binary', () => {
  it('every service unreachable or silent: exit 1, one JSON object on stdout, in bounded time', async () => {
    const [silentTemporal, silentSmtp] = await Promise.all([startSilentServer(), startSilentServer()]);
    try {
      const [dbPort, brokerPort] = await Promise.all([freePort(), freePort()]);
      const home = tempDir();
      const run = await runCatalyst(
        ['doctor', '--json'],
        {
          CATALYST_HOME: home,
          TEMPORAL_ADDRESS: `127.0.0.1:${silentTemporal.port}`,
          TEMPORAL_API_KEY: '',
          TEMPORAL_TLS: '',
          DATABASE_URL: `postgres://postgres@127.0.0.1:${dbPort}/catalyst`,
          ALPACA_BASE_URL: `http://127.0.0.1:${brokerPort}`,
          ALPACA_DATA_URL: '',
          ALPACA_API_KEY: 'PKDOCTOR',
          ALPACA_SECRET_KEY: 'doctor-secret-value',
          TRADING_MODE: 'paper',
          ENABLE_LIVE_TRADING: 'false',
          ENABLE_EMAIL_ALERTS: 'true',
          SMTP_HOST: '127.0.0.1',
          SMTP_PORT: String(silentSmtp.port),
          SMTP_USERNAME: 'doctor@example.test',
          SMTP_PASSWORD: 'doctor-smtp-password',
          SMTP_TLS: 'true',
          ALERT_EMAIL_CRITICAL: 'oncall@example.test',
        },
        60_000,
      );
      expect(run.code, run.stderr).toBe(1);
      expect(run.ms).toBeLessThan(15_000);
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      const report = JSON.parse(lines[0]!) as {
        ok: boolean;
        counts: Record<string, number>;
        checks: CheckResult[];
      };
      expect(report.ok).toBe(false);
      for (const name of ['temporal', 'database', 'broker', 'smtp'])
        expect(byName(report.checks, name), name).toMatchObject({ status: 'fail', fix: expect.any(String) });
      expect(byName(report.checks, 'temporal').detail).toContain('within 5 s');
      expect(byName(report.checks, 'smtp').detail).toContain('no answer within 5 s');
      expect(report.checks.every((c) => ['ok', 'warn', 'fail'].includes(c.status))).toBe(true);
      expect(report.counts.fail).toBe(report.checks.filter((c) => c.status === 'fail').length);
      expect(run.stdout + run.stderr).not.toMatch(/doctor-secret-value|doctor-smtp-password|PKDOCTOR/);
      expect(run.stderr).not.toContain('still open');
    } finally {
      await Promise.all([silentTemporal.close(), silentSmtp.close()]);
    }
  });
});
