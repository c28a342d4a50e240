/**
 * What a Catalyst worker is made of, built one way for `catalyst up` (the embedded stack) and
 * `catalyst worker` (a worker on its own): the broker of the venue the live-trading gate chose,
 * the account every name carries (task queue, workflow ids, schedule), the activities over the
 * database and the settings, and the Temporal worker polling the venue's task queue.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from '@temporalio/common';
import { DefaultLogger, Runtime, makeTelemetryFilterString, type Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { DrivenClockPort } from '../activities/deps';
import type { ActivityMetrics } from '../activities/metrics';
import type { Activities } from '../activities/types';
import { createAlpacaBroker } from '../broker/alpacaBroker';
import type { Broker } from '../broker/port';
import type { CatalystDb } from '../db/createDatabase';
import { SECRET_ENV_VARS, type Env, type LogLevel } from '../settings/env';
import { resolveTradingVenue, type VenueDecision } from '../settings/liveTradingGate';
import { SettingsError } from '../settings/settingsError';
import type { SettingsSource } from '../settings/settingsSource';
import { taskQueueFor, type Venue, type VenueScope } from '../shared';
import { createCatalystWorker } from '../worker';
import { createCatalystMetrics, type CatalystMetrics } from './catalystMetrics';
import { createLogSink, secretValues } from './logSink';
import { freeLocalAddress, startMetricsServer, type MetricsServer } from './metricsServer';
import { connectWorker, type TemporalTarget } from './temporalConnection';

export interface WorkerRuntimeOptions {
  /** The SDK's and Core's own log level (default ERROR). */
  level?: 'ERROR' | 'WARN';
  /** Where the runtime's lines go (default: DefaultLogger's text on stderr). */
  logger?: (threshold: 'ERROR' | 'WARN') => Logger;
  /** host:port for the Core SDK's Prometheus exporter (the worker's metrics server reads it). */
  metricsBindAddress?: string;
}

let runtimeInstalled = false;
/**
 * The Temporal runtime for a process that owns its signals: `up` and `worker` stop on Ctrl-C and
 * SIGTERM themselves (drain the worker, then close the rest). Core and SDK chatter below `level`
 * would drown the lines operators came for. Once per process: the first call decides.
 *
 * Installed just before the first native connection: an installed runtime that never gets a
 * native object keeps the process alive (its log forwarding), so a start-up that failed earlier
 * (database, broker) would hang instead of exiting. Once a native object exists, the runtime
 * shuts itself down with the last one.
 */
export function installWorkerRuntime(opts: WorkerRuntimeOptions = {}): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const level = opts.level ?? 'ERROR';
  Runtime.install({
    shutdownSignals: [],
    // Activity failures are routine during a broker outage (they are retried); the day's own lines say what matters.
    logger: opts.logger ? opts.logger(level) : new DefaultLogger(level),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
      ...(opts.metricsBindAddress
        ? {
            metrics: {
              prometheus: {
                bindAddress: opts.metricsBindAddress,
                // Prometheus conventions: counters end in _total, durations in seconds.
                countersTotalSuffix: true,
                unitSuffix: true,
                useSecondsForDurations: true,
              },
            },
          }
        : {}),
    },
  });
}

/** The runtime's level for LOG_LEVEL: its warnings only when debugging. */
export const runtimeLevelFor = (level: LogLevel): 'ERROR' | 'WARN' =>
  level === 'debug' || level === 'trace' ? 'WARN' : 'ERROR';

/** The runtime options of a worker process configured by `env`: its lines go through a log sink like Catalyst's. */
export function workerRuntimeOptions(env: Env, metrics: WorkerMetrics | null): WorkerRuntimeOptions {
  const sink = createLogSink({
    level: env.LOG_LEVEL,
    format: env.LOG_FORMAT,
    secrets: secretValues(Object.fromEntries(SECRET_ENV_VARS.map((k) => [k, env[k]]))),
  });
  return {
    level: runtimeLevelFor(env.LOG_LEVEL),
    logger: (threshold) => sink.temporalLogger(threshold),
    ...(metrics ? { metricsBindAddress: metrics.temporalAddress } : {}),
  };
}

export interface WorkerMetrics {
  catalyst: CatalystMetrics;
  server: MetricsServer;
  /** Where the Core SDK's exporter is to be bound (installWorkerRuntime's metricsBindAddress). */
  temporalAddress: string;
}

/**
 * The worker's metrics endpoint when METRICS_PORT is set, else null: Catalyst's registry and the
 * server, which appends the Core SDK's metrics from a private local port chosen now.
 */
export async function startWorkerMetrics(
  env: Env,
  clockSpeed: number,
  log: (line: string) => void,
): Promise<WorkerMetrics | null> {
  if (env.METRICS_PORT === undefined) return null;
  const catalyst = createCatalystMetrics({ clockSpeed });
  const temporalAddress = await freeLocalAddress();
  const server = await startMetricsServer({
    host: env.METRICS_HOST,
    port: env.METRICS_PORT,
    registry: catalyst.registry,
    temporalAddress,
  });
  log(`metrics: ${server.url} (Catalyst's catalyst_*, the process's and Temporal's temporal_* metrics)`);
  return { catalyst, server, temporalAddress };
}

/** Where a broker venue trades, as the gate decided, and at which market-clock speed its endpoint runs. */
export interface BrokerVenue {
  gate: VenueDecision;
  /** 1 on Alpaca's own hosts; an Alpaca-compatible endpoint's own speed (e.g. `catalyst sim --speed 600`). */
  speed: number;
}

/** The Alpaca adapter for a paper or live venue (Alpaca's hosts or an Alpaca-compatible endpoint). */
export function createVenueBroker(venue: BrokerVenue, env: Env): Broker {
  const { gate } = venue;
  if (gate.venue === 'simulator' || !gate.tradingBaseUrl || !gate.dataBaseUrl)
    throw new Error('createVenueBroker: the embedded simulator has a broker of its own (brokerForSimulator)');
  return createAlpacaBroker({
    keyId: env.ALPACA_API_KEY!,
    secretKey: env.ALPACA_SECRET_KEY!,
    tradingBaseUrl: gate.tradingBaseUrl,
    dataBaseUrl: gate.dataBaseUrl,
    paper: gate.venue !== 'live',
    clockSpeed: venue.speed,
    feed: env.ALPACA_DATA_FEED,
  });
}

/** "broker: <url> (market data <url>, feed …)": for the start-up log, never a secret. */
export const describeBroker = (gate: VenueDecision, env: Env): string =>
  `broker: ${gate.tradingBaseUrl} (market data ${gate.dataBaseUrl}, feed ${env.ALPACA_DATA_FEED ?? "the account's default"})`;

export interface BrokerAccount {
  /** The broker's account id: database rows are keyed by it. */
  accountId: string;
  /** The venue and account number every name of this venue carries. */
  scope: VenueScope;
  taskQueue: string;
}

/** GET /v2/account: the account id and number. A broker that does not answer is one clear error. */
export async function readBrokerAccount(
  broker: Broker,
  venue: Venue,
  where: string,
  run?: string,
): Promise<BrokerAccount> {
  const account = await broker.getAccount().catch((err: unknown) => {
    throw new Error(`cannot reach the broker at ${where}: ${(err as Error).message}`);
  });
  const scope: VenueScope = {
    venue,
    account: account.accountNumber || account.id,
    ...(run ? { run } : {}),
  };
  return { accountId: account.id, scope, taskQueue: taskQueueFor(scope) };
}

export interface ConnectedVenue extends BrokerAccount {
  gate: VenueDecision;
  broker: Broker;
  speed: number;
}

/**
 * The broker venue of this environment, reached: the live-trading gate's decision, the adapter,
 * and the account (its number names the task queue, the day's workflow id and the schedule).
 * `who` names the command for the message when there is no broker to reach: the embedded
 * simulator lives only inside `catalyst up`.
 */
export async function connectBrokerVenue(opts: {
  env: Env;
  live: boolean;
  /** The endpoint's clock speed; must be 1 on Alpaca's own hosts. */
  speed: number;
  who: string;
}): Promise<ConnectedVenue> {
  const gate = resolveTradingVenue({ env: opts.env, liveFlag: opts.live });
  if (gate.venue === 'simulator')
    throw new SettingsError([
      `${opts.who} needs a broker: set ALPACA_API_KEY and ALPACA_SECRET_KEY (Alpaca paper), or ALPACA_BASE_URL at an ` +
        'Alpaca-compatible endpoint with its keys (for `catalyst sim --port 8299`: ALPACA_BASE_URL=http://127.0.0.1:8299 ' +
        'ALPACA_API_KEY=SIMKEY ALPACA_SECRET_KEY=SIMSECRET); the embedded simulator runs only inside `catalyst up`',
    ]);
  if (!gate.customEndpoint && opts.speed !== 1)
    throw new SettingsError([
      `--speed is the clock speed of an Alpaca-compatible endpoint (ALPACA_BASE_URL); Alpaca's own ${gate.venue} venue runs at 1 (got ${opts.speed})`,
    ]);
  const broker = createVenueBroker({ gate, speed: opts.speed }, opts.env);
  const account = await readBrokerAccount(broker, gate.venue, gate.tradingBaseUrl!);
  return { gate, broker, speed: opts.speed, ...account };
}

export interface ActivitiesOptions {
  broker: Broker;
  db: CatalystDb;
  account: BrokerAccount;
  settings: SettingsSource;
  /** State directory: alerts go to its outbox/. */
  homeDir: string;
  drivenClock?: DrivenClockPort;
  log: (line: string) => void;
  /** The worker's metrics (METRICS_PORT). */
  metrics?: ActivityMetrics;
}

export function buildActivities(opts: ActivitiesOptions): Activities {
  return createActivities({
    broker: opts.broker,
    db: opts.db,
    accountId: opts.account.accountId,
    accountNumber: opts.account.scope.account ?? undefined,
    venue: opts.account.scope.venue,
    ...(opts.drivenClock ? { drivenClock: opts.drivenClock } : {}),
    settings: opts.settings,
    outboxDir: join(opts.homeDir, 'outbox'),
    log: opts.log,
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
  });
}

/** An invalid edit of the YAML files is a WARNING alert; the last good configuration stays in force. */
export function alertOnRejectedConfig(
  settings: SettingsSource,
  activities: Activities,
  log: (line: string) => void,
): void {
  settings.onRejected((err) => {
    void activities
      .sendAlert({
        severity: 'WARNING',
        subject: 'Config edit rejected; the last good configuration stays in force',
        body: err.message,
        dedupeKey: `config-rejected-${createHash('sha256').update(err.message).digest('hex').slice(0, 16)}`,
      })
      .catch((e) => log(`could not send the config alert: ${(e as Error).message}`));
  });
}

export interface RunningWorker {
  worker: Worker;
  taskQueue: string;
  /** Settles when the worker stops: after `stop()`, or with its fatal error. */
  done: Promise<void>;
  /** Stops polling, lets running activities finish (up to the grace time), closes the connection. */
  stop(): Promise<void>;
}

/** Connects to Temporal and runs the Catalyst worker on the venue's task queue. */
export async function runCatalystWorker(opts: {
  target: TemporalTarget;
  taskQueue: string;
  activities: Activities;
  /** A prebuilt workflow bundle (the Docker image, tests); otherwise src/workflows is bundled now. */
  workflowBundlePath?: string;
  /** The Temporal runtime: its level, logger and metrics exporter (the first worker of the process decides). */
  runtime?: WorkerRuntimeOptions;
}): Promise<RunningWorker> {
  installWorkerRuntime(opts.runtime);
  const connection = await connectWorker(opts.target);
  let worker: Worker;
  try {
    worker = await createCatalystWorker({
      connection,
      namespace: opts.target.namespace,
      activities: opts.activities,
      taskQueue: opts.taskQueue,
      ...(opts.workflowBundlePath ? { workflowBundle: { codePath: opts.workflowBundlePath } } : {}),
    });
  } catch (err) {
    await connection.close().catch(() => undefined);
    throw err;
  }
  const done = worker.run();
  let stopped: Promise<void> | undefined;
  return {
    worker,
    taskQueue: opts.taskQueue,
    done,
    stop: () =>
      (stopped ??= (async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        try {
          await done;
        } finally {
          await connection.close();
        }
      })()),
  };
}
