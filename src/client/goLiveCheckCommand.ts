/**
 * `catalyst go-live-check`: the guide's "Going Live" checklist (§15), and the §9.1 items a
 * program can check itself, evaluated on the paper-trading record in the database `catalyst up`
 * uses. One line per check, then the verdict; exit 0 only when no check fails.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createAlpacaBroker } from '../broker/alpacaBroker';
import { createDatabase, describeUrl, type Database } from '../db/createDatabase';
import {
  appliedMigrationMillis,
  closedTradesOf,
  emergencyStopEvents,
  migrationJournal,
  recordedTradingDays,
} from '../db/repositories/goLiveRecord';
import { utcMsToNyDate } from '../domain/calendar';
import {
  evaluateGoLive,
  venueOfWorkflowId,
  type BrokerProbe,
  type CheckStatus,
  type GoLiveVerdict,
  type OutboxAlert,
  type TradingRecord,
} from '../domain/goLive';
import { toMicros } from '../domain/money';
import type { Env } from '../settings/env';
import { resolveTradingVenue } from '../settings/liveTradingGate';
import { parseEnv } from '../settings/loadSettings';
import { colour, createOutput } from './output';
import { projectDir } from './projectDir';

/** A paper account that does not answer within this is as good as unreachable for the check. */
const BROKER_TIMEOUT_MS = 10_000;

export async function goLiveCheckCommand(opts: { json: boolean }): Promise<void> {
  const out = createOutput(opts.json);
  const env = parseEnv(process.env);
  const home = resolve(process.env.CATALYST_HOME ?? resolve(projectDir(), '.catalyst'));
  const { database, where } = await openRecordDatabase(env, home);
  out.log(`go-live check on ${where}`);
  let verdict: GoLiveVerdict;
  try {
    const outboxDir = join(home, 'outbox');
    const [appliedMillis, record, broker] = await Promise.all([
      appliedMigrationMillis(database.db),
      readTradingRecord(database).catch((err: unknown) => ({ error: rootMessage(err) })),
      probeBroker(env),
    ]);
    verdict = evaluateGoLive({
      record,
      todayNy: utcMsToNyDate(Date.now()),
      schema: { journal: migrationJournal(), appliedMillis },
      broker,
      alerts: { outboxDir, entries: readOutbox(outboxDir) },
    });
  } finally {
    await database.close();
  }
  out.result(verdict, () => {
    for (const c of verdict.checks) out.info(`${LABEL[c.status]()}  ${c.detail}`);
    const failed = verdict.checks.filter((c) => c.status === 'fail');
    const notPassed = verdict.checks.filter((c) => c.status === 'skip' || c.status === 'warn');
    out.info(
      failed.length === 0
        ? colour.green(
            `ready to go live: no check failed${notPassed.length ? ` (${notPassed.map((c) => `${c.name} ${c.status}`).join(', ')})` : ''}`,
          )
        : colour.red(
            `not ready to go live: ${failed.length} check(s) failed (${failed.map((c) => c.name).join(', ')})`,
          ),
    );
  });
  if (!verdict.ok) process.exitCode = 1;
}

const LABEL: Record<CheckStatus, () => string> = {
  pass: () => colour.green('pass'),
  fail: () => colour.red('FAIL'),
  skip: () => colour.dim('skip'),
  warn: () => colour.yellow('warn'),
};

/**
 * The database `catalyst up` would open, never migrated (the check reports the schema as it is).
 * With no database at all there is no record to judge: one line, exit 1.
 */
async function openRecordDatabase(env: Env, home: string): Promise<{ database: Database; where: string }> {
  if (env.DATABASE_URL)
    return {
      database: await createDatabase({ url: env.DATABASE_URL, migrate: false }),
      where: `PostgreSQL ${describeUrl(env.DATABASE_URL)}`,
    };
  const dir = join(home, 'pgdata');
  // PGlite would create an empty database in a missing directory: look before opening.
  if (!existsSync(join(dir, 'PG_VERSION')))
    throw new Error(
      `no database to check: DATABASE_URL is unset and there is no PGlite database in ${dir} (set DATABASE_URL, or CATALYST_HOME to the directory \`catalyst up\` used)`,
    );
  return { database: await createDatabase({ pgliteDir: dir, migrate: false }), where: `PGlite in ${dir}` };
}

/** Every venue's days and emergency stops, and the closed trades of the paper accounts. */
async function readTradingRecord(database: Database): Promise<TradingRecord> {
  const db = database.db;
  const days = await recordedTradingDays(db);
  const paperAccounts = days
    .filter((d) => venueOfWorkflowId(d.workflowId) === 'paper')
    .map((d) => d.accountId);
  const [trades, stops] = await Promise.all([closedTradesOf(db, paperAccounts), emergencyStopEvents(db)]);
  return {
    days,
    trades: trades.map((t) => ({
      id: t.id,
      accountId: t.accountId,
      tradingDate: t.tradingDate,
      realizedPnl: toMicros(t.realizedPnl),
      closedAtMs: t.closedAt ? t.closedAt.getTime() : null,
    })),
    emergencyStops: stops.map((s) => ({
      eventKey: s.eventKey,
      tradingDate: s.tradingDate,
      // `catalyst halt` with no day running records the venue it flattened in its details.
      venue: typeof s.details?.venue === 'string' ? s.details.venue : null,
    })),
  };
}

/** GET /v2/account with the paper keys, as `catalyst up` would trade paper; skipped without keys. */
async function probeBroker(env: Env): Promise<BrokerProbe> {
  let endpoint = 'the paper endpoint';
  try {
    // Never live: the checklist is about the paper account, whatever the live opt-ins say.
    const gate = resolveTradingVenue({ env, liveFlag: false });
    if (gate.venue === 'simulator')
      return {
        kind: 'skipped',
        reason: 'no paper keys (ALPACA_API_KEY and ALPACA_SECRET_KEY are unset)',
      };
    endpoint = gate.tradingBaseUrl!;
    const account = await createAlpacaBroker({
      keyId: env.ALPACA_API_KEY!,
      secretKey: env.ALPACA_SECRET_KEY!,
      tradingBaseUrl: gate.tradingBaseUrl!,
      dataBaseUrl: gate.dataBaseUrl!,
      paper: true,
      timeoutMs: BROKER_TIMEOUT_MS,
    }).getAccount();
    return {
      kind: 'reached',
      endpoint,
      accountNumber: account.accountNumber || account.id,
      status: account.status,
      tradingBlocked: account.tradingBlocked,
    };
  } catch (err) {
    return { kind: 'unreachable', endpoint, message: messageOf(err) };
  }
}

/** The outbox's alerts and their email state; null when there is no outbox directory. */
function readOutbox(dir: string): OutboxAlert[] | null {
  if (!existsSync(dir)) return null;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((file) => {
      const path = join(dir, file);
      let email = 'unreadable';
      try {
        const entry = JSON.parse(readFileSync(path, 'utf8')) as { email?: unknown };
        if (typeof entry.email === 'string') email = entry.email;
      } catch {
        // A hand-edited or half-written file: shown as unreadable, never trusted as sent.
      }
      return { file, email, writtenAtMs: statSync(path).mtimeMs };
    });
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message || err.name : String(err);
}

/** The innermost cause: drizzle wraps the server's words ("relation … does not exist") in the whole query. */
function rootMessage(err: unknown): string {
  return err instanceof Error && err.cause instanceof Error ? rootMessage(err.cause) : messageOf(err);
}
