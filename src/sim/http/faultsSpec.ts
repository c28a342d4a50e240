/**
 * The fault-injection spec: a comma-separated list of rules, each
 *
 *     [SCOPE:]KIND:PROBABILITY[@DURATION]
 *
 * KIND         429 or 500–599 (answered before the route runs: nothing happens at the venue),
 *              latency (the request waits DURATION, default 200ms, then runs normally),
 *              timeout (the route runs, then the answer is held back for DURATION, default 2s,
 *              and the connection is closed without one), drop (the route runs, then the
 *              connection is reset without an answer).
 * PROBABILITY  0..1 or 0..100% — the share of matching requests that get this fault.
 * DURATION     e.g. 200ms, 2s, 1.5s (wall clock, whatever the market speed).
 * SCOPE        METHOD, /path or METHOD /path; a /path matches itself and anything below it
 *              (`/v2/orders` covers `/v2/orders/{id}` and `/v2/orders:by_client_order_id`), and a
 *              `:name` segment matches any one segment (`DELETE /v2/orders/:id`).
 *              Without a scope a rule applies to every request.
 *
 * Example: `500:0.05,429:2%,latency:0.1@200ms,POST /v2/orders:drop:0.2,/v2/stocks:timeout:0.01@1s`.
 * The rules that match a request share one draw: their probabilities add up, in the order listed.
 */

export type FaultKind = 'status' | 'latency' | 'timeout' | 'drop';

export interface FaultScope {
  method: string | null;
  /** As written; null = every path. */
  path: string | null;
  pattern: RegExp | null;
}

export interface FaultRule {
  /** The token as written, for messages and counters. */
  token: string;
  kind: FaultKind;
  /** For `status` faults: 429 or 5xx. */
  status: number | null;
  probability: number;
  /** For latency and timeout. */
  durationMs: number | null;
  scope: FaultScope;
}

export class FaultSpecError extends Error {
  override name = 'FaultSpecError';
}

const DEFAULT_DURATION_MS = { latency: 200, timeout: 2_000 } as const;
const MAX_DURATION_MS = 10 * 60_000;
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
// The scope keeps every colon but the last two: Alpaca paths hold colons (`/v2/orders:by_client_order_id`).
const RULE = /^(?:(.+):)?([^:@]+):([^:@]+)(?:@([^:@]+))?$/;

function bad(token: string, why: string): FaultSpecError {
  return new FaultSpecError(`bad fault rule ${JSON.stringify(token)}: ${why}`);
}

function parseProbability(text: string, token: string): number {
  const percent = text.endsWith('%');
  const digits = percent ? text.slice(0, -1) : text;
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(digits))
    throw bad(token, `probability ${JSON.stringify(text)} is not a number`);
  const p = Number(digits) / (percent ? 100 : 1);
  if (p > 1) throw bad(token, `probability must be between 0 and 1 (or 0% and 100%), got ${text}`);
  return p;
}

function parseDuration(text: string, token: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(text);
  if (!m) throw bad(token, `duration ${JSON.stringify(text)} must look like 200ms or 2s`);
  const ms = Number(m[1]) * (m[2] === 's' ? 1000 : 1);
  if (ms > MAX_DURATION_MS) throw bad(token, `duration must be at most 10 minutes, got ${text}`);
  return Math.round(ms);
}

function pathPattern(path: string): RegExp {
  const source = path
    .replace(/\/+$/, '')
    .split('/')
    .map((segment) =>
      segment.startsWith(':') && segment.length > 1
        ? '[^/]+'
        : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}(?:[/:].*)?$`);
}

function parseScope(text: string | undefined, token: string): FaultScope {
  if (text === undefined) return { method: null, path: null, pattern: null };
  const words = text.trim().split(/\s+/);
  const method = words.length === 2 || !words[0]!.startsWith('/') ? words[0]!.toUpperCase() : null;
  const path = words.length === 2 ? words[1]! : words[0]!.startsWith('/') ? words[0]! : null;
  if (
    words.length > 2 ||
    (method !== null && !METHODS.has(method)) ||
    (path !== null && !path.startsWith('/'))
  ) {
    throw bad(
      token,
      `scope ${JSON.stringify(text)} must be a METHOD, a /path or "METHOD /path" (e.g. "POST /v2/orders")`,
    );
  }
  return { method, path, pattern: path === null ? null : pathPattern(path) };
}

function parseKind(text: string, token: string): Pick<FaultRule, 'kind' | 'status'> {
  if (/^\d{3}$/.test(text)) {
    const status = Number(text);
    if (status === 429 || (status >= 500 && status <= 599)) return { kind: 'status', status };
    throw bad(token, `status ${text} is not a fault; use 429 or 500-599`);
  }
  const kind = text.toLowerCase();
  if (kind === 'latency' || kind === 'timeout' || kind === 'drop') return { kind, status: null };
  throw bad(token, `unknown fault ${JSON.stringify(text)}; use 429, 500-599, latency, timeout or drop`);
}

/** Parses a spec; an empty spec means no faults. Throws FaultSpecError naming the first bad rule. */
export function parseFaultSpec(spec: string): FaultRule[] {
  const rules: FaultRule[] = [];
  for (const raw of spec.split(',')) {
    const token = raw.trim();
    if (token === '') continue;
    const m = RULE.exec(token);
    if (!m)
      throw bad(
        token,
        'expected [SCOPE:]KIND:PROBABILITY[@DURATION], e.g. 500:0.05 or POST /v2/orders:drop:0.1',
      );
    const [, scopeText, kindText, probabilityText, durationText] = m;
    const { kind, status } = parseKind(kindText!.trim(), token);
    const probability = parseProbability(probabilityText!.trim(), token);
    let durationMs: number | null = null;
    if (kind === 'latency' || kind === 'timeout') {
      durationMs =
        durationText === undefined ? DEFAULT_DURATION_MS[kind] : parseDuration(durationText.trim(), token);
    } else if (durationText !== undefined) {
      throw bad(token, 'only latency and timeout take an @duration');
    }
    rules.push({ token, kind, status, probability, durationMs, scope: parseScope(scopeText, token) });
  }
  return rules;
}

/** Whether a rule applies to a request. */
export function scopeMatches(scope: FaultScope, method: string, path: string): boolean {
  if (scope.method !== null && scope.method !== method) return false;
  return scope.pattern === null || scope.pattern.test(path);
}
