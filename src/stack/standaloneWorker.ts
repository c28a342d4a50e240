/**
 * `catalyst worker`: the Catalyst worker alone — no dev server, no simulator — against the
 * Temporal cluster of TEMPORAL_ADDRESS (TLS, API key or mTLS), the PostgreSQL database of
 * DATABASE_URL and the broker of the environment (Alpaca, or an Alpaca-compatible endpoint such
 * as `catalyst sim`). Any number of them, on any number of machines, poll the venue's task queue
 * and share its work: each activity task (a scan chunk, an order) goes to one of them.
 *
 * Start-up fails fast and leaves nothing behind: each part is closed again in reverse order when
 * a later one cannot be reached.
 */
import { join } from 'node:path';
import { createDatabase } from '../db/createDatabase';
import { SettingsError } from '../settings/settingsError';
import { createSettingsSource } from '../settings/settingsSource';
import type { Venue, VenueScope } from '../shared';
import { registerSearchAttributes } from './searchAttributes';
import { connectClient, temporalTargetFromEnv } from './temporalConnection';
import {
  alertOnRejectedConfig,
  buildActivities,
  connectBrokerVenue,
  describeBroker,
  runCatalystWorker,
  startWorkerMetrics,
  workerRuntimeOptions,
} from './workerDeps';

export interface StandaloneWorkerOptions {
  projectDir: string;
  /** State directory: the alert outbox lives in it. */
  homeDir: string;
  env: NodeJS.ProcessEnv;
  /** The fourth live-trading opt-in (`--live`). */
  live: boolean;
  /** The endpoint's clock speed (ALPACA_BASE_URL of a `catalyst sim --speed x`); 1 on Alpaca. */
  speed: number;
  /** Default <project>/config; watched for edits. */
  configDir?: string;
  /** A prebuilt workflow bundle (scripts/bundleWorkflows.ts); otherwise bundled at start. */
  workflowBundlePath?: string;
  log: (line: string) => void;
}

export interface StandaloneWorker {
  address: string;
  namespace: string;
  taskQueue: string;
  venue: Venue;
  scope: VenueScope;
  /** The gate's sentence: which venue, and any live opt-in missing. */
  venueReason: string;
  /** The broker's trading endpoint. */
  brokerUrl: string;
  /** "broker: <url> (market data …, feed …)". */
  brokerLine: string;
  /** The Prometheus endpoint (METRICS_PORT), or null. */
  metricsUrl: string | null;
  /** Settles when the worker has stopped; rejects with its fatal error. */
  done: Promise<void>;
  /** Drains the worker (running activities get its grace time) and closes everything. Idempotent. */
  shutdown(): Promise<void>;
}

export const DATABASE_URL_REQUIRED =
  'environment variable DATABASE_URL must be set for `catalyst worker` (PostgreSQL 15+, e.g. postgresql://user:password@host:5432/catalyst): every worker shares one database; the embedded PGlite belongs to `catalyst up`';

export async function startStandaloneWorker(opts: StandaloneWorkerOptions): Promise<StandaloneWorker> {
  const cleanups: (() => Promise<void>)[] = [];
  let closing: Promise<void> | undefined;
  const shutdown = (): Promise<void> =>
    (closing ??= (async () => {
      while (cleanups.length) {
        const step = cleanups.pop()!;
        await step().catch((err) => opts.log(`shutdown step failed: ${(err as Error).message}`));
      }
    })());
  try {
    const settingsSource = createSettingsSource({
      configDir: opts.configDir ?? join(opts.projectDir, 'config'),
      env: opts.env,
      log: opts.log,
    });
    cleanups.push(async () => settingsSource.close());
    const settings = settingsSource.current();
    const databaseUrl = settings.env.DATABASE_URL;
    if (!databaseUrl) throw new SettingsError([DATABASE_URL_REQUIRED]);

    // First: a port already taken is a start-up error before anything else is reached.
    const metrics = await startWorkerMetrics(settings.env, opts.speed, opts.log);
    if (metrics) cleanups.push(() => metrics.server.close());

    const target = temporalTargetFromEnv(opts.env);
    const client = await connectClient(target);
    try {
      // A self-hosted cluster learns Catalyst's search attributes here; Temporal Cloud's are made in its console.
      await registerSearchAttributes(client, target.namespace, opts.log);
    } finally {
      await client.connection.close();
    }

    // The broker before the database: one request, where the database may have migrations to apply.
    const venue = await connectBrokerVenue({
      env: settings.env,
      live: opts.live,
      speed: opts.speed,
      who: '`catalyst worker`',
    });

    const database = await createDatabase({ url: databaseUrl });
    cleanups.push(() => database.close());

    const activities = buildActivities({
      broker: venue.broker,
      db: database.db,
      account: venue,
      settings: settingsSource,
      homeDir: opts.homeDir,
      log: opts.log,
      ...(metrics ? { metrics: metrics.catalyst.activities } : {}),
    });
    metrics?.catalyst.describeWorker({
      venue: venue.gate.venue,
      account: venue.scope.account ?? '',
      taskQueue: venue.taskQueue,
    });
    const worker = await runCatalystWorker({
      target,
      taskQueue: venue.taskQueue,
      activities,
      ...(opts.workflowBundlePath ? { workflowBundlePath: opts.workflowBundlePath } : {}),
      runtime: workerRuntimeOptions(settings.env, metrics),
    });
    cleanups.push(() => worker.stop());
    alertOnRejectedConfig(settingsSource, activities, opts.log);
    settingsSource.watch();

    return {
      address: target.address,
      namespace: target.namespace,
      taskQueue: venue.taskQueue,
      venue: venue.gate.venue,
      scope: venue.scope,
      venueReason: venue.gate.reason,
      brokerUrl: venue.gate.tradingBaseUrl!,
      brokerLine: describeBroker(venue.gate, settings.env),
      metricsUrl: metrics?.server.url ?? null,
      done: worker.done,
      shutdown,
    };
  } catch (err) {
    await shutdown();
    throw err;
  }
}
