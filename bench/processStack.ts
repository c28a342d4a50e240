/**
 * Catalyst as an operator runs it, for the benches that measure processes: a Temporal dev server
 * of its own (in memory, free ports, the latency settings of `catalyst up`), a throwaway
 * PostgreSQL database on the local server (test/support/tempDatabase.ts), the simulator in a
 * process of its own (test/chaos/childSimulator.ts: `startSimulator` as `catalyst sim` runs it,
 * plus a channel to move its clock), and `catalyst worker` processes (test/chaos/workerProcess.ts)
 * on the venue's task queue, reaching the simulator through ALPACA_BASE_URL as a paper venue, with
 * a prebuilt workflow bundle as the Docker image runs them. Everything listens on 127.0.0.1;
 * `close()` stops all of it, last started first.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { createAlpacaBroker } from '../src/broker/alpacaBroker';
import type { Broker } from '../src/broker/port';
import { sessionBoundsMs } from '../src/domain/calendar';
import { taskQueueFor, tradingDayWorkflowId, type VenueScope } from '../src/shared';
import type { SimulatorOptions } from '../src/sim/startSimulator';
import { startDevServer, type RunningDevServer } from '../src/stack/devServer';
import { provisionTemporalCli } from '../src/stack/temporalCli';
import { workflowsPath } from '../src/worker';
import type { TradingMode } from '../src/workflows/messages';
import type { TradingDayWorkflow } from '../src/workflows/tradingDay';
import { startChildSimulator, type ChildSimulator } from '../test/chaos/childSimulator';
import { workerSupervisor, type WorkerIncarnation, type WorkerSupervisor } from '../test/chaos/workerProcess';
import { freePort } from '../test/support/freePort';
import { createTempDatabase, type TempDatabase } from '../test/support/tempDatabase';
import { temporalInterceptors } from '../src/stack/temporalConnection';
import { quietLogger } from '../test/support/quietLogger';

export const PROJECT_DIR = resolve(import.meta.dirname, '..');
const MINUTE_MS = 60_000;
/** As `catalyst up` gives a day before the open (src/stack/embeddedStack.ts). */
const DAY_START_WALL_MS = 3_000;

export interface ProcessStackOptions {
  seed: number;
  /** The simulator's clock speed, and the workers' `--speed`. */
  speed: number;
  /** The simulator's first session. */
  date: string;
  /** More simulator options (default: the clock starts at midnight, no server-side rate limit). */
  simulator?: Partial<SimulatorOptions>;
  /** More environment for the workers (e.g. NODE_OPTIONS). */
  workerEnv?: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

export interface ProcessStack {
  /** Logs of every process (removed by `close()`). */
  dir: string;
  client: Client;
  sim: ChildSimulator;
  /** The bench's own client of the simulator's account: what a person at the broker sees. */
  broker: Broker;
  /** The simulator's key headers, for reading it raw. */
  simHeaders: Record<string, string>;
  scope: VenueScope;
  taskQueue: string;
  /** One more `catalyst worker` process; resolves once it says it polls. */
  addWorker(): Promise<WorkerIncarnation>;
  /**
   * Generates the session's market and moves the clock to shortly before its open (if earlier):
   * the wall time a starting day needs (its first activities, the monitor), about 3 s.
   */
  toBeforeOpen(date: string): Promise<void>;
  startDay(
    tradingDate: string,
    mode: TradingMode,
    workflowId?: string,
  ): Promise<WorkflowHandle<typeof TradingDayWorkflow>>;
  close(): Promise<void>;
}

/** The workflow bundle, built once per bench process (seconds of webpack) and removed at exit. */
let bundle: Promise<string> | null = null;
function workflowBundle(): Promise<string> {
  bundle ??= bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietLogger }).then(({ code }) => {
    const path = join(tmpdir(), `catalyst-bench-bundle-${process.pid}.js`);
    writeFileSync(path, code);
    process.once('exit', () => rmSync(path, { force: true }));
    return path;
  });
  return bundle;
}

export async function startProcessStack(o: ProcessStackOptions): Promise<ProcessStack> {
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-bench-'));
  const cleanups: (() => Promise<unknown>)[] = [];
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      while (cleanups.length)
        await cleanups.pop()!().catch((err: unknown) => o.log(`clean-up: ${(err as Error).message}`));
    })());
  const onSignal = (): void => void close().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  cleanups.push(async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    rmSync(dir, { recursive: true, force: true });
  });
  try {
    const bundlePath = workflowBundle();
    bundlePath.catch(() => undefined); // awaited below; a failure before then must not go unhandled
    const temp: TempDatabase = await createTempDatabase();
    cleanups.push(() => temp.drop());

    const cli = await provisionTemporalCli({ projectDir: PROJECT_DIR, log: o.log });
    if (!cli)
      throw new Error('the Temporal CLI is not available: run `npx catalyst provision-temporal` first');
    const dev: RunningDevServer = await startDevServer({
      cliPath: cli.path,
      stateDir: join(dir, 'temporal'),
      port: await freePort(),
      uiPort: await freePort(),
      persistent: false,
    });
    cleanups.push(() => dev.stop());

    const keyId = `BENCH${randomBytes(6).toString('hex').toUpperCase()}`;
    const secretKey = randomBytes(18).toString('hex');
    const sim = await startChildSimulator(
      {
        seed: o.seed,
        speed: o.speed,
        date: o.date,
        preOpenMinutes: 570,
        rateLimitPerMinute: 0,
        ...o.simulator,
        keyId,
        secretKey,
      },
      join(dir, 'simulator.log'),
    );
    cleanups.push(() => sim.close());
    const broker = createAlpacaBroker({
      keyId,
      secretKey,
      tradingBaseUrl: sim.url,
      dataBaseUrl: sim.url,
      paper: true,
      clockSpeed: o.speed,
      rateLimitPerMinute: false,
    });
    const account = await broker.getAccount();
    const scope: VenueScope = { venue: 'paper', account: account.accountNumber || account.id };
    const taskQueue = taskQueueFor(scope);

    const client = new Client({
      connection: await Connection.connect({ interceptors: temporalInterceptors(), address: dev.address }),
    });
    cleanups.push(() => client.connection.close());

    const workerEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NO_COLOR: '1',
      TEMPORAL_ADDRESS: dev.address,
      TEMPORAL_NAMESPACE: 'default',
      DATABASE_URL: temp.url,
      ALPACA_BASE_URL: sim.url,
      ALPACA_API_KEY: keyId,
      ALPACA_SECRET_KEY: secretKey,
      CATALYST_HOME: join(dir, 'home'),
      // Empty counts as unset: nothing of a project .env may switch these on.
      SMTP_HOST: '',
      METRICS_PORT: '',
      TEMPORAL_API_KEY: '',
      TEMPORAL_TLS: '',
      TRADING_MODE: '',
      ENABLE_LIVE_TRADING: '',
      ...o.workerEnv,
    };
    const args = ['--speed', String(o.speed), '--workflow-bundle', await bundlePath];
    const supervisors: WorkerSupervisor[] = [];
    cleanups.push(() => Promise.all(supervisors.map((s) => s.stop())));

    return {
      dir,
      client,
      sim,
      broker,
      simHeaders: { 'APCA-API-KEY-ID': keyId, 'APCA-API-SECRET-KEY': secretKey },
      scope,
      taskQueue,
      async addWorker() {
        const logDir = mkdtempSync(join(dir, 'worker-'));
        const sup = workerSupervisor({ projectDir: PROJECT_DIR, logDir, args, env: workerEnv, log: o.log });
        supervisors.push(sup);
        return sup.start();
      },
      async toBeforeOpen(date) {
        await sim.prepareSession();
        const leadMinutes = Math.max(1, Math.ceil((DAY_START_WALL_MS * o.speed) / MINUTE_MS));
        const at = sessionBoundsMs(date)!.openMs - leadMinutes * MINUTE_MS;
        if ((await sim.nowMs()) < at) await sim.advanceTo(at);
      },
      startDay(tradingDate, mode, workflowId) {
        return client.workflow.start<typeof TradingDayWorkflow>('TradingDayWorkflow', {
          taskQueue,
          workflowId: workflowId ?? tradingDayWorkflowId(tradingDate, scope),
          args: [{ tradingDate, speed: o.speed, mode, venue: 'paper', account: scope.account! }],
        });
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
