/**
 * Several workers share one venue's work: two `catalyst worker` processes (the real binary, with
 * the prebuilt workflow bundle, as the Docker image runs them) poll the same task queue against
 * the shared dev server, a throwaway PostgreSQL database and a standalone simulator reached
 * through ALPACA_BASE_URL. `catalyst day start` starts one day on them; the day's Temporal
 * history shows scan chunks started by each worker. `catalyst day stop` then cancels the day,
 * which flattens Catalyst's book and ends cancelled, and SIGTERM drains each worker to exit 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAlpacaBroker } from '../../src/broker/alpacaBroker';
import type { Broker } from '../../src/broker/port';
import { sessionBoundsMs } from '../../src/domain/calendar';
import { parseClientOrderId } from '../../src/domain/clientOrderId';
import { isOpenOrder } from '../../src/domain/positions';
import { startSimulator, type RunningSimulator } from '../../src/sim/startSimulator';
import { allBrokerOrders } from '../support/bookChecks';
import { PROJECT_DIR } from '../support/catalystHarness';
import { runCatalyst, type CatalystRun } from '../support/runCatalyst';
import { createTempDatabase, type TempDatabase } from '../support/tempDatabase';
import { temporalInterceptors } from '../../src/stack/temporalConnection';

// The day after Thanksgiving closes at 13:00: a short session. A seed of its own: the account
// (PA0000000041), and with it the task queue and the day's id, are this file's alone.
const DATE = '2026-11-27';
const SPEED = 600;
const SEED = 41;
const WORKFLOW_ID = `trading-day-${DATE}-paper-PA00000000${SEED}`;

interface WorkerProcess {
  child: ChildProcess;
  identity: string;
  output(): string;
  exited: Promise<number | null>;
}

/** `catalyst worker` in its own process; resolves once it says it polls. */
async function startWorker(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    [
      'bin/catalyst.mjs',
      'worker',
      '--speed',
      String(SPEED),
      '--workflow-bundle',
      inject('workflowBundlePath'),
    ],
    { cwd: PROJECT_DIR, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      if (output.includes('worker ready')) {
        clearInterval(poll);
        resolve();
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(poll);
      reject(new Error(`catalyst worker exited with ${code} before it was ready:\n${output}`));
    });
  });
  // The SDK's default worker identity: pid@host.
  return { child, identity: `${child.pid}@${hostname()}`, output: () => output, exited };
}

/** How many of the day's scan-chunk activities each worker identity started (from the history). */
async function scanChunksByWorker(client: Client, workflowId: string): Promise<Map<string, number>> {
  const { events } = await client.workflow.getHandle(workflowId).fetchHistory();
  const chunks = new Set<string>();
  for (const e of events ?? [])
    if (e.activityTaskScheduledEventAttributes?.activityType?.name === 'scanChunk')
      chunks.add(String(e.eventId));
  const byWorker = new Map<string, number>();
  for (const e of events ?? []) {
    const started = e.activityTaskStartedEventAttributes;
    if (started && chunks.has(String(started.scheduledEventId)))
      byWorker.set(started.identity ?? '?', (byWorker.get(started.identity ?? '?') ?? 0) + 1);
  }
  return byWorker;
}

const lastJson = (run: CatalystRun): Record<string, unknown> =>
  JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;

describe('two `catalyst worker` processes share one day', () => {
  let sim: RunningSimulator;
  let temp: TempDatabase;
  let client: Client;
  let broker: Broker;
  let workers: WorkerProcess[] = [];
  let start: CatalystRun;
  let stop: CatalystRun;
  let byWorker = new Map<string, number>();
  let exits: (number | null)[] = [];

  beforeAll(async () => {
    temp = await createTempDatabase();
    // The clock starts long before the open (up to 57 s of wall time at this speed), so the
    // workers have time to start, and moves to just before the open once they are ready.
    sim = await startSimulator({
      seed: SEED,
      speed: SPEED,
      date: DATE,
      preOpenMinutes: 570,
      rateLimitPerMinute: 0,
    });
    broker = createAlpacaBroker({
      keyId: sim.keyId,
      secretKey: sim.secretKey,
      tradingBaseUrl: sim.url,
      dataBaseUrl: sim.url,
      paper: true,
      clockSpeed: SPEED,
    });
    const env: NodeJS.ProcessEnv = {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      DATABASE_URL: temp.url,
      ALPACA_BASE_URL: sim.url,
      ALPACA_API_KEY: sim.keyId,
      ALPACA_SECRET_KEY: sim.secretKey,
      ALPACA_DATA_URL: undefined,
      CATALYST_HOME: mkdtempSync(join(tmpdir(), 'catalyst-home-')),
    };
    client = new Client({
      connection: await Connection.connect({
        interceptors: temporalInterceptors(),
        address: inject('temporalAddress'),
      }),
    });
    workers = await Promise.all([startWorker(env), startWorker(env)]);

    const openMs = sessionBoundsMs(DATE)!.openMs;
    if (sim.nowMs() < openMs - 3 * 60_000) {
      sim.prepareSession();
      sim.advanceTo(openMs - 3 * 60_000);
    }
    start = await runCatalyst(['day', 'start', '--speed', String(SPEED), '--json'], env, 60_000);
    if (start.code !== 0) throw new Error(`catalyst day start failed (${start.code}):\n${start.stderr}`);

    // Scan chunks are written to the history as they complete: wait until both workers show up.
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      byWorker = await scanChunksByWorker(client, WORKFLOW_ID);
      if (workers.every((w) => (byWorker.get(w.identity) ?? 0) > 0)) break;
      await new Promise((r) => setTimeout(r, 250));
    }

    stop = await runCatalyst(
      ['day', 'stop', '--date', DATE, '--venue', 'paper', '--wait', '90', '--json'],
      env,
      120_000,
    );
    for (const w of workers) w.child.kill('SIGTERM');
    exits = await Promise.all(
      workers.map((w) =>
        Promise.race([w.exited, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]),
      ),
    );
  }, 240_000);

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await client?.workflow
      .getHandle(WORKFLOW_ID)
      .terminate('test over')
      .catch(() => undefined);
    await client?.connection.close();
    await sim?.close();
    await temp?.drop();
  });

  it('`day start` starts the venue’s day on the workers polling its task queue', () => {
    const out = lastJson(start);
    expect(out).toMatchObject({
      workflowId: WORKFLOW_ID,
      tradingDate: DATE,
      venue: 'paper',
      account: `PA00000000${SEED}`,
      speed: SPEED,
      taskQueue: `catalyst-paper-PA00000000${SEED}`,
    });
    expect((out.workers as string[]).sort()).toEqual(workers.map((w) => w.identity).sort());
  });

  it('spreads the scan chunks over both workers (ActivityTaskStarted identities in the history)', () => {
    const summary = JSON.stringify([...byWorker]);
    for (const w of workers) expect(byWorker.get(w.identity) ?? 0, summary).toBeGreaterThan(0);
    expect([...byWorker.keys()].sort(), summary).toEqual(workers.map((w) => w.identity).sort());
  });

  it('`day stop` cancels the day: it flattens Catalyst’s book, then ends cancelled', async () => {
    expect(stop.code, stop.stderr).toBe(0);
    expect(lastJson(stop)).toEqual({
      workflowId: WORKFLOW_ID,
      cancelRequested: true,
      status: 'CANCELLED',
      ended: true,
    });
    expect(stop.stderr).toMatch(
      /cancel requested\. The day cancels Catalyst's orders and closes Catalyst's positions/,
    );
    expect((await client.workflow.getHandle(WORKFLOW_ID).describe()).status.name).toBe('CANCELLED');
    expect(await broker.listPositions()).toEqual([]);
    const ours = (await allBrokerOrders(broker)).filter((o) => parseClientOrderId(o.clientOrderId));
    expect(ours.filter(isOpenOrder)).toEqual([]);
  });

  it('SIGTERM drains each worker: it says so and exits 0 within seconds', () => {
    expect(exits).toEqual([0, 0]);
    for (const w of workers) {
      expect(w.output()).toMatch(/SIGTERM: draining the worker/);
      expect(w.output()).toMatch(/worker stopped cleanly\n$/);
    }
  });
});
