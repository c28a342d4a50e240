/**
 * Issue 9 §5: a flash crash on the embedded simulator, as an operator runs it through the real
 * binary: `catalyst up --speed 600 --seed 11 --scenario crash --date 2026-11-27 --json`. The crash
 * passes Catalyst's stops between two prints, so they fill far below their stop prices; the daily
 * loss limit is reached, the emergency stop flattens and halts, and the day ends flat. The risk
 * gate keeps the day's P&L minus the worst case of its open stops above −max_loss, so the limit
 * can only be overrun by what the closing fills lost beyond their stops: the closing slippage.
 *
 * The same run is the day whose metrics and logs are checked (one simulated day for both): with
 * METRICS_PORT set (a throwaway PostgreSQL database) it is scraped over HTTP all day long. Mid-day,
 * once orders went out, the scrape has Catalyst's order counter, the monitor's tick lag and
 * Temporal's own runtime metrics; after the day's summary it has the cycles' durations, the fills
 * and the daily report's alert, and agrees with the summary. Then Ctrl-C stops it (without
 * `--once` the next session's day has started by then). With LOG_FORMAT=json every line the
 * process wrote is one JSON object, and none of them, nor any scrape, holds a secret the
 * environment gave it: the database password (PostgreSQL's trust authentication ignores it), the
 * SMTP password and the news keys. (`catalyst worker`'s metrics: test/e2e/metrics.test.ts.)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { toMicros } from '../../src/domain/money';
import { temporalInterceptors } from '../../src/stack/temporalConnection';
import { freePort } from '../support/freePort';
import { runCatalyst, simulatorEnv, startCatalyst, type CatalystRun } from '../support/runCatalyst';
import { createTempDatabase, type TempDatabase } from '../support/tempDatabase';

// A fixed past date: the same day on every run, and not today's `trading-day-<today>-sim`, which
// the schedule test launches on the same dev server; the day after Thanksgiving closes at 13:00,
// which keeps the run short (the crash and the stop come before noon).
const DATE = '2026-11-27';
const SEED = 11;
const UP = ['up', '--speed', '600', '--seed', String(SEED), '--scenario', 'crash', '--date', DATE, '--json'];
// The global setup's bundle of src/workflows: the run need not bundle it again (standaloneSim's
// `up` still bundles at start, as a user's does).
const upArgs = (): string[] => [...UP, '--workflow-bundle', inject('workflowBundlePath')];
const CENT = 10_000n;
const SECRETS = {
  db: 'db-pw-4f9c2e7b',
  smtp: 'smtp-pw-8d1a6c3f',
  news: 'news-key-2b7e9a41',
  benzinga: 'benzinga-key-6c0d3f95',
};

interface DaySummary {
  status: string;
  tradingDate: string;
  ordersSubmitted: number;
  cycles: number;
  fills: number;
  realizedPnl: string;
  halted: boolean;
  haltReason: string | null;
  openPositionsAtClose: number;
  openOrdersAtClose: number;
  maxLoss: string;
  closingSlippage: string;
  scenario: string | null;
  riskEvents: { type: string; severity: string; message: string; marketTime: string }[];
}

interface Scrape {
  text: string;
  /** The day's summary was on stdout before this scrape was asked for. */
  afterDay: boolean;
}

/** The value of one series of a scrape (the first line that starts with it). */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};
/** The sum of every series of a metric whose name (and labels) start with `prefix`. */
const total = (text: string, prefix: string): number =>
  text
    .split('\n')
    .filter((l) => l.startsWith(prefix))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);

describe('one crash day of `catalyst up`, scraped for its metrics', () => {
  let database: TempDatabase;
  let run: CatalystRun;
  const scrapes: Scrape[] = [];
  let day: DaySummary;

  beforeAll(async () => {
    database = await createTempDatabase();
    const url = new URL(database.url);
    url.username = url.username || 'postgres';
    url.password = SECRETS.db;
    const metricsPort = await freePort();
    const up = startCatalyst(
      upArgs(),
      {
        ...simulatorEnv(mkdtempSync(join(tmpdir(), 'catalyst-home-')), inject('temporalAddress')),
        DATABASE_URL: url.toString(),
        METRICS_PORT: String(metricsPort),
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'info',
        // A login without a server: alerts stay in the outbox, the password in the environment.
        SMTP_USERNAME: 'catalyst-test',
        SMTP_PASSWORD: SECRETS.smtp,
        NEWS_API_KEY: SECRETS.news,
        BENZINGA_API_KEY: SECRETS.benzinga,
      },
      280_000,
    );
    const exited = up.exited.then((r) => (run = r));
    const dayDone = (): boolean => up.stdout().includes('"workflowId"');
    // Scrapes every 250 ms until one comes after the day's summary; then Ctrl-C.
    let gone = false;
    void exited.then(() => (gone = true));
    while (!gone) {
      const afterDay = dayDone();
      const text = await fetch(`http://127.0.0.1:${metricsPort}/metrics`)
        .then((r) => (r.ok ? r.text() : null))
        .catch(() => null);
      if (text !== null) scrapes.push({ text, afterDay });
      if (text !== null && afterDay) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    up.kill('SIGINT');
    await exited;
    if (run.code !== 0) throw new Error(`catalyst up exited with ${run.code}:\n${run.stderr.slice(-3000)}`);
    // The crash day's summary; the next session's day was stopped by the Ctrl-C before it had one.
    day = JSON.parse(run.stdout.trim().split('\n')[0]!) as DaySummary;
  }, 300_000);

  afterAll(async () => {
    // Ctrl-C leaves the next session's day in Temporal (as it says): end it and its monitor.
    const connection = await Connection.connect({
      interceptors: temporalInterceptors(),
      address: inject('temporalAddress'),
    });
    const client = new Client({ connection });
    const started = (run?.stderr ?? '')
      .split('\n')
      .map((l) => /trading day (\S+) started/.exec(l)?.[1])
      .filter((id): id is string => id !== undefined);
    for (const id of started)
      await client.workflow
        .getHandle(id)
        .terminate('test over')
        .catch(() => undefined);
    await connection.close();
    await database?.drop();
  });

  describe('catalyst up --scenario crash', () => {
    it('reaches the daily loss limit through the crash, stops, and ends the day flat and halted', () => {
      // Without entries before the crash there is nothing to lose: at speed 600 a host too slow
      // for a cycle's 30 market minutes (3 s) places no orders at all.
      expect(day.ordersSubmitted, `no entries: ${run.stderr.slice(-3000)}`).toBeGreaterThan(0);
      expect(day).toMatchObject({
        status: 'completed',
        scenario: 'crash',
        halted: true,
        openPositionsAtClose: 0,
        openOrdersAtClose: 0,
        maxLoss: '2000.00',
      });
      const types = day.riskEvents.map((e) => `${e.severity} ${e.type}`);
      expect(types).toContain('WARNING daily_loss_warning');
      expect(types).toContain('CRITICAL emergency_stop');
      for (const e of day.riskEvents) expect(e.marketTime.slice(0, 10)).toBe(day.tradingDate);
    });

    it('overruns the limit by no more than its closing fills lost below their stops', () => {
      const loss = -toMicros(day.realizedPnl);
      const maxLoss = toMicros(day.maxLoss);
      const slippage = toMicros(day.closingSlippage);
      expect(loss, `realized ${day.realizedPnl}`).toBeGreaterThanOrEqual(maxLoss);
      expect(slippage).toBeGreaterThan(0n);
      expect(loss - maxLoss, `loss ${day.realizedPnl}, slippage ${day.closingSlippage}`).toBeLessThanOrEqual(
        slippage + CENT,
      );
    });
  });

  describe('metrics and logs of a simulated day', () => {
    it('runs the day and stops cleanly on Ctrl-C', () => {
      expect(run.code, run.stderr.slice(-2_000)).toBe(0);
      expect(day).toMatchObject({ status: 'completed', tradingDate: DATE, openPositionsAtClose: 0 });
      expect(day.ordersSubmitted).toBeGreaterThan(0);
    });

    it("serves Catalyst's and Temporal's metrics mid-day, once orders went out", () => {
      const midDay = scrapes.find(
        (s) =>
          !s.afterDay && (sample(s.text, 'catalyst_orders_submitted_total{side="buy",leg="entry"}') ?? 0) > 0,
      );
      expect(midDay, `no mid-day scrape after an order (${scrapes.length} scrapes)`).toBeDefined();
      const text = midDay!.text;
      // The bracket's legs go with the entry.
      expect(sample(text, 'catalyst_orders_submitted_total{side="sell",leg="stop_loss"}')).toBeGreaterThan(0);
      expect(sample(text, 'catalyst_monitor_tick_lag_seconds_count')).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'catalyst_monitor_last_tick_timestamp_seconds')).toBeGreaterThan(
        Date.now() / 1000 - 300,
      );
      expect(total(text, 'catalyst_stage_duration_seconds_count{stage="scan"')).toBeGreaterThan(0);
      expect(
        sample(
          text,
          `catalyst_worker_info{venue="simulator",account="PA${String(SEED).padStart(10, '0')}",task_queue="catalyst-sim"}`,
        ),
      ).toBe(1);
      // Temporal's runtime metrics, appended from the Core SDK's exporter.
      expect(sample(text, 'catalyst_temporal_metrics_up')).toBe(1);
      expect(text).toMatch(/^temporal_activity_execution_latency_seconds_count\{/m);
      expect(text).toMatch(/^temporal_num_pollers\{/m);
      // And the process's own.
      expect(text).toMatch(/^process_resident_memory_bytes \d/m);
    });

    it("after the day: cycles timed, fills and alerts counted, agreeing with the day's summary", () => {
      const after = scrapes.at(-1)!;
      expect(after.afterDay).toBe(true);
      const text = after.text;
      expect(total(text, 'catalyst_cycle_duration_seconds_count')).toBeGreaterThanOrEqual(1);
      expect(total(text, 'catalyst_cycle_duration_seconds_count')).toBe(day.cycles);
      expect(sample(text, 'catalyst_orders_submitted_total{side="buy",leg="entry"}')).toBe(
        day.ordersSubmitted,
      );
      expect(total(text, 'catalyst_fills_total')).toBe(day.fills);
      // The daily report went to the outbox (no SMTP server): an INFO alert.
      expect(
        sample(text, 'catalyst_alerts_total{severity="INFO",outcome="not_configured"}'),
      ).toBeGreaterThanOrEqual(1);
      expect(text).toMatch(/^catalyst_realized_pnl_dollars\{venue="simulator"\} -?\d/m);
    });

    it('with LOG_FORMAT=json writes only JSON lines, and never a secret', () => {
      const stderr = run.stderr.split('\n').filter(Boolean);
      expect(stderr.length).toBeGreaterThan(5);
      for (const line of stderr) {
        let record: Record<string, unknown>;
        try {
          record = JSON.parse(line) as Record<string, unknown>;
        } catch {
          throw new Error(`not a JSON log line: ${line}`);
        }
        expect(record).toEqual(
          expect.objectContaining({
            level: expect.any(String),
            time: expect.any(String),
            msg: expect.any(String),
          }),
        );
      }
      const messages = stderr.map((l) => (JSON.parse(l) as { msg: string }).msg);
      expect(messages).toContain('database: PostgreSQL (DATABASE_URL)');
      expect(messages.some((m) => m.startsWith('metrics: http://127.0.0.1:'))).toBe(true);
      expect(messages.some((m) => /cycle 1: \d+ symbols/.test(m))).toBe(true);
      // stdout is the command's output: the day's summary, one JSON line.
      for (const line of run.stdout.split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
      const everything = [run.stdout, run.stderr, ...scrapes.map((s) => s.text)].join('\n');
      for (const [what, secret] of Object.entries(SECRETS)) expect(everything, what).not.toContain(secret);
    });
  });
});

describe('catalyst up --scenario on the wrong venue or with a bad spec', () => {
  it('refuses a scenario off the embedded simulator, in one line, exit 2', async () => {
    const home = mkdtempSync(join(tmpdir(), 'catalyst-home-'));
    const paper = await runCatalyst(
      ['up', '--once', '--scenario', 'crash'],
      {
        ...simulatorEnv(home, inject('temporalAddress')),
        ALPACA_API_KEY: 'PKTESTONLY0000000000',
        ALPACA_SECRET_KEY: 'not-a-secret',
      },
      60_000,
    );
    expect(paper.code).toBe(2);
    expect(paper.stderr.trim().split('\n')).toEqual([
      'catalyst: --scenario shapes the embedded simulator only; this run trades Alpaca paper (unset ALPACA_API_KEY and ALPACA_SECRET_KEY for the simulator)',
    ]);
  });

  it('names the spec and the problem as `catalyst sim` does, exit 2', async () => {
    const home = mkdtempSync(join(tmpdir(), 'catalyst-home-'));
    for (const cmd of ['up', 'sim']) {
      const bad = await runCatalyst(
        [cmd, '--scenario', 'crash@25:00'],
        simulatorEnv(home, inject('temporalAddress')),
        60_000,
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
      expect(bad.stderr).toMatch(
        /^catalyst: --scenario: invalid market scenario "crash@25:00": .*outside the session/,
      );
    }
  });
});
