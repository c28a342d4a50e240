/**
 * `catalyst report` through the real binary, without Temporal: bad arguments are one line and exit
 * 2; no database or nothing recorded is one line and exit 1 (and no database is created); a day
 * recorded in a PGlite database comes out as one JSON line and as an HTML page.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type CatalystDb } from '../../src/db/createDatabase';
import { upsertOrder } from '../../src/db/repositories/orders';
import { recordRiskEvent } from '../../src/db/repositories/riskEvents';
import { recordScanResults, updateScanScores } from '../../src/db/repositories/scanResults';
import { finishCycle, startCycle } from '../../src/db/repositories/tradingCycles';
import { startTradingDay } from '../../src/db/repositories/tradingDays';
import type { DailyReport } from '../../src/domain/report/reportTypes';
import { runCatalyst, type CatalystRun } from '../support/runCatalyst';
import { ADMIN_DATABASE_URL, createTempDatabase, type TempDatabase } from '../support/tempDatabase';

const DATE = '2026-11-24';
const ACCOUNT = 'sim-account-1';

const report = (args: string[], home: string): Promise<CatalystRun> =>
  runCatalyst(['report', ...args], { CATALYST_HOME: home, DATABASE_URL: undefined }, 60_000);

const oneLine = (text: string): string[] => text.trimEnd().split('\n');

describe('catalyst report: bad arguments', () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'catalyst-report-'));
  });

  it.each([
    [['--date', 'x'], /--date must be a calendar date YYYY-MM-DD \(got "x"\)/],
    [['--date', DATE, '--from', DATE], /--date cannot be used with --from\/--to/],
    [['--date', DATE, '--from', DATE, '--to', DATE], /--date cannot be used with --from\/--to/],
    [['--from', DATE], /--from and --to go together/],
    [['--from', '2026-11-25', '--to', DATE], /--from 2026-11-25 is after --to 2026-11-24/],
    [['--venue', 'moon'], /--venue must be simulator, paper or live/],
  ])('%j: one line, exit 2', async (args, message) => {
    const run = await report(args, home);
    expect(run.code, run.stderr).toBe(2);
    expect(oneLine(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('no database: one line naming where it looked, exit 1, and nothing created', async () => {
    const run = await report([], home);
    expect(run.code, run.stderr).toBe(1);
    expect(oneLine(run.stderr)).toEqual([
      `catalyst: no Catalyst database at ${join(home, 'pgdata')}: run catalyst up first, or set DATABASE_URL`,
    ]);
    expect(existsSync(join(home, 'pgdata'))).toBe(false);
  });
});

describe('catalyst report: a recorded day', () => {
  let home: string;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'catalyst-report-db-'));
    const database = await createDatabase({ pgliteDir: join(home, 'pgdata') });
    try {
      await seedDay(database.db);
    } finally {
      await database.close();
    }
  }, 120_000);

  it('--json: one JSON line with the trade, its exit reason, its scores and the figures', async () => {
    const run = await report(['--json'], home);
    expect(run.code, run.stderr).toBe(0);
    const lines = oneLine(run.stdout);
    expect(lines).toHaveLength(1);
    const r = JSON.parse(lines[0]!) as DailyReport;
    expect(r.from).toBe(DATE); // the latest recorded day by default
    expect(r.trades).toEqual([
      expect.objectContaining({
        symbol: 'AAPL',
        quantity: 10,
        entryPrice: '100.25',
        exitPrice: '106.27',
        realizedPnl: '60.20',
        exitReason: 'target',
        holdSeconds: 65 * 60,
        why: {
          factors: {
            composite: 74.5,
            news: 66,
            technical: 71,
            pattern: 60,
            momentum: 82,
            volume: 77,
            finalRank: 1,
          },
          riskApproved: true,
          riskReasons: ['size 10 sh: risk_per_trade_pct'],
        },
      }),
    ]);
    expect(r.figures).toMatchObject({ trades: 1, totalPnl: '60.20', winRate: 1, profitFactor: null });
    expect(r.risk).toMatchObject({
      judged: 2,
      approved: 1,
      rejected: 1,
      rejectionReasons: [{ reason: 'max positions', count: 1 }],
    });
    expect(r.riskEvents.map((e) => e.eventType)).toEqual(['daily_loss_warning']);
    expect(r.cycles.map((c) => c.funnel?.orders)).toEqual([1]);
  });

  it('tables for people, and --html writes the page', async () => {
    const file = join(home, 'out', 'day.html');
    const run = await report(['--date', DATE, '--venue', 'simulator', '--html', file], home);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/realized P&L\s+\+\$60\.20/);
    expect(run.stdout).toMatch(/AAPL .* target/);
    expect(run.stdout).toContain(`HTML report: ${file}`);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('class="trade-bar win"');
    expect(html).toContain('class="equity-line"');
  });

  it('--open writes the page under $CATALYST_HOME/reports and hands it to the desktop opener; without one, says where it is', async () => {
    // The desktop's opener (xdg-open, macOS open) is the one part that cannot run here: a script
    // of that name on PATH stands in for it and writes down what it was asked to open.
    const bin = mkdtempSync(join(tmpdir(), 'catalyst-opener-'));
    const asked = join(bin, 'asked.txt');
    const opener = join(bin, process.platform === 'darwin' ? 'open' : 'xdg-open');
    writeFileSync(opener, `#!/bin/sh\nprintf '%s' "$1" > '${asked}'\n`, { mode: 0o755 });
    const page = join(home, 'reports', `report-${DATE}.html`);
    const run = await runCatalyst(
      ['report', '--date', DATE, '--open'],
      {
        CATALYST_HOME: home,
        DATABASE_URL: undefined,
        PATH: `${bin}${delimiter}${process.env.PATH}`,
      },
      60_000,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`HTML report: ${page}`);
    for (let i = 0; i < 50 && !existsSync(asked); i++) await new Promise((r) => setTimeout(r, 100));
    expect(readFileSync(asked, 'utf8')).toBe(page);
    expect(readFileSync(page, 'utf8')).toContain('class="equity-line"');

    const none = await runCatalyst(
      ['report', '--date', DATE, '--open'],
      {
        CATALYST_HOME: home,
        DATABASE_URL: undefined,
        PATH: mkdtempSync(join(tmpdir(), 'catalyst-no-opener-')), // nothing on it: no opener
      },
      60_000,
    );
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout + none.stderr).toContain(`open ${page} in a browser`);
  });

  it('nothing recorded for the date or the venue: one line, exit 1', async () => {
    const day = await report(['--date', '2026-11-25'], home);
    expect(day.code).toBe(1);
    expect(oneLine(day.stderr)).toEqual([
      `catalyst: no trading day recorded on 2026-11-25 in ${join(home, 'pgdata')}`,
    ]);
    const venue = await report(['--venue', 'paper'], home);
    expect(venue.code).toBe(1);
    expect(oneLine(venue.stderr)).toHaveLength(1);
    expect(venue.stderr).toMatch(/nothing recorded on the paper venue/);
  });
});

/** One recorded simulator day: a cycle, two judged candidates, one trade closed at its target. */
async function seedDay(db: CatalystDb): Promise<void> {
  const workflowId = `trading-day-${DATE}-sim`;
  await startTradingDay(db, {
    workflowId,
    runId: 'run-1',
    tradingDate: DATE,
    mode: 'autonomous',
    accountId: ACCOUNT,
    speed: '600',
  });
  const cycleId = `${DATE}-c01-run1`;
  await startCycle(db, {
    cycleId,
    tradingDate: DATE,
    workflowId,
    runId: 'run-1',
    cycleNumber: 1,
    marketTime: '2026-11-24T14:35:00.000Z',
    config: { trading: { workflow: { flatten_before_close_minutes: 10 } } },
  });
  await finishCycle(db, {
    cycleId,
    status: 'completed',
    funnel: {
      universe: 4125,
      scanned: 200,
      news: 35,
      patterns: 20,
      technical: 10,
      scored: 2,
      risk_approved: 1,
      orders: 1,
    },
  });
  await recordScanResults(db, cycleId, [
    { symbol: 'AAPL', rank: 1, price: '100', volume: 1_000_000, scanScore: 80, newsScore: 66 },
    { symbol: 'MSFT', rank: 2, price: '50', volume: 900_000, scanScore: 70, newsScore: 55 },
  ]);
  await updateScanScores(db, cycleId, [
    {
      symbol: 'AAPL',
      compositeScore: 74.5,
      technicalScore: 71,
      patternScore: 60,
      momentumScore: 82,
      volumeScore: 77,
      finalRank: 1,
      riskApproved: true,
      riskReasons: ['size 10 sh: risk_per_trade_pct'],
    },
    {
      symbol: 'MSFT',
      compositeScore: 58,
      finalRank: 2,
      riskApproved: false,
      riskReasons: ['max positions: 5 of 5 held'],
    },
  ]);
  const entry = await upsertOrder(db, {
    accountId: ACCOUNT,
    brokerOrderId: 'b-entry',
    clientOrderId: 'cat-20261124-c01-AAPL-entry',
    cycleId,
    tradingDate: DATE,
    symbol: 'AAPL',
    side: 'buy',
    type: 'limit',
    orderClass: 'bracket',
    legRole: 'entry',
    qty: '10',
    filledQty: '10',
    filledAvgPrice: '100.25',
    limitPrice: '100.50',
    status: 'filled',
    submittedAt: '2026-11-24T14:36:00.000Z',
    filledAt: '2026-11-24T14:36:00.000Z',
  });
  await upsertOrder(db, {
    accountId: ACCOUNT,
    brokerOrderId: 'b-target',
    clientOrderId: 'leg-target',
    tradingDate: DATE,
    symbol: 'AAPL',
    side: 'sell',
    type: 'limit',
    legRole: 'take_profit',
    parentBrokerOrderId: entry.brokerOrderId,
    qty: '10',
    filledQty: '10',
    filledAvgPrice: '106.27',
    limitPrice: '106.27',
    status: 'filled',
    submittedAt: '2026-11-24T14:36:00.000Z',
    filledAt: '2026-11-24T15:41:00.000Z',
  });
  await recordRiskEvent(db, {
    eventKey: `${ACCOUNT}/${DATE}/daily-loss-warning`,
    tradingDate: DATE,
    eventType: 'daily_loss_warning',
    severity: 'WARNING',
    message: 'a warning',
  });
}

describe('catalyst report as the read-only role', () => {
  let temp: TempDatabase;
  const reader = `report_reader_${randomBytes(4).toString('hex')}`;
  const admin = () => new pg.Client({ connectionString: temp.url });

  beforeAll(async () => {
    temp = await createTempDatabase();
    const database = await createDatabase({ url: temp.url }); // migrations create catalyst_readonly
    try {
      await seedDay(database.db);
    } finally {
      await database.close();
    }
    const c = admin();
    await c.connect();
    try {
      await c.query(`CREATE ROLE ${reader} LOGIN IN ROLE catalyst_readonly`);
    } finally {
      await c.end();
    }
  }, 120_000);
  afterAll(async () => {
    await temp?.drop();
    const c = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
    await c.connect();
    await c.query(`DROP ROLE IF EXISTS ${reader}`).finally(() => c.end());
  });

  it('reads the day as a login granted catalyst_readonly (no migrations, no writes)', async () => {
    const url = new URL(temp.url);
    url.username = reader;
    const run = await runCatalyst(
      ['report', '--json'],
      { CATALYST_HOME: mkdtempSync(join(tmpdir(), 'catalyst-report-ro-')), DATABASE_URL: url.toString() },
      60_000,
    );
    expect(run.code, run.stderr).toBe(0);
    const r = JSON.parse(oneLine(run.stdout)[0]!) as DailyReport;
    expect(r.figures).toMatchObject({ trades: 1, totalPnl: '60.20' });
  });
});
