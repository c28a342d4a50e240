/**
 * `catalyst codec-server`: decrypts Catalyst's payloads for the Temporal Web UI and CLI with the
 * keys of CATALYST_CODEC_KEYS (src/codec). The codec modules load only when it runs.
 */
import type { Command } from 'commander';
import { UsageError, parsePort } from './cliErrors';

export const DEFAULT_CORS_ORIGIN = 'http://127.0.0.1:8233';
const DEFAULT_ORIGINS: readonly string[] = [DEFAULT_CORS_ORIGIN];

export interface CodecServerCommandOptions {
  port: number;
  host: string;
  corsOrigins: readonly string[];
}

/** `--cors-origin a,b` and repeated flags: exact origins, the default dropped once one is given. */
export function parseCorsOrigins(value: string, previous: readonly string[] = DEFAULT_ORIGINS): string[] {
  const parsed = value.split(',').map((raw) => {
    const text = raw.trim();
    let url: URL | null = null;
    try {
      url = new URL(text);
    } catch {
      url = null;
    }
    // An origin has no path: "http://host:8233/" is accepted, "http://host:8233/namespaces" is not.
    if (
      !url ||
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      url.pathname !== '/' ||
      url.search !== '' ||
      url.hash !== '' ||
      url.username !== '' ||
      url.password !== ''
    )
      throw new UsageError(
        `--cors-origin must be the Web UI's origin, scheme://host[:port] (e.g. ${DEFAULT_CORS_ORIGIN}), comma-separated for several (got ${JSON.stringify(text)})`,
      );
    return url.origin;
  });
  return [...new Set([...(previous === DEFAULT_ORIGINS ? [] : previous), ...parsed])];
}

const waitForStop = (): Promise<void> =>
  new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Serves until `stop` resolves (default: Ctrl-C or SIGTERM), then closes. Refuses to start
 * without CATALYST_CODEC_KEYS: a codec server with no keys could only echo payloads back.
 */
export async function codecServerCommand(
  opts: CodecServerCommandOptions,
  env: NodeJS.ProcessEnv = process.env,
  stop: () => Promise<void> = waitForStop,
): Promise<void> {
  const [{ CODEC_KEYS_ENV, GENERATE_KEY_HINT }, { codecFromEnv }, { startCodecServer }] = await Promise.all([
    import('../codec/codecKeys'),
    import('../codec/payloadCodec'),
    import('../codec/codecServer'),
  ]);
  const codec = codecFromEnv(env);
  if (!codec)
    throw new UsageError(
      `${CODEC_KEYS_ENV} is not set: the codec server needs the keys the workers encrypt with (keyId:base64key,…; a key: ${GENERATE_KEY_HINT})`,
    );
  let server;
  try {
    server = await startCodecServer({
      codec,
      host: opts.host,
      port: opts.port,
      corsOrigins: opts.corsOrigins,
      log: (line) => process.stderr.write(`${line}\n`),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'EADDRINUSE'
        ? 'the port is in use'
        : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND'
          ? 'no such local address'
          : code === 'EACCES'
            ? 'permission denied'
            : (err as Error).message;
    throw new UsageError(`codec-server cannot listen on --host ${opts.host} --port ${opts.port}: ${reason}`);
  }
  if (!LOOPBACK.has(opts.host))
    process.stderr.write(
      `catalyst: warning: the codec server listens on ${opts.host}: anyone who can reach it can decrypt Catalyst's payloads; keep it on 127.0.0.1 or behind an authenticating proxy\n`,
    );
  process.stdout.write(
    [
      `codec server on ${server.url} (encrypts with key id "${codec.currentKeyId}"; Web UI origin ${opts.corsOrigins.join(', ')})`,
      `Web UI: Data Encoder (settings) → ${server.url}, or temporal server start-dev --ui-codec-endpoint ${server.url}`,
      `CLI: temporal workflow show --codec-endpoint ${server.url} …`,
      'Ctrl-C stops it.',
    ].join('\n') + '\n',
  );
  await stop();
  await server.close();
  process.stdout.write('codec server stopped\n');
}

export function registerCodecServerCommand(program: Command): void {
  program
    .command('codec-server')
    .description(
      "decrypt Catalyst's Temporal payloads for the Web UI and the Temporal CLI (the codec server protocol: POST /encode and /decode) with the keys of CATALYST_CODEC_KEYS; Ctrl-C stops it",
    )
    .option('--port <port>', 'TCP port to listen on', (v) => parsePort('--port', v), 8888)
    .option(
      '--host <host>',
      'address to bind (anyone who can reach it can decrypt: keep it local)',
      '127.0.0.1',
    )
    .option(
      '--cors-origin <origin>',
      "the Web UI's origin, allowed to call it from the browser; comma-separated or repeated for several",
      parseCorsOrigins,
      DEFAULT_ORIGINS,
    )
    .showHelpAfterError(false)
    .addHelpText(
      'after',
      `
Needs CATALYST_CODEC_KEYS (the environment or .env), the same value as the workers'.

Example:
  catalyst codec-server --port 8888 --cors-origin http://127.0.0.1:8233
  # then in the Web UI: Data Encoder → Remote Codec Endpoint http://127.0.0.1:8888`,
    )
    .action(async (o: { port: number; host: string; corsOrigin: readonly string[] }) =>
      codecServerCommand({ port: o.port, host: o.host.trim(), corsOrigins: o.corsOrigin }),
    );
}
