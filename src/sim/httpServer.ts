/**
 * The simulator's HTTP front: loopback only, Alpaca's key headers, rate-limit headers on every
 * response, JSON in and out, Alpaca-shaped errors.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { ErrorCode, SimHttpError } from './errors';
import type { Route, SimResponse } from './routes/router';
import { matchRoute } from './routes/router';
import type { Venue } from './venue';

export interface HttpServerOptions {
  venue: Venue;
  routes: readonly Route[];
  keyId: string;
  secretKey: string;
  host: string;
  port: number;
  rateLimitPerMinute?: number;
}

const MAX_BODY_BYTES = 1_000_000;

/** Counts requests per wall-clock minute for the X-Ratelimit-* headers (not enforced). */
class RateWindow {
  private windowStart = 0;
  private count = 0;
  constructor(private readonly limit: number) {}
  headers(): Record<string, string> {
    const now = Date.now();
    if (now - this.windowStart >= 60_000) {
      this.windowStart = now;
      this.count = 0;
    }
    this.count += 1;
    return {
      'X-Ratelimit-Limit': String(this.limit),
      'X-Ratelimit-Remaining': String(Math.max(0, this.limit - this.count)),
      'X-Ratelimit-Reset': String(Math.ceil((this.windowStart + 60_000) / 1000)),
    };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new SimHttpError(413, ErrorCode.InvalidRequest, 'request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function createHttpServer(o: HttpServerOptions): Server {
  const rate = new RateWindow(o.rateLimitPerMinute ?? 200);

  const send = (res: ServerResponse, result: SimResponse, headers: Record<string, string>): void => {
    if (result.status === 204 || result.body === undefined) {
      res.writeHead(result.status, headers);
      res.end();
      return;
    }
    const text = JSON.stringify(result.body);
    res.writeHead(result.status, {
      ...headers,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(text)),
    });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const headers = rate.headers();
    try {
      const url = new URL(req.url ?? '/', 'http://simulator.local');
      const key = req.headers['apca-api-key-id'];
      const secret = req.headers['apca-api-secret-key'];
      if (key !== o.keyId || secret !== o.secretKey) {
        throw new SimHttpError(401, ErrorCode.Unauthorized, 'request is not authorized');
      }
      const method = (req.method ?? 'GET').toUpperCase();
      const match = matchRoute(o.routes, method, url.pathname);
      if (match === null)
        throw new SimHttpError(404, ErrorCode.NotFound, `endpoint not found: ${method} ${url.pathname}`);
      if ('methodNotAllowed' in match)
        throw new SimHttpError(405, ErrorCode.MethodNotAllowed, 'method not allowed');
      let body: unknown = undefined;
      if (method === 'POST' || method === 'PATCH' || method === 'PUT') {
        const text = await readBody(req);
        if (text.trim() !== '') {
          try {
            body = JSON.parse(text);
          } catch {
            throw new SimHttpError(400, ErrorCode.InvalidRequest, 'request body is not valid JSON');
          }
        }
      }
      const now = o.venue.sync();
      const result = match.route.handler(
        { method, path: url.pathname, query: url.searchParams, body, params: match.params, now },
        o.venue,
      );
      send(res, result, headers);
    } catch (e) {
      if (e instanceof SimHttpError) {
        send(res, { status: e.status, body: e.body() }, headers);
        return;
      }
      process.emitWarning(
        `simulator: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
      send(
        res,
        { status: 500, body: { code: ErrorCode.Internal, message: 'internal server error' } },
        headers,
      );
    }
  };

  const server = createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
    void handle(req, res);
  });
  return server;
}
