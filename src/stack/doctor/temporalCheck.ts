/**
 * Temporal as `catalyst up` and `catalyst worker` would meet it: TEMPORAL_ADDRESS (TLS, API key)
 * reachable, the namespace there, Catalyst's search attributes registered, a worker polling the
 * venue's task queue, and the venue's schedule. With TEMPORAL_ADDRESS unset the embedded dev
 * server is the default: it is checked when one runs on 127.0.0.1:7233, and otherwise reported as
 * what `catalyst up` will start. Every call has a deadline and the connection is always closed.
 */
import type { Env } from '../../settings/env';
import { portAnswers } from '../devServer';
import { locateTemporalCli } from '../temporalCli';
import type { VenueTarget } from './brokerCheck';
import { fail, formatMs, ok, oneLine, warn, type CheckResult } from './checkResult';

/** The dev server `catalyst up` starts (its default --port). */
export const EMBEDDED_TEMPORAL_ADDRESS = '127.0.0.1:7233';

const GRPC_NOT_FOUND = 5;

export interface TemporalCheckOptions {
  timeoutMs: number;
  projectDir: string;
  /** Resolves when the broker check knows the venue (null: unknown, e.g. the broker is unreachable). */
  venue: Promise<VenueTarget | null>;
}

export async function checkTemporal(env: Env, opts: TemporalCheckOptions): Promise<CheckResult[]> {
  const embedded = !env.TEMPORAL_ADDRESS;
  const address = env.TEMPORAL_ADDRESS ?? EMBEDDED_TEMPORAL_ADDRESS;
  const namespace = env.TEMPORAL_NAMESPACE;
  const tls = env.TEMPORAL_TLS;

  if (embedded && !(await portAnswers('127.0.0.1', 7233))) return [embeddedDefault(opts.projectDir)];

  // Loaded only when there is a server to ask: the client takes a second to load on a busy machine.
  const [
    { Client, Connection, isGrpcServiceError },
    { checkSearchAttributes },
    { checkWorkerPollers },
    { checkTradingSchedule },
    { catalystDataConverter },
  ] = await Promise.all([
    import('@temporalio/client'),
    import('./searchAttributesCheck'),
    import('./workerPollersCheck'),
    import('./scheduleCheck'),
    import('../../codec/payloadCodec'),
  ]);
  const connection = Connection.lazy({
    address,
    tls: tls ? {} : undefined,
    apiKey: env.TEMPORAL_API_KEY,
    connectTimeout: opts.timeoutMs,
    // One answer per question: the default interceptor would retry an unavailable server until the deadline.
    interceptors: [],
  });
  try {
    let serverVersion: string | null | undefined;
    try {
      await connection.ensureConnected();
      const info = await connection.withDeadline(Date.now() + opts.timeoutMs, () =>
        connection.workflowService.getSystemInfo({}),
      );
      serverVersion = info.serverVersion;
    } catch (err) {
      return [unreachable(address, embedded, tls, opts.timeoutMs, err)];
    }
    const where = `${address}${tls ? ' (TLS)' : ''}${embedded ? ', the embedded dev server (TEMPORAL_ADDRESS unset)' : ''}`;
    const results: CheckResult[] = [
      ok('temporal', `${serverVersion ? `Temporal server ${serverVersion}` : 'Temporal'} at ${where}`),
    ];

    const deadline = (): number => Date.now() + opts.timeoutMs;
    try {
      const ns = await connection.withDeadline(deadline(), () =>
        connection.workflowService.describeNamespace({ namespace }),
      );
      const retention = ns.config?.workflowExecutionRetentionTtl?.seconds;
      results.push(
        ok(
          'temporal namespace',
          `${namespace}${retention ? `: history kept ${days(Number(retention))}` : ''}`,
        ),
      );
    } catch (err) {
      const missing = isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND;
      results.push(
        fail(
          'temporal namespace',
          missing ? `namespace ${namespace} does not exist at ${address}` : oneLine(err),
          missing
            ? `temporal operator namespace create --namespace ${namespace} (Temporal Cloud: create it in the console), or set TEMPORAL_NAMESPACE`
            : 'check TEMPORAL_NAMESPACE and the key’s permissions on it',
        ),
      );
      return results;
    }

    // The schedule's action holds the day's input: encrypted when CATALYST_CODEC_KEYS is set.
    const client = new Client({ connection, namespace, dataConverter: catalystDataConverter() });
    const [attributes, workerAndSchedule] = await Promise.all([
      checkSearchAttributes(connection, namespace, deadline()),
      opts.venue.then(async (venue): Promise<CheckResult[]> => {
        if (!venue)
          return [
            warn(
              'temporal worker',
              "not checked: the broker's account is unknown, so is the venue's task queue (see the broker line)",
            ),
          ];
        return Promise.all([
          checkWorkerPollers(connection, namespace, venue.scope, deadline()),
          checkTradingSchedule(client, venue.scope, { deadline: deadline(), drivenByUp: venue.drivenByUp }),
        ]);
      }),
    ]);
    return [...results, attributes, ...workerAndSchedule];
  } finally {
    await connection.close().catch(() => undefined);
  }
}

function embeddedDefault(projectDir: string): CheckResult {
  let cli;
  try {
    cli = locateTemporalCli({ projectDir });
  } catch (err) {
    // TEMPORAL_CLI_PATH that is not an executable: `up` would stop on it.
    return fail('temporal', oneLine(err), 'point TEMPORAL_CLI_PATH at the temporal binary, or unset it');
  }
  if (!cli)
    return warn(
      'temporal',
      `embedded default: nothing at ${EMBEDDED_TEMPORAL_ADDRESS} now, and the Temporal CLI that \`catalyst up\` starts there is not built yet`,
      '`catalyst provision-temporal` builds it once (needs Go), or set TEMPORAL_ADDRESS',
    );
  return ok(
    'temporal',
    `embedded default (started by \`catalyst up\`): nothing at ${EMBEDDED_TEMPORAL_ADDRESS} now; dev server binary ${cli.path}`,
  );
}

function unreachable(
  address: string,
  embedded: boolean,
  tls: boolean,
  timeoutMs: number,
  err: unknown,
): CheckResult {
  const message = oneLine(err);
  const timedOut = /deadline|timed? ?out/i.test(message);
  return fail(
    'temporal',
    `cannot reach Temporal at ${address}${tls ? ' (TLS)' : ''}${timedOut ? ` within ${formatMs(timeoutMs)}` : ''}: ${message.slice(0, 240)}`,
    embedded
      ? `something other than a Temporal server listens on ${EMBEDDED_TEMPORAL_ADDRESS}: stop it (\`catalyst up\` starts the dev server there), or set TEMPORAL_ADDRESS`
      : 'check TEMPORAL_ADDRESS (host:port), TEMPORAL_TLS / TEMPORAL_API_KEY, and that the server is running and reachable from here',
  );
}

function days(seconds: number): string {
  const n = Math.round(seconds / 86_400);
  return `${n} day${n === 1 ? '' : 's'}`;
}
