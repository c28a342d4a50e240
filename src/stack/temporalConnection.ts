import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import type { Interceptor } from '@grpc/grpc-js';
import {
  Connection,
  Client,
  defaultGrpcRetryOptions,
  makeGrpcRetryInterceptor,
  type TLSConfig,
} from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { catalystDataConverter } from '../codec/payloadCodec';
import { closedConnectionGuard } from './closedConnectionGuard';

export interface TemporalTarget {
  address: string;
  namespace: string;
  apiKey?: string;
  tls?: boolean;
  /** mTLS: PEM files of the client certificate and its private key (both or neither). */
  clientCertPath?: string;
  clientKeyPath?: string;
  /** A private CA that signed the server's certificate (PEM); unset: the system's trust store. */
  serverCaPath?: string;
  /** The name the server's certificate is checked against (SNI), when it differs from the address's host. */
  serverName?: string;
}

/**
 * TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / TEMPORAL_API_KEY / TEMPORAL_TLS and the mTLS files
 * (TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH, TEMPORAL_TLS_SERVER_CA_CERT_PATH,
 * TEMPORAL_TLS_SERVER_NAME: the Temporal CLI's own names), else the embedded dev server.
 */
export function temporalTargetFromEnv(env: NodeJS.ProcessEnv = process.env): TemporalTarget {
  const set = (name: string): string | undefined => env[name]?.trim() || undefined;
  const apiKey = set('TEMPORAL_API_KEY');
  const clientCertPath = set('TEMPORAL_TLS_CLIENT_CERT_PATH');
  const clientKeyPath = set('TEMPORAL_TLS_CLIENT_KEY_PATH');
  const serverCaPath = set('TEMPORAL_TLS_SERVER_CA_CERT_PATH');
  const serverName = set('TEMPORAL_TLS_SERVER_NAME');
  const tlsFlag = set('TEMPORAL_TLS')?.toLowerCase();
  // An API key or a client certificate only works over TLS: either turns it on unless TEMPORAL_TLS=false.
  const tls =
    tlsFlag !== undefined
      ? tlsFlag === 'true'
      : Boolean(apiKey || clientCertPath || clientKeyPath || serverCaPath || serverName);
  return {
    address: env.TEMPORAL_ADDRESS || '127.0.0.1:7233',
    namespace: env.TEMPORAL_NAMESPACE || 'default',
    apiKey,
    tls,
    ...(clientCertPath ? { clientCertPath } : {}),
    ...(clientKeyPath ? { clientKeyPath } : {}),
    ...(serverCaPath ? { serverCaPath } : {}),
    ...(serverName ? { serverName } : {}),
  };
}

/** The connection's TLS settings: off, server-verified TLS, or mTLS with the client's certificate. */
export function tlsConfigFor(target: TemporalTarget): TLSConfig | undefined {
  if (!target.tls) return undefined;
  if (Boolean(target.clientCertPath) !== Boolean(target.clientKeyPath))
    throw new Error(
      'Temporal mTLS needs both TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH (set both or neither)',
    );
  const read = (variable: string, path: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new Error(
        `cannot read ${variable} ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message}`,
      );
    }
  };
  return {
    ...(target.clientCertPath && target.clientKeyPath
      ? {
          clientCertPair: {
            crt: read('TEMPORAL_TLS_CLIENT_CERT_PATH', target.clientCertPath),
            key: read('TEMPORAL_TLS_CLIENT_KEY_PATH', target.clientKeyPath),
          },
        }
      : {}),
    ...(target.serverCaPath
      ? { serverRootCACertificate: read('TEMPORAL_TLS_SERVER_CA_CERT_PATH', target.serverCaPath) }
      : {}),
    ...(target.serverName ? { serverNameOverride: target.serverName } : {}),
  };
}

/** One line, whatever the transport said: the first line of its message, without gRPC's status prefix. */
const firstLine = (err: unknown): string =>
  ((err as Error)?.message ?? String(err))
    .split('\n')[0]!
    .replace(/^\d+ [A-Z_]+: /, '')
    .trim();

/** Errors that say at once that nothing will answer: no need to wait out gRPC's retries. */
const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/**
 * A plain TCP connect to host:port: the reason when the address plainly does not answer (refused,
 * unknown host), null when it answers or the probe is inconclusive within `timeoutMs` (gRPC's own
 * connect then decides).
 */
export function probeAddress(address: string, timeoutMs = 2_000): Promise<string | null> {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address.trim());
  if (!m) return Promise.resolve(null);
  return new Promise((resolve) => {
    const socket = createConnection({ host: m[1]!, port: Number(m[2]) });
    const done = (reason: string | null): void => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(timeoutMs, () => done(null));
    socket.once('connect', () => done(null));
    socket.once('error', (err: NodeJS.ErrnoException) => done((err.code && UNREACHABLE[err.code]) ?? null));
  });
}

/** The client's default retries, then {@link closedConnectionGuard} so a retry after close cannot crash the process. */
export const temporalInterceptors = (): Interceptor[] => [
  makeGrpcRetryInterceptor(defaultGrpcRetryOptions()),
  closedConnectionGuard,
];

export async function connectClient(target: TemporalTarget): Promise<Client> {
  const tls = tlsConfigFor(target);
  // Before the connect: a bad CATALYST_CODEC_KEYS is its own error, not "cannot reach Temporal".
  const dataConverter = catalystDataConverter();
  const refused = await probeAddress(target.address);
  if (refused)
    throw new Error(
      `cannot reach Temporal at ${target.address} (${refused}). Is \`catalyst up\` running, or TEMPORAL_ADDRESS set?`,
    );
  try {
    const connection = await Connection.connect({
      address: target.address,
      tls,
      apiKey: target.apiKey,
      connectTimeout: '5s',
      interceptors: temporalInterceptors(),
    });
    return new Client({ connection, namespace: target.namespace, dataConverter });
  } catch (err) {
    throw new Error(
      `cannot reach Temporal at ${target.address} (${firstLine(err)}). Is \`catalyst up\` running, or TEMPORAL_ADDRESS set?`,
    );
  }
}

export async function connectWorker(target: TemporalTarget): Promise<NativeConnection> {
  const tls = tlsConfigFor(target);
  const refused = await probeAddress(target.address);
  if (refused) throw new Error(`cannot reach Temporal at ${target.address} (${refused})`);
  try {
    return await NativeConnection.connect({ address: target.address, tls, apiKey: target.apiKey });
  } catch (err) {
    throw new Error(`cannot reach Temporal at ${target.address} (${firstLine(err)})`);
  }
}
