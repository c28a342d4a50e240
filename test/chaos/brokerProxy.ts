/**
 * An HTTP proxy between the worker and the simulator, owned by the chaos harness. The worker's
 * ALPACA_BASE_URL points here; every request is forwarded as it came, and every answer as the
 * simulator gave it — a reset or a held-back answer (the simulator's own faults) included.
 *
 * Before an answer goes back, `decide` may say `kill`: the harness then SIGKILLs the worker
 * while the answer is still here, and the connection is dropped without it. So the broker has
 * done the request (an order accepted, an order cancelled) and the worker never learns of it:
 * the moment between the broker's acceptance and Catalyst's database write.
 */
import {
  createServer,
  request as httpRequest,
  Agent,
  type IncomingHttpHeaders,
  type Server,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ProxiedExchange {
  method: string;
  /** Path without the query string, e.g. /v2/orders or /v2/orders/abc. */
  path: string;
  query: string;
  status: number;
  /** The request body as JSON when it parses (POST /v2/orders), else null. */
  requestJson: Record<string, unknown> | null;
  /** The answer body as JSON when it parses, else null. */
  responseJson: unknown;
  /** Wall time the answer arrived from the simulator. */
  atMs: number;
  /** What `tag` said when the request arrived (e.g. which worker process was running then). */
  tag: unknown;
}

/** null: pass the answer on; a label: drop it, after `onKill` (with that label). */
export type ProxyDecision = string | null;

export interface BrokerProxyOptions {
  upstream: string;
  /** Called as each request arrives; its value travels with the exchange. */
  tag?: () => unknown;
  /** Called with each complete answer before it is written back. */
  decide?: (x: ProxiedExchange) => ProxyDecision;
  /** Runs synchronously before the dropped answer's connection is destroyed. */
  onKill?: (x: ProxiedExchange, label: string) => void;
  /** Every exchange, answered or not (status 0: the simulator gave no answer). */
  onExchange?: (x: ProxiedExchange, outcome: 'answered' | 'killed' | 'lost') => void;
}

export interface BrokerProxy {
  url: string;
  port: number;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'host',
]);

function forwardable(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return null;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
}

export async function startBrokerProxy(o: BrokerProxyOptions): Promise<BrokerProxy> {
  const upstream = new URL(o.upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const tag = o.tag?.();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://proxy');
      const base: Omit<ProxiedExchange, 'status' | 'responseJson' | 'atMs'> = {
        tag,
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.search,
        requestJson: (parseJson(body) as Record<string, unknown> | null) ?? null,
      };
      const up = httpRequest(
        {
          agent,
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...forwardable(req.headers), 'content-length': String(body.length) },
        },
        (upRes) => {
          const answer: Buffer[] = [];
          upRes.on('data', (c: Buffer) => answer.push(c));
          upRes.on('error', () => {
            o.onExchange?.({ ...base, status: 0, responseJson: null, atMs: Date.now() }, 'lost');
            req.socket.destroy();
          });
          upRes.on('end', () => {
            const payload = Buffer.concat(answer);
            const x: ProxiedExchange = {
              ...base,
              status: upRes.statusCode ?? 0,
              responseJson: parseJson(payload),
              atMs: Date.now(),
            };
            const label = o.decide?.(x) ?? null;
            if (label !== null) {
              o.onKill?.(x, label);
              o.onExchange?.(x, 'killed');
              req.socket.destroy();
              return;
            }
            o.onExchange?.(x, 'answered');
            if (res.destroyed) return;
            res.writeHead(upRes.statusCode ?? 502, {
              ...forwardable(upRes.headers),
              'content-length': String(payload.length),
            });
            res.end(payload);
          });
        },
      );
      // The simulator reset the connection or closed it without an answer: so does the proxy.
      up.on('error', () => {
        o.onExchange?.({ ...base, status: 0, responseJson: null, atMs: Date.now() }, 'lost');
        req.socket.destroy();
      });
      up.end(body);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      for (const s of sockets) s.destroy();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
