/**
 * Catalyst's own request budget for one broker key, shared by trading and market-data calls (the
 * client's built-in limiter keeps one budget per API family, so together they could double it).
 * Waiters are served first come, first served; a waiter whose request is aborted leaves the queue.
 *
 * Any span of one minute holds at most burst + perMinute requests, so burst + perMinute ≤ the
 * broker's limit keeps every one of its minute windows, however aligned, under that limit.
 */

export interface TokenBucketOptions {
  /** Requests per broker minute, refilled continuously. */
  perMinute: number;
  /** Tokens held when idle; default 1. */
  burst?: number;
  /** Broker minutes per wall-clock minute: the simulator's speed, 1 for Alpaca. */
  clockSpeed?: number;
  now?: () => number;
}

export interface TokenBucket {
  /** Resolves when a request may go; rejects with the signal's reason if aborted while waiting. */
  take(signal?: AbortSignal): Promise<void>;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function createTokenBucket(o: TokenBucketOptions): TokenBucket {
  if (!(o.perMinute > 0) || !Number.isFinite(o.perMinute))
    throw new Error(`perMinute must be a positive number, got ${o.perMinute}`);
  const speed = o.clockSpeed ?? 1;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`clockSpeed must be > 0, got ${speed}`);
  const now = o.now ?? Date.now;
  const capacity = o.burst ?? 1;
  if (!(capacity >= 1) || !Number.isFinite(capacity)) throw new Error(`burst must be >= 1, got ${capacity}`);
  const perMs = (o.perMinute * speed) / 60_000;
  let tokens = capacity;
  let last = now();
  let queue: Promise<void> = Promise.resolve();

  const refill = (): void => {
    const t = now();
    tokens = Math.min(capacity, tokens + (t - last) * perMs);
    last = t;
  };

  const acquire = async (signal?: AbortSignal): Promise<void> => {
    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      refill();
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      await wait(Math.max(1, Math.ceil((1 - tokens) / perMs)), signal);
    }
  };

  return {
    take(signal) {
      const turn = queue.then(() => acquire(signal));
      queue = turn.catch(() => undefined);
      if (!signal) return turn;
      // Leaves at once when aborted; its turn, when it comes, then takes no token.
      return new Promise<void>((resolve, reject) => {
        const onAbort = (): void => reject(abortReason(signal));
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        turn.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
    },
  };
}
