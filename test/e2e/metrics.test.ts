/**
 * `catalyst worker` serves its metrics over HTTP (METRICS_PORT): its venue and Temporal's pollers
 * in them, and a metrics port already taken stops it at start with one line.
 *
 * The metrics and logs of `catalyst up` during a real simulated day (scraped mid-day and after
 * the day, LOG_FORMAT=json, no secret anywhere) are checked on the crash scenario's day, in
 * test/e2e/crashScenario.test.ts: one simulated day for both.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/startSimulator';
import { freePort } from '../support/freePort';
import { runCatalyst, startCatalyst } from '../support/runCatalyst';
import { createTempDatabase, type TempDatabase } from '../support/tempDatabase';

// A fixed past date; the simulator runs at ×1 and no day is started.
const DATE = '2026-11-27';
const SEED = 47;

/** The value of one series of a scrape (the first line that starts with it). */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

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
