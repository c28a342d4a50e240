/** A tiny method + path-pattern router for the simulator's HTTP API. */
import type { Venue } from '../../venue/venue';

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  params: Record<string, string>;
  /** The venue's market time for this request, after syncing. */
  now: number;
}

export interface SimResponse {
  status: number;
  /** Omitted for 204. */
  body?: unknown;
}

export type Handler = (req: SimRequest, venue: Venue) => SimResponse;

export interface Route {
  method: string;
  /** As declared, e.g. `/v2/orders/:order_id`: names the route in fault plans and logs. */
  path: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

/** `path` may hold `:name` segments; everything else matches literally (':' included). */
export function route(method: string, path: string, handler: Handler): Route {
  const keys: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':') && segment.length > 1) {
        keys.push(segment.slice(1));
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { method, path, pattern: new RegExp(`^${source}/?$`), keys, handler };
}

export type RouteMatch = { route: Route; params: Record<string, string> } | { methodNotAllowed: true } | null;

export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  let pathMatched = false;
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (r.method !== method) continue;
    const params: Record<string, string> = {};
    r.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1]!)));
    return { route: r, params };
  }
  return pathMatched ? { methodNotAllowed: true } : null;
}

/** Query flags arrive as "true"/"false". */
export const queryFlag = (q: URLSearchParams, name: string): boolean => q.get(name)?.toLowerCase() === 'true';
