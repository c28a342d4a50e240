/**
 * The simulator's HTTP front: loopback only, Alpaca's key headers, the per-key request limit with
 * its headers on every response, injected faults, scenario outages, JSON in and out, Alpaca-shaped
 * errors.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { ErrorCode, SimHttpError } from '../venue/errors';
import type { Fault, FaultInjector } from './faults';
import type { RateLimiter } from './rateLimiter';
import type { Route, RouteMatch, SimResponse } from './routes/router';
import { matchRoute } from './routes/router';
import type { Venue } from '../venue/venue';

export interface HttpServerOptions {
  venue: Venue;
  routes: readonly Route[];
  keyId: string;
  secretKey: string;
  host: string;
  port: number;
  /** Absent = no limit and no X-Ratelimit-* headers. */
  rateLimiter?: RateLimiter;
  /** Absent = no faults. */
  faults?: FaultInjector;
}

const MAX_BODY_BYTES = 1_000_000;
/** Names the injected fault on the response, so a test log tells it from a real failure. */
export const FAULT_HEADER = 'X-Simulator-Fault';

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

function errorResponse(e: unknown): SimResponse {
  if (e instanceof SimHttpError) return { status: e.status, body: e.body() };
  process.emitWarning(
    `simulator: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
  );
  return { status: 500, body: { code: ErrorCode.Internal, message: 'internal server error' } };
}

function statusFault(
  fault: Fault,
  rateHeaders: Record<string, string>,
): SimResponse & { headers: Record<string, string> } {
  const status = fault.status!;
  const headers: Record<string, string> = { ...rateHeaders, [FAULT_HEADER]: fault.rule.token };
  if (status === 429) {
    headers['X-Ratelimit-Remaining'] = '0';
    headers['X-Ratelimit-Reset'] ??= String(Math.ceil(Date.now() / 1000) + 1);
    return { status, headers, body: { code: ErrorCode.RateLimited, message: 'rate limit exceeded' } };
  }
  return { status, headers, body: { code: ErrorCode.Internal, message: 'internal server error' } };
}

/**
 * A scenario outage: the broker's front door is shut, so the request reaches neither the limiter
 * nor a route (and no X-Ratelimit-* headers come back), while the venue keeps trading on its clock.
 */
function outageResponse(): SimResponse & { headers: Record<string, string> } {
  return {
    status: 503,
    headers: { [FAULT_HEADER]: 'outage' },
    body: { code: ErrorCode.ServiceUnavailable, message: 'service unavailable (simulated outage)' },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

export function createHttpServer(o: HttpServerOptions): Server {
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

  const runRoute = async (
    req: IncomingMessage,
    method: string,
    url: URL,
    match: RouteMatch,
  ): Promise<SimResponse> => {
    try {
      const key = req.headers['apca-api-key-id'];
      const secret = req.headers['apca-api-secret-key'];
      if (key !== o.keyId || secret !== o.secretKey) {
        throw new SimHttpError(401, ErrorCode.Unauthorized, 'request is not authorized');
      }
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
      return match.route.handler(
        { method, path: url.pathname, query: url.searchParams, body, params: match.params, now },
        o.venue,
      );
    } catch (e) {
      return errorResponse(e);
    }
  };

  /** The route has run; the client never hears about it: the case idempotency keys exist for. */
  const loseAnswer = (res: ServerResponse, holdMs: number): void => {
    if (holdMs <= 0) {
      res.socket?.destroy();
      return;
    }
    const timer = setTimeout(() => res.socket?.destroy(), holdMs);
    timer.unref();
    res.once('close', () => clearTimeout(timer));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let headers: Record<string, string> = {};
    try {
      const method = (req.method ?? 'GET').toUpperCase();
      const url = new URL(req.url ?? '/', 'http://simulator.local');
      if (o.venue.outageAt(o.venue.clock.now())) {
        const down = outageResponse();
        req.resume();
        send(res, down, down.headers);
        return;
      }
      const presentedKey = req.headers['apca-api-key-id'];
      if (o.rateLimiter) {
        const rate = o.rateLimiter.take(typeof presentedKey === 'string' ? presentedKey : '');
        headers = rate.headers;
        if (!rate.allowed) {
          send(
            res,
            { status: 429, body: { code: ErrorCode.RateLimited, message: 'rate limit exceeded' } },
            headers,
          );
          return;
        }
      }
      const match = matchRoute(o.routes, method, url.pathname);
      const routeKey =
        match !== null && 'route' in match ? `${method} ${match.route.path}` : `${method} (no route)`;
      const fault = o.faults?.next(routeKey, method, url.pathname) ?? null;
      if (fault?.kind === 'status') {
        const injected = statusFault(fault, headers);
        send(res, injected, injected.headers);
        return;
      }
      if (fault?.kind === 'latency') await sleep(fault.durationMs!);
      const result = await runRoute(req, method, url, match);
      if (fault?.kind === 'drop') return loseAnswer(res, 0);
      if (fault?.kind === 'timeout') return loseAnswer(res, fault.durationMs!);
      send(res, result, headers);
    } catch (e) {
      send(res, errorResponse(e), headers);
    }
  };

  // Node's client agent keeps an idle socket 5 s, the same as the server's default: a request sent
  // just as the server closed the socket fails with ECONNRESET (seen under load). A server that
  // waits longer than any client leaves the closing to the client.
  const server = createServer({ maxHeaderSize: 64 * 1024, keepAliveTimeout: 30_000 }, (req, res) => {
    void handle(req, res);
  });
  return server;
}
