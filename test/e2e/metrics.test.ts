/**
 * The worker's metrics and logs during a real simulated day: `catalyst up --speed 600` (the real
 * binary, on the shared dev server and a throwaway PostgreSQL database) with METRICS_PORT set is
 * scraped over HTTP all day long. Mid-day, once orders went out, the scrape has Catalyst's
 * order counter, the monitor's tick lag and Temporal's own runtime metrics; after the day's
 * summary it has the cycles' durations, the fills and the daily report's alert, and agrees with
 * the summary. Then Ctrl-C stops it.
 *
 * With LOG_FORMAT=json every line the process wrote is one JSON object, and none of them, nor
 * any scrape, holds a secret the environment gave it: the database password (PostgreSQL's trust
 * authentication ignores it), the SMTP password and the news keys.
 *
 * `catalyst worker` serves the same endpoint (its venue and Temporal's pollers in it), and a
 * metrics port already taken stops it at start with one line.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/startSimulator';
import { freePort } from '../support/freePort';
import { runCatalyst, simulatorEnv, startCatalyst, type CatalystRun } from '../support/runCatalyst';
import { createTempDatabase, type TempDatabase } from '../support/tempDatabase';
import { temporalInterceptors } from '../../src/stack/temporalConnection';

// The day after Thanksgiving closes at 13:00: a short session.
const DATE = '2026-11-27';
const SEED = 47;
const SECRETS = {
  db: 'db-pw-4f9c2e7b',
  smtp: 'smtp-pw-8d1a6c3f',
  news: 'news-key-2b7e9a41',
  benzinga: 'benzinga-key-6c0d3f95',
};

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

describe('metrics and logs of a simulated day', () => {
  let database: TempDatabase;
  let run: CatalystRun;
  const scrapes: Scrape[] = [];
  let summary: Record<string, unknown>;

  beforeAll(async () => {
    database = await createTempDatabase();
    const url = new URL(database.url);
    url.username = url.username || 'postgres';
    url.password = SECRETS.db;
    const metricsPort = await freePort();
    const home = mkdtempSync(join(tmpdir(), 'catalyst-home-'));
    const up = startCatalyst(
      ['up', '--speed', '600', '--seed', String(SEED), '--date', DATE, '--json'],
      {
        ...simulatorEnv(home, inject('temporalAddress')),
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
      240_000,
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
    summary = JSON.parse(run.stdout.trim().split('\n')[0]!) as Record<string, unknown>;
  }, 240_000);

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

  it('runs the day and stops cleanly on Ctrl-C', () => {
    expect(run.code, run.stderr.slice(-2_000)).toBe(0);
    expect(summary).toMatchObject({ status: 'completed', tradingDate: DATE, openPositionsAtClose: 0 });
    expect(summary.ordersSubmitted).toBeGreaterThan(0);
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
        'catalyst_worker_info{venue="simulator",account="PA00000000' + SEED + '",task_queue="catalyst-sim"}',
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
    expect(total(text, 'catalyst_cycle_duration_seconds_count')).toBe(summary.cycles);
    expect(sample(text, 'catalyst_orders_submitted_total{side="buy",leg="entry"}')).toBe(
      summary.ordersSubmitted,
    );
    expect(total(text, 'catalyst_fills_total')).toBe(summary.fills);
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

describe('`catalyst worker` metrics', () => {
  let sim: RunningSimulator;
  let database: TempDatabase;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    database = await createTempDatabase();
    sim = await startSimulator({ seed: SEED + 1, speed: 1, date: DATE, rateLimitPerMinute: 0 });
    env = {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      DATABASE_URL: database.url,
      ALPACA_BASE_URL: sim.url,
      ALPACA_API_KEY: sim.keyId,
      ALPACA_SECRET_KEY: sim.secretKey,
      ALPACA_DATA_URL: undefined,
      CATALYST_HOME: mkdtempSync(join(tmpdir(), 'catalyst-home-')),
    };
  });
  afterAll(async () => {
    await sim?.close();
    await database?.drop();
  });

  it("serves the worker's venue and Temporal's pollers, and drains on SIGTERM", async () => {
    const metricsPort = await freePort();
    const worker = startCatalyst(
      ['worker', '--workflow-bundle', inject('workflowBundlePath')],
      { ...env, METRICS_PORT: String(metricsPort), LOG_FORMAT: 'json' },
      120_000,
    );
    let text = '';
    const deadline = Date.now() + 60_000;
    // Pollers show once the worker polls, a moment after it says it is ready.
    while (Date.now() < deadline && !/^temporal_num_pollers\{/m.test(text)) {
      if (worker.stdout().includes('worker ready'))
        text = await fetch(`http://127.0.0.1:${metricsPort}/metrics`)
          .then((r) => r.text())
          .catch(() => '');
      await new Promise((r) => setTimeout(r, 250));
    }
    worker.kill('SIGTERM');
    const run = await worker.exited;
    expect(run.code, run.stderr).toBe(0);
    expect(text).toMatch(/^temporal_num_pollers\{/m);
    expect(sample(text, 'catalyst_temporal_metrics_up')).toBe(1);
    expect(text).toMatch(
      new RegExp(
        `^catalyst_worker_info\\{venue="paper",account="(\\w+)",task_queue="catalyst-paper-\\1"\\} 1$`,
        'm',
      ),
    );
    expect(sample(text, 'catalyst_orders_submitted_total{side="buy",leg="entry"}')).toBe(0);
    const records = run.stderr
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { msg: string });
    expect(records.map((r) => r.msg)).toContain(
      `metrics: http://127.0.0.1:${metricsPort}/metrics (Catalyst's catalyst_*, the process's and Temporal's temporal_* metrics)`,
    );
    expect(run.stderr + text).not.toContain(sim.secretKey);
  });

  it('stops at start with one line when the metrics port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    try {
      const run = await runCatalyst(['worker'], { ...env, METRICS_PORT: String(port) }, 60_000);
      expect(run.code).toBe(1);
      expect(run.stderr.trim()).toBe(
        `catalyst: METRICS_PORT ${port}: 127.0.0.1:${port} is already in use (choose another METRICS_PORT, or unset it)`,
      );
      expect(run.stdout).not.toMatch(/worker ready/);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });
});
