/**
 * The embedded stack behind `catalyst up`: Temporal dev server (or TEMPORAL_ADDRESS), the
 * database (PGlite under .catalyst/pgdata, or DATABASE_URL), the Alpaca-compatible simulator when
 * no Alpaca keys are configured, the worker, and the trading-day schedule. `shutdown()` stops
 * everything in reverse order so Ctrl-C leaves nothing running.
 */
import { join } from 'node:path';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { Broker } from '../broker/port';
import { createDatabase, type Database } from '../db/createDatabase';
import { startSimulator, type RunningSimulator } from '../sim/startSimulator';
import { createSettingsSource } from '../settings/settingsSource';
import { resolveTradingVenue } from '../settings/liveTradingGate';
import type { Settings } from '../settings/loadSettings';
import { sessionBoundsMs, utcMsToNyDate } from '../domain/calendar';
import { tradingDayWorkflowId, venueQuery, type VenueScope } from '../shared';
import type { TradingDayInput, TradingDayResult, TradingMode, Venue } from '../workflows/messages';
import { TradingDayWorkflow } from '../workflows/tradingDay';
import { portAnswers, startDevServer, type RunningDevServer } from './devServer';
import { brokerForSimulator } from './simulatorBroker';
import { registerSearchAttributes } from './searchAttributes';
import { provisionTemporalCli } from './temporalCli';
import { connectClient, temporalTargetFromEnv } from './temporalConnection';
import { ensureTradingSchedule } from './tradingSchedule';
import {
  alertOnRejectedConfig,
  buildActivities,
  createVenueBroker,
  describeBroker,
  readBrokerAccount,
  runCatalystWorker,
  startWorkerMetrics,
  workerRuntimeOptions,
} from './workerDeps';

export interface StackOptions {
  projectDir: string;
  /** State directory (default <project>/.catalyst). */
  homeDir: string;
  env: NodeJS.ProcessEnv;
  speed: number;
  seed: number;
  /** Simulated session date; default today in New York, or the next trading day. */
  date?: string;
  live: boolean;
  temporalPort?: number;
  uiPort?: number;
  /** Simulator fault-injection spec; ignored on a real venue. */
  faults?: string;
  /** The embedded simulator's market scenario (see src/sim/market/scenarios.ts); refused on any other venue. */
  scenario?: string;
  /** The simulator's market.signalStrength; ignored on a real venue. */
  signalStrength?: number;
  /** Config directory (default <project>/config). */
  configDir?: string;
  /** A prebuilt workflow bundle (scripts/bundleWorkflows.ts); otherwise src/workflows is bundled at start. */
  workflowBundlePath?: string;
  /** driven: the simulator's driven clock (backtests); the simulator venue only. Default wall. */
  marketClock?: 'wall' | 'driven';
  /** A backtest's run tag: its task queue, ids and search attributes (VenueScope.run). */
  run?: string;
  /** PGlite directory (default <home>/pgdata); ignored with DATABASE_URL. */
  pgliteDir?: string;
  /** Use a dev server already answering on the Temporal port (another `catalyst up`) instead of failing. */
  reuseRunningServer?: boolean;
  /** No trading schedule (a backtest drives its own days). */
  noSchedule?: boolean;
  /** Keep the dev server's state in memory (a backtest's server lives and dies with it). Default on disk. */
  ephemeralServer?: boolean;
  /** Serve the worker's metrics when METRICS_PORT is set (default true; a backtest has none). */
  metrics?: boolean;
  log: (line: string) => void;
}

export interface RunningStack {
  client: Client;
  namespace: string;
  uiUrl: string;
  venue: Venue;
  speed: number;
  /** The configuration at start; `currentSettings()` follows hot reloads. */
  settings: Settings;
  currentSettings(): Settings;
  sim: RunningSimulator | null;
  broker: Broker;
  database: Database;
  accountId: string;
  /** The venue and account every name of this stack carries (task queue, ids, schedule). */
  scope: VenueScope;
  taskQueue: string;
  /** ALPACA_BASE_URL points at an Alpaca-compatible endpoint (e.g. `catalyst sim`): `up` drives its sessions. */
  customEndpoint: boolean;
  /** The worker's Prometheus endpoint (METRICS_PORT), or null. */
  metricsUrl: string | null;
  scheduleAction: 'created' | 'updated' | 'none';
  /**
   * Starts the current session now: the embedded simulator's, or a custom endpoint's (from its
   * clock). Alpaca's own paper and live days are started by the schedule.
   */
  startTradingDay(
    mode: TradingMode,
  ): Promise<WorkflowHandleWithFirstExecutionRunId<typeof TradingDayWorkflow>>;
  shutdown(): Promise<void>;
}

export async function startEmbeddedStack(opts: StackOptions): Promise<RunningStack> {
  const cleanups: (() => Promise<void>)[] = [];
  const shutdown = async (): Promise<void> => {
    while (cleanups.length) {
      const step = cleanups.pop()!;
      await step().catch((err) => opts.log(`shutdown step failed: ${(err as Error).message}`));
    }
  };
  try {
    const settingsSource = createSettingsSource({
      configDir: opts.configDir ?? join(opts.projectDir, 'config'),
      env: opts.env,
      log: opts.log,
    });
    const settings = settingsSource.current();
    const gate = resolveTradingVenue({ env: settings.env, liveFlag: opts.live });
    const venue = gate.venue;
    const driven = opts.marketClock === 'driven';
    if (driven && (venue !== 'simulator' || gate.customEndpoint))
      throw new Error(
        `the driven market clock runs only on the embedded simulator, not on ${gate.customEndpoint ? 'a custom endpoint' : venue}: unset the Alpaca keys for a backtest`,
      );
    // A scenario is a fake market: asking for one against a real account must not pass silently.
    if (opts.scenario !== undefined && (venue !== 'simulator' || gate.customEndpoint))
      throw new Error(
        `a market scenario shapes the embedded simulator only, not ${gate.customEndpoint ? 'a custom endpoint' : venue}`,
      );
    opts.log(`venue: ${venue} (${gate.reason})`);
    // An endpoint of our own runs at whatever speed its clock does: the caller says which.
    const speed = venue === 'simulator' || gate.customEndpoint ? opts.speed : 1;

    // Before the servers: a metrics port already taken is a start-up error, with nothing else started.
    const metrics = opts.metrics === false ? null : await startWorkerMetrics(settings.env, speed, opts.log);
    if (metrics) cleanups.push(() => metrics.server.close());

    // Temporal: an external cluster when TEMPORAL_ADDRESS is set, else the dev server.
    let target = temporalTargetFromEnv(opts.env);
    let uiUrl = opts.env.TEMPORAL_UI_URL ?? '';
    const temporalPort = opts.temporalPort ?? 7233;
    const reuse =
      !opts.env.TEMPORAL_ADDRESS && opts.reuseRunningServer && (await portAnswers('127.0.0.1', temporalPort));
    if (reuse) {
      target = { ...target, address: `127.0.0.1:${temporalPort}` };
      uiUrl = `http://127.0.0.1:${opts.uiPort ?? 8233}`;
      opts.log(`Temporal: the dev server already running on ${target.address}`);
    } else if (!opts.env.TEMPORAL_ADDRESS) {
      const cli = await provisionTemporalCli({ projectDir: opts.projectDir, log: opts.log, env: opts.env });
      if (!cli)
        throw new Error(
          'no Temporal CLI available: set TEMPORAL_CLI_PATH or install Go so Catalyst can build it',
        );
      const server: RunningDevServer = await startDevServer({
        cliPath: cli.path,
        stateDir: opts.homeDir,
        port: temporalPort,
        ...(opts.ephemeralServer ? { persistent: false } : {}),
        uiPort: opts.uiPort ?? 8233,
      });
      cleanups.push(() => server.stop());
      target = { ...target, address: server.address };
      uiUrl = server.uiUrl;
      opts.log(`Temporal dev server on ${server.address}, Web UI ${server.uiUrl} (log: ${server.logFile})`);
    }
    const client = await connectClient(target);
    cleanups.push(() => client.connection.close());
    if (opts.env.TEMPORAL_ADDRESS) await registerSearchAttributes(client, target.namespace, opts.log);

    const database = await createDatabase({
      url: settings.env.DATABASE_URL,
      pgliteDir: opts.pgliteDir ?? join(opts.homeDir, 'pgdata'),
    });
    cleanups.push(() => database.close());
    opts.log(
      `database: ${database.kind === 'pglite' ? `PGlite in ${opts.pgliteDir ?? join(opts.homeDir, 'pgdata')}` : 'PostgreSQL (DATABASE_URL)'}`,
    );

    let sim: RunningSimulator | null = null;
    let broker: Broker;
    if (venue === 'simulator') {
      sim = await startSimulator({
        seed: opts.seed,
        speed,
        date: opts.date,
        // Starting the stack takes seconds (minutes of market time at high speed): the clock starts
        // early enough that the open is still ahead when the day starts, and moves to it then.
        ...(driven ? {} : { preOpenMinutes: Math.min(MAX_PRE_OPEN_MINUTES, Math.ceil(speed)) }),
        faults: opts.faults,
        clock: driven ? 'driven' : 'scaled',
        market: {
          ...(opts.scenario !== undefined ? { scenario: opts.scenario } : {}),
          ...(opts.signalStrength !== undefined ? { signalStrength: opts.signalStrength } : {}),
        },
      });
      const running = sim;
      cleanups.push(() => running.close());
      // Driven, a market minute takes no wall time: a per-minute request budget would only stall.
      broker = brokerForSimulator(sim, driven ? { rateLimitPerMinute: false } : {});
      opts.log(
        `simulator on ${sim.url} (seed ${opts.seed}, ${driven ? 'driven clock' : `speed ×${speed}`}, session ${sim.sessionDate()}${opts.scenario ? `, scenario ${opts.scenario}` : ''})`,
      );
    } else {
      broker = createVenueBroker({ gate, speed }, settings.env);
      opts.log(describeBroker(gate, settings.env));
    }
    const account = await readBrokerAccount(broker, venue, gate.tradingBaseUrl ?? 'the simulator', opts.run);
    const { accountId, scope, taskQueue } = account;

    const activities = buildActivities({
      broker,
      db: database.db,
      account,
      settings: settingsSource,
      homeDir: opts.homeDir,
      ...(sim?.drivenClock ? { drivenClock: sim.drivenClock } : {}),
      log: opts.log,
      ...(metrics ? { metrics: metrics.catalyst.activities } : {}),
    });
    metrics?.catalyst.describeWorker({ venue, account: scope.account ?? '', taskQueue });
    // Before any worker polls: a stale day's pending activities would otherwise run against this new simulator.
    if (venue === 'simulator') await terminateStaleSimulatorDays(client, scope, opts.log);
    // `up` owns Ctrl-C: it stops following the day, then drains the worker, then stops the servers.
    const worker = await runCatalystWorker({
      target,
      taskQueue,
      activities,
      runtime: workerRuntimeOptions(settings.env, metrics),
      ...(opts.workflowBundlePath !== undefined ? { workflowBundlePath: opts.workflowBundlePath } : {}),
    });
    cleanups.push(() => worker.stop());
    alertOnRejectedConfig(settingsSource, activities, opts.log);
    settingsSource.watch();
    cleanups.push(async () => settingsSource.close());

    // A simulator's clock is not New York's: a schedule firing at real 09:30 would trade the wrong session.
    const drivesOwnSessions = venue === 'simulator' || gate.customEndpoint;
    const scheduleAction = opts.noSchedule
      ? 'none'
      : await ensureTradingSchedule(client, scope, {
          paused: drivesOwnSessions,
          note: drivesOwnSessions
            ? "paused: `catalyst up` drives this endpoint's sessions"
            : `active: ${venue} trading`,
        });

    return {
      client,
      namespace: target.namespace,
      uiUrl,
      venue,
      speed,
      settings,
      currentSettings: () => settingsSource.current(),
      sim,
      broker,
      database,
      accountId,
      scope,
      taskQueue,
      customEndpoint: gate.customEndpoint,
      metricsUrl: metrics?.server.url ?? null,
      scheduleAction,
      async startTradingDay(mode) {
        if (!drivesOwnSessions) throw new Error("Alpaca's trading days are started by the schedule");
        const tradingDate = sim ? sim.sessionDate() : await currentSessionDate(broker);
        if (sim && !driven) {
          // Before the clock moves: on a fast clock the first scan's cold start would cost its cycle.
          sim.prepareSession();
          skipToJustBeforeOpen(sim, tradingDate, speed);
        }
        const input: TradingDayInput = {
          tradingDate,
          speed,
          mode,
          venue,
          ...(venue === 'simulator' ? {} : { account: scope.account! }),
          ...(opts.run ? { run: opts.run } : {}),
          ...(driven ? { marketClock: 'driven' as const } : {}),
        };
        return client.workflow.start(TradingDayWorkflow, {
          taskQueue,
          workflowId: tradingDayWorkflowId(tradingDate, scope),
          args: [input],
          staticSummary: `Trading day ${tradingDate} (${venue}${venue === 'simulator' ? '' : ` ${scope.account}`}, ${mode})`,
          // A test endpoint's date may be replayed (new seed, new run); the embedded simulator's
          // stale day is ours to replace, but a running day on an endpoint is never terminated.
          workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
          workflowIdConflictPolicy:
            venue === 'simulator'
              ? WorkflowIdConflictPolicy.TERMINATE_EXISTING
              : WorkflowIdConflictPolicy.FAIL,
        });
      },
      shutdown,
    };
  } catch (err) {
    await shutdown();
    throw err;
  }
}

/** The clock may start as early as midnight of the session's date. */
const MAX_PRE_OPEN_MINUTES = 570;
/** Wall time a starting day needs before the open (its first activities, the monitor): seconds on a busy host. */
const DAY_START_WALL_MS = 3_000;

/**
 * Moves the embedded simulator's clock to shortly before the session's open, if it is earlier: a
 * day started as the stack comes up at speed 600 would otherwise meet a market an hour into the
 * session, its morning cycles gone. Nothing trades before the open, so the skipped minutes hold nothing.
 */
function skipToJustBeforeOpen(sim: RunningSimulator, tradingDate: string, speed: number): void {
  const bounds = sessionBoundsMs(tradingDate);
  if (!bounds) return;
  const leadMinutes = Math.max(1, Math.ceil((DAY_START_WALL_MS * speed) / 60_000));
  const target = bounds.openMs - leadMinutes * 60_000;
  if (sim.nowMs() < target) sim.advanceTo(target);
}

/**
 * Days (and their monitors) left running by a killed `up` traded on a simulator that no longer
 * exists; a new session of the same date would collide with them.
 */
async function terminateStaleSimulatorDays(
  client: Client,
  scope: VenueScope,
  log: (line: string) => void,
): Promise<void> {
  // Only this venue's: a paper or live day on the same cluster is never touched.
  const queries = [
    `WorkflowType = 'TradingDayWorkflow' AND ExecutionStatus = 'Running' AND ${venueQuery(scope)}`,
    `WorkflowType = 'PositionMonitorWorkflow' AND ExecutionStatus = 'Running' AND ${venueQuery(scope)}`,
  ];
  for (const query of queries) {
    for await (const wf of client.workflow.list({ query })) {
      await client.workflow
        .getHandle(wf.workflowId, wf.runId)
        .terminate('the simulator this day traded on has stopped')
        .catch(() => undefined); // already closed by its parent's close policy
      log(`terminated stale simulated workflow ${wf.workflowId}`);
    }
  }
}

/** The session an endpoint is in, or the next one when it is between sessions (New York date). */
async function currentSessionDate(broker: Broker): Promise<string> {
  const clock = await broker.getClock();
  return utcMsToNyDate(Date.parse(clock.isOpen ? clock.timestamp : clock.nextOpen));
}

export type { TradingDayResult };
