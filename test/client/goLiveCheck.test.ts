/**
 * `catalyst go-live-check` through the real binary on a seeded PostgreSQL record: two weeks of
 * passing paper trading exit 0 with every line passing (the broker skipped: no keys); six days
 * exit 1 naming the failing line; simulator days added to those six change nothing.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalystDb } from '../../src/db/createDatabase';
import { upsertPosition } from '../../src/db/repositories/positions';
import { recordRiskEvent } from '../../src/db/repositories/riskEvents';
import { upsertSecurities } from '../../src/db/repositories/securities';
import { finishTradingDay, startTradingDay } from '../../src/db/repositories/tradingDays';
import { sumMicros, toMicros, formatMicros } from '../../src/domain/money';
import { tradingDayWorkflowId, type VenueScope } from '../../src/shared';
import { createMigratedDatabase, type MigratedDatabase } from '../support/migratedDatabase';
import { runCatalyst, type CatalystRun } from '../support/runCatalyst';

const PAPER: VenueScope = { venue: 'paper', account: 'PA3KQ8X2M1ZT' };
const PAPER_ACCOUNT_ID = '5f0c1e4a-paper';
const SIM: VenueScope = { venue: 'simulator' };
const SIM_ACCOUNT_ID = '9a7d2b10-sim';

/** Ten weekdays from Monday 2026-11-02: two weeks of sessions. */
const DATES = [
  '2026-11-02',
  '2026-11-03',
  '2026-11-04',
  '2026-11-05',
  '2026-11-06',
  '2026-11-09',
  '2026-11-10',
  '2026-11-11',
  '2026-11-12',
  '2026-11-13',
];
/** Each day: two wins and a loss, $170 over three trades; its worst dip is the $40 loss. */
const DAY_TRADES = ['150', '60', '-40'];

async function seedDay(db: CatalystDb, date: string, scope: VenueScope, pnls: string[]): Promise<string> {
  const accountId = scope.venue === 'paper' ? PAPER_ACCOUNT_ID : SIM_ACCOUNT_ID;
  const workflowId = tradingDayWorkflowId(date, scope);
  const runId = `run-${date}`;
  await startTradingDay(db, {
    workflowId,
    runId,
    tradingDate: date,
    mode: 'autonomous',
    accountId,
    speed: '1',
  });
  const symbols = ['AAPL', 'MSFT', 'NVDA', 'AMD', 'TSLA'];
  for (const [i, pnl] of pnls.entries()) {
    const symbol = symbols[i % symbols.length]!;
    const entry = '100';
    await upsertPosition(db, {
      accountId,
      tradingDate: date,
      symbol,
      entryClientOrderId: `cat-${date.replace(/-/g, '')}-c0${i + 1}-${symbol}-entry`,
      side: 'long',
      qty: '10',
      entryPrice: entry,
      status: 'closed',
      exitPrice: formatMicros(toMicros(entry) + toMicros(pnl) / 10n, 4),
      realizedPnl: pnl,
      exitReason: 'take_profit',
      openedAt: new Date(`${date}T15:00:00Z`),
      closedAt: new Date(Date.parse(`${date}T16:00:00Z`) + i * 60_000),
    });
  }
  await finishTradingDay(db, {
    workflowId,
    runId,
    status: 'completed',
    cycles: 12,
    ordersSubmitted: pnls.length,
    fills: pnls.length * 2,
    realizedPnl: formatMicros(sumMicros(pnls.map((p) => toMicros(p))), 2),
    openPositionsAtClose: 0,
    openOrdersAtClose: 0,
    halted: false,
  });
  return workflowId;
}

/** The emergency-stop drill, recorded as the day's workflow records it. */
async function seedEmergencyStop(db: CatalystDb, date: string, scope: VenueScope): Promise<void> {
  await recordRiskEvent(db, {
    eventKey: `${tradingDayWorkflowId(date, scope)}/run-${date}/emergency-stop/cli-drill`,
    tradingDate: date,
    eventType: 'emergency_stop',
    severity: 'CRITICAL',
    message: 'Emergency stop (cli): go-live drill',
  });
}

/** A state directory whose outbox holds one alert that was emailed. */
function homeWithSentAlert(): string {
  const home = mkdtempSync(join(tmpdir(), 'catalyst-golive-'));
  mkdirSync(join(home, 'outbox'));
  writeFileSync(
    join(home, 'outbox', 'emergency-cli-drill.json'),
    JSON.stringify({ severity: 'CRITICAL', subject: 'EMERGENCY STOP', email: 'sent', attempts: 1 }),
  );
  return home;
}

// No keys and no database from the environment; '' (unset to Catalyst) also keeps a .env out.
const isolated = (url: string, home: string): NodeJS.ProcessEnv => ({
  DATABASE_URL: url,
  CATALYST_HOME: home,
  ALPACA_API_KEY: '',
  ALPACA_SECRET_KEY: '',
  ALPACA_BASE_URL: '',
});

const goLiveCheck = (args: string[], env: NodeJS.ProcessEnv): Promise<CatalystRun> =>
  runCatalyst(['go-live-check', ...args], env, 60_000);

interface Report {
  ok: boolean;
  checks: { name: string; status: string; detail: string; value: unknown; threshold: unknown }[];
}

const statuses = (report: Report): Record<string, string> =>
  Object.fromEntries(report.checks.map((c) => [c.name, c.status]));

describe('catalyst go-live-check', () => {
  let passing: MigratedDatabase;
  let short: MigratedDatabase;

  beforeAll(async () => {
    [passing, short] = await Promise.all([createMigratedDatabase(), createMigratedDatabase()]);
    await upsertSecurities(passing.db, [{ symbol: 'AAPL', sector: 'Technology' }]);
    for (const date of DATES) await seedDay(passing.db, date, PAPER, DAY_TRADES);
    await seedEmergencyStop(passing.db, '2026-11-05', PAPER);
    for (const date of DATES.slice(0, 6)) await seedDay(short.db, date, PAPER, DAY_TRADES);
    await seedEmergencyStop(short.db, '2026-11-05', PAPER);
  });

  afterAll(async () => {
    await Promise.all([passing?.dispose(), short?.dispose()]);
  });

  it('passes two weeks of good paper trading: exit 0, one line per check, the broker skipped', async () => {
    const env = isolated(passing.url, homeWithSentAlert());
    const [human, json] = await Promise.all([goLiveCheck([], env), goLiveCheck(['--json'], env)]);
    expect(human.code, human.stderr).toBe(0);
    const lines = human.stdout.trim().split('\n');
    expect(lines).toEqual([
      'pass  10 completed paper trading day(s) (2026-11-02 … 2026-11-13) ≥ 10',
      'pass  win rate 66.7 % (20/30) > 50 %',
      'pass  average trade $56.67 ($1,700.00 over 30 trades) > $50.00',
      'pass  max daily drawdown $40.00 (2026-11-02) < $500.00',
      'pass  emergency stop exercised on paper 1 time(s) (2026-11-05) ≥ 1',
      'pass  no failed or crashed paper days (10 day run(s))',
      expect.stringMatching(/^pass {2}database schema current: (\d+) of \1 migration\(s\) applied/),
      'skip  broker not checked: no paper keys (ALPACA_API_KEY and ALPACA_SECRET_KEY are unset)',
      expect.stringMatching(/^pass {2}alerts delivered: 1 of the latest 1 alert\(s\) in .* were emailed$/),
      'ready to go live: no check failed (broker_reachable skip)',
    ]);

    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout.trim()) as Report;
    expect(report.ok).toBe(true);
    expect(statuses(report)).toEqual({
      paper_days: 'pass',
      win_rate: 'pass',
      average_trade: 'pass',
      max_daily_drawdown: 'pass',
      emergency_stop: 'pass',
      no_failed_days: 'pass',
      schema_current: 'pass',
      broker_reachable: 'skip',
      alerts_delivered: 'pass',
    });
    const byName = Object.fromEntries(report.checks.map((c) => [c.name, c]));
    expect(byName.paper_days).toMatchObject({ value: 10, threshold: 10 });
    expect(byName.win_rate).toMatchObject({ value: 20 / 30, threshold: 0.5 });
    expect(byName.average_trade).toMatchObject({ value: '56.67', threshold: '50.00' });
    expect(byName.max_daily_drawdown).toMatchObject({ value: '40.00', threshold: '500.00' });
  });

  it('fails six days of paper trading with exit 1, naming the line; simulator days do not make up for it', async () => {
    const home = homeWithSentAlert();
    const before = await goLiveCheck([], isolated(short.url, home));
    expect(before.code, before.stderr).toBe(1);
    expect(before.stdout).toMatch(
      /^FAIL {2}6 completed paper trading day\(s\) \(2026-11-02 … 2026-11-09\) < 10$/m,
    );
    expect(before.stdout.trim().split('\n').at(-1)).toBe(
      'not ready to go live: 1 check(s) failed (paper_days)',
    );

    // A fortnight of splendid simulator days on the same dates and after.
    for (const date of DATES) await seedDay(short.db, date, SIM, ['900', '900', '900']);
    await seedEmergencyStop(short.db, '2026-11-10', SIM);
    const after = await goLiveCheck(['--json'], isolated(short.url, home));
    expect(after.code, after.stderr).toBe(1);
    const report = JSON.parse(after.stdout.trim()) as Report;
    expect(report.ok).toBe(false);
    const paperDays = report.checks.find((c) => c.name === 'paper_days')!;
    expect(paperDays).toMatchObject({ status: 'fail', value: 6 });
    expect(paperDays.detail).toMatch(/not counted: 10 simulator day\(s\)$/);
    // The paper figures are the paper trades' alone.
    expect(report.checks.find((c) => c.name === 'win_rate')!.detail).toBe('win rate 66.7 % (12/18) > 50 %');
    expect(report.checks.find((c) => c.name === 'emergency_stop')!.value).toBe(1);
  });

  it('says in one line that there is no database, and exits 1', async () => {
    const home = mkdtempSync(join(tmpdir(), 'catalyst-golive-empty-'));
    const run = await goLiveCheck([], { ...isolated('', home) });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(
      /^catalyst: no database to check: DATABASE_URL is unset and there is no PGlite database in /,
    );
  });

  it('refuses an unknown flag in one line with exit 2', async () => {
    const run = await goLiveCheck(['--verbose'], isolated(passing.url, homeWithSentAlert()));
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/unknown option '--verbose'/);
  });
});
