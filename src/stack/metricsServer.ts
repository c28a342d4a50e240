/**
 * The worker's Prometheus endpoint: `GET /metrics` on METRICS_HOST:METRICS_PORT answers with
 * Catalyst's registry (catalyst_* and the process's own metrics) followed by Temporal's runtime
 * metrics (temporal_*: polls, task latencies, slots, sticky cache, …). Those come from the Core
 * SDK's own Prometheus exporter, which the worker's Runtime binds on a private 127.0.0.1 port;
 * each scrape reads it and appends it, so one scrape target has everything.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { Registry } from 'prom-client';

export interface MetricsServer {
  /** http://host:port/metrics */
  url: string;
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  host: string;
  port: number;
  registry: Registry;
  /** The Core exporter's address (host:port) to append; absent: Catalyst's metrics only. */
  temporalAddress?: string;
  /** How long a scrape waits for the Core exporter (default 2 s). */
  temporalTimeoutMs?: number;
}

const UP_HELP = [
  "# HELP catalyst_temporal_metrics_up 1 when this scrape includes Temporal's runtime metrics, else 0 (no worker running yet, or its exporter did not answer).",
  '# TYPE catalyst_temporal_metrics_up gauge',
];

/** Temporal's runtime metrics as Prometheus text, or the reason they are missing. */
async function readTemporal(
  address: string,
  timeoutMs: number,
): Promise<{ text: string } | { error: string }> {
  try {
    const res = await fetch(`http://${address}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return { error: `HTTP ${res.status}` };
    return { text: await res.text() };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { error: cause ?? (err as Error).message };
  }
}

/** The body of one scrape: Catalyst's registry, then Temporal's runtime metrics when configured. */
export async function scrapeText(
  registry: Registry,
  temporalAddress?: string,
  temporalTimeoutMs = 2_000,
): Promise<string> {
  const ours = await registry.metrics();
  if (!temporalAddress) return ours;
  const temporal = await readTemporal(temporalAddress, temporalTimeoutMs);
  const up = 'text' in temporal ? 1 : 0;
  const parts = [ours.trimEnd(), ...UP_HELP, `catalyst_temporal_metrics_up ${up}`];
  if ('text' in temporal) parts.push(temporal.text.trimEnd());
  else parts.push(`# Temporal runtime metrics unavailable: ${temporal.error.replace(/\s+/g, ' ')}`);
  return `${parts.join('\n')}\n`;
}

export async function startMetricsServer(opts: MetricsServerOptions): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      scrapeText(opts.registry, opts.temporalAddress, opts.temporalTimeoutMs).then(
        (body) => res.writeHead(200, { 'Content-Type': opts.registry.contentType }).end(body),
        (err: unknown) =>
          res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${(err as Error).message}\n`),
      );
      return;
    }
    if (path === '/') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('Catalyst worker metrics: /metrics\n');
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found: try /metrics\n');
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === 'EADDRINUSE'
            ? `METRICS_PORT ${opts.port}: ${opts.host}:${opts.port} is already in use (choose another METRICS_PORT, or unset it)`
            : `METRICS_HOST/METRICS_PORT ${opts.host}:${opts.port}: ${err.message}`,
        ),
      ),
    );
    server.listen(opts.port, opts.host, () => resolve());
  });
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${opts.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A 127.0.0.1 address nothing listens on now: where the Core SDK's exporter is bound. */
export function freeLocalAddress(): Promise<string> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(`127.0.0.1:${port}`));
    });
  });
}
