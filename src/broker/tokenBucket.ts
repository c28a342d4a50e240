/**
 * Catalyst's own request budget for one broker key, shared by trading and market-data calls (the
 * client's built-in limiter keeps one budget per API family, so together they could double it).
 *
 * Two lanes. Safety traffic (flattens, flat checks, the monitor's stop guard: safetyLane.ts) is
 * served before everything else and may spend a reserve of tokens that normal traffic (the scan,
 * news, entries) never touches, so an emergency stop's requests go out at once even while a scan
 * has the budget drained. Within a lane, waiters are served first come, first served; a waiter
 * whose request is aborted leaves the queue without spending a token.
 *
 * Any span of one minute holds at most burst + reserve + perMinute requests, so keeping that sum
 * ≤ the broker's limit keeps every one of its minute windows, however aligned, under that limit.
 */

export type BudgetLane = 'normal' | 'safety';

export interface TokenBucketOptions {
  /** Requests per broker minute, refilled continuously. */
  perMinute: number;
  /** Tokens normal traffic may spend at once after a quiet spell; default 1. */
  burst?: number;
  /** Tokens above the burst that only safety traffic may spend; default 0. */
  safetyReserve?: number;
  /** Broker minutes per wall-clock minute: the simulator's speed, 1 for Alpaca. */
  clockSpeed?: number;
  now?: () => number;
}

export interface TokenBucket {
  /** Resolves when a request may go; rejects with the signal's reason if aborted while waiting. */
  take(signal?: AbortSignal, lane?: BudgetLane): Promise<void>;
}

interface Waiter {
  lane: BudgetLane;
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

export function createTokenBucket(o: TokenBucketOptions): TokenBucket {
  if (!(o.perMinute > 0) || !Number.isFinite(o.perMinute))
    throw new Error(`perMinute must be a positive number, got ${o.perMinute}`);
  const speed = o.clockSpeed ?? 1;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`clockSpeed must be > 0, got ${speed}`);
  const now = o.now ?? Date.now;
  const burst = o.burst ?? 1;
  if (!(burst >= 1) || !Number.isFinite(burst)) throw new Error(`burst must be >= 1, got ${burst}`);
  const reserve = o.safetyReserve ?? 0;
  if (!(reserve >= 0) || !Number.isFinite(reserve))
    throw new Error(`safetyReserve must be >= 0, got ${reserve}`);
  const capacity = burst + reserve;
  const perMs = (o.perMinute * speed) / 60_000;
  let tokens = capacity;
  let last = now();
  const queues: Record<BudgetLane, Waiter[]> = { safety: [], normal: [] };
  let timer: ReturnType<typeof setTimeout> | null = null;

  /** The tokens a lane must leave behind: normal traffic never dips into the reserve. */
  const floor = (lane: BudgetLane): number => (lane === 'safety' ? 1 : reserve + 1);

  const refill = (): void => {
    const t = now();
    tokens = Math.min(capacity, tokens + (t - last) * perMs);
    last = t;
  };

  const settle = (w: Waiter): void => {
    if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
  };

  /** Serves the head waiters while tokens allow, safety first; otherwise waits for the next token. */
  const pump = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    refill();
    for (;;) {
      const lane: BudgetLane | null =
        queues.safety.length > 0 ? 'safety' : queues.normal.length > 0 ? 'normal' : null;
      if (lane === null) return;
      const need = floor(lane);
      if (tokens < need) {
        timer = setTimeout(pump, Math.max(1, Math.ceil((need - tokens) / perMs)));
        return;
      }
      tokens -= 1;
      const w = queues[lane].shift()!;
      settle(w);
      w.resolve();
    }
  };

  return {
    take(signal, lane = 'normal') {
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      return new Promise<void>((resolve, reject) => {
        const w: Waiter = { lane, resolve, reject };
        if (signal) {
          w.signal = signal;
          w.onAbort = () => {
            const q = queues[lane];
            const i = q.indexOf(w);
            if (i >= 0) q.splice(i, 1);
            reject(abortReason(signal));
            pump();
          };
          signal.addEventListener('abort', w.onAbort, { once: true });
        }
        queues[lane].push(w);
        pump();
      });
    },
  };
}
