/**
 * A corrupting HTTP proxy for the bad-input battery (brokerResponses.test.ts): it listens on
 * 127.0.0.1 only, forwards every request to the simulator unchanged, reads the simulator's whole
 * answer, and lets the test rewrite it (status, headers, body) before it goes back to the Alpaca
 * client. With no rewrite set, answers pass through as the simulator gave them.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Answer {
  method: string;
  /** Path without the query string, e.g. /v2/account. */
  path: string;
  query: URLSearchParams;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What to send back instead; fields left out keep the simulator's. null: pass the answer on. */
export type Rewrite = (answer: Answer) => Partial<Pick<Answer, 'status' | 'headers' | 'body'>> | null;

export interface CorruptingProxy {
  url: string;
  /** Rewrites answers from now on (null: none). */
  rewrite(fn: Rewrite | null): void;
  /** Paths of the requests seen since the last `rewrite` call. */
  seen(): string[];
  close(): Promise<void>;
}

const DROPPED = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
]);

function plainHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || DROPPED.has(k.toLowerCase())) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

export async function startCorruptingProxy(upstream: string): Promise<CorruptingProxy> {
  const target = new URL(upstream);
  let current: Rewrite | null = null;
  let seen: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const up = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host, 'accept-encoding': 'identity' },
        },
        (upRes) => {
          const body: Buffer[] = [];
          upRes.on('data', (c: Buffer) => body.push(c));
          upRes.on('end', () => {
            const url = new URL(req.url ?? '/', 'http://proxy');
            seen.push(url.pathname);
            const answer: Answer = {
              method: req.method ?? 'GET',
              path: url.pathname,
              query: url.searchParams,
              status: upRes.statusCode ?? 502,
              headers: plainHeaders(upRes.headers),
              body: Buffer.concat(body).toString('utf8'),
            };
            const out = { ...answer, ...(current?.(answer) ?? {}) };
            const bytes = Buffer.from(out.body, 'utf8');
            res.writeHead(out.status, { ...out.headers, 'content-length': String(bytes.length) });
            res.end(bytes);
          });
        },
      );
      up.on('error', () => {
        res.writeHead(599);
        res.end();
      });
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    rewrite(fn) {
      current = fn;
      seen = [];
    },
    seen: () => seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
