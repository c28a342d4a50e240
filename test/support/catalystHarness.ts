/**
 * A whole Catalyst on real parts for one test file: the shared Temporal dev server (global
 * setup), a throwaway PostgreSQL database, the simulator on loopback reached through the real
 * Alpaca client, the real activities, and a worker on a task queue of its own.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { createActivities } from '../../src/activities';
import type { AlpacaBrokerOptions } from '../../src/broker/alpacaBroker';
import { brokerForSimulator } from '../../src/stack/simulatorBroker';
import type { Broker } from '../../src/broker/port';
import { createDatabase, type Database } from '../../src/db/createDatabase';
import { createSettingsSource, type SettingsSource } from '../../src/settings/settingsSource';
import { tradingDayWorkflowId } from '../../src/shared';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/sim/startSimulator';
import { catalystWorkerOptions } from '../../src/worker';
import type { TradingDayInput } from '../../src/workflows/messages';
import { TradingDayWorkflow } from '../../src/workflows/tradingDay';
import { createTempDatabase, type TempDatabase } from './tempDatabase';
import { installTestRuntime } from './testRuntime';
import { temporalInterceptors } from '../../src/stack/temporalConnection';

export const PROJECT_DIR = resolve(import.meta.dirname, '../..');

export interface Harness {
  client: Client;
  taskQueue: string;
  sim: RunningSimulator;
  broker: Broker;
  database: Database;
  settings: SettingsSource;
  accountId: string;
  outboxDir: string;
  /** The day's own database (a throwaway one on the test server). */
  databaseUrl: string;
  /** Where the daily report's HTML page is written. */
  reportsDir: string;
  startDay(input?: Partial<TradingDayInput>): ReturnType<Client['workflow']['start']>;
  close(): Promise<void>;
}

export async function startHarness(opts: {
  seed: number;
  speed: number;
  date?: string;
  configDir?: string;
  /** More simulator options, e.g. `faults` or `rateLimitPerMinute`. */
  simulator?: Partial<SimulatorOptions>;
  /** More adapter options, e.g. `timeoutMs`. */
  broker?: Partial<AlpacaBrokerOptions>;
  /** driven: the simulator's driven clock, and days started on it (default wall). */
  marketClock?: 'wall' | 'driven';
  /** The worker's environment (.env), e.g. SMTP settings; default none. */
  env?: Record<string, string>;
  /** Appended to the day's workflow id: two runs of one seed side by side on the shared dev server. */
  runTag?: string;
  /** The activities' log lines (default: dropped). */
  log?: (line: string) => void;
  /**
   * A password in the day's database URL (when the server's has none), and that URL as the
   * worker's DATABASE_URL: a secret the day really uses, for the secrets scan.
   */
  databasePassword?: string;
}): Promise<Harness> {
  const driven = opts.marketClock === 'driven';
  installTestRuntime();
  const address = inject('temporalAddress');
  const temp: TempDatabase = await createTempDatabase(
    opts.databasePassword ? { password: opts.databasePassword } : {},
  );
  const database = await createDatabase({ url: temp.url });
  const sim = await startSimulator({
    ...opts.simulator,
    seed: opts.seed,
    speed: opts.speed,
    date: opts.date ?? '2026-11-24',
    ...(driven ? { clock: 'driven' as const } : {}),
  });
  const broker = brokerForSimulator(sim, {
    ...(driven ? { rateLimitPerMinute: false as const } : {}),
    ...opts.broker,
  });
  const settings = createSettingsSource({
    configDir: opts.configDir ?? join(PROJECT_DIR, 'config'),
    env: { ...(opts.databasePassword ? { DATABASE_URL: temp.url } : {}), ...opts.env },
  });
  const account = await broker.getAccount();
  const outboxDir = mkdtempSync(join(tmpdir(), 'catalyst-outbox-'));
  const reportsDir = mkdtempSync(join(tmpdir(), 'catalyst-reports-'));
  const activities = createActivities({
    broker,
    db: database.db,
    accountId: account.id,
    venue: 'simulator',
    ...(sim.drivenClock ? { drivenClock: sim.drivenClock } : {}),
    settings,
    outboxDir,
    reportsDir,
    log: opts.log ?? (() => {}),
  });
  const taskQueue = `catalyst-test-${opts.seed}-${process.pid}-${Date.now()}`;
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create(
    catalystWorkerOptions({
      connection,
      namespace: 'default',
      activities,
      taskQueue,
      workflowBundle: { codePath: inject('workflowBundlePath') },
    }),
  );
  const running = worker.run();
  const client = new Client({
    connection: await Connection.connect({ interceptors: temporalInterceptors(), address }),
    namespace: 'default',
  });

  return {
    client,
    taskQueue,
    sim,
    broker,
    database,
    settings,
    accountId: account.id,
    outboxDir,
    databaseUrl: temp.url,
    reportsDir,
    startDay(input = {}) {
      const tradingDate = input.tradingDate ?? sim.sessionDate();
      return client.workflow.start(TradingDayWorkflow, {
        taskQueue,
        // One per seed and test run (each run has its own dev server); stable, so recorded histories replay under it.
        workflowId: `${tradingDayWorkflowId(tradingDate, { venue: 'simulator' })}-seed${opts.seed}${opts.runTag ? `-${opts.runTag}` : ''}`,
        args: [
          {
            tradingDate,
            speed: opts.speed,
            mode: 'autonomous',
            venue: 'simulator',
            ...(driven ? { marketClock: 'driven' as const } : {}),
            ...input,
          },
        ],
      });
    },
    async close() {
      worker.shutdown();
      await running;
      await connection.close();
      await client.connection.close();
      await sim.close();
      await database.close();
      await temp.drop();
    },
  };
}
