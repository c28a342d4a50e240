/**
 * Alpaca's request limit: so many requests per minute per API key, a fixed window that opens at
 * a key's first request, reported in X-Ratelimit-Limit / -Remaining / -Reset (epoch seconds).
 */

export interface RateDecision {
  allowed: boolean;
  /** Empty when the limit is off. */
  headers: Record<string, string>;
}

export interface RateLimiter {
  take(key: string): RateDecision;
}

export interface RateLimiterOptions {
  /** Requests per window; 0 or Infinity = no limit. */
  limit: number;
  /** Wall-clock length of the window. */
  windowMs: number;
  now?: () => number;
}

export function createRateLimiter(o: RateLimiterOptions): RateLimiter {
  const off = !(o.limit > 0) || !Number.isFinite(o.limit);
  const now = o.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(key): RateDecision {
      if (off) return { allowed: true, headers: {} };
      const t = now();
      let w = windows.get(key);
      if (!w || t - w.start >= o.windowMs) {
        w = { start: t, count: 0 };
        windows.set(key, w);
      }
      w.count += 1;
      const allowed = w.count <= o.limit;
      return {
        allowed,
        headers: {
          'X-Ratelimit-Limit': String(o.limit),
          'X-Ratelimit-Remaining': String(Math.max(0, o.limit - w.count)),
          'X-Ratelimit-Reset': String(Math.ceil((w.start + o.windowMs) / 1000)),
        },
      };
    },
  };
}
