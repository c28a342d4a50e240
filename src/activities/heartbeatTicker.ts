import type { Context } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

/**
 * Keeps every activity that has a heartbeat timeout heartbeating while it runs, a broker request
 * in flight included. Its heartbeat timeout then means one thing, the worker is gone, so it can be
 * short (seconds) and a placement, flatten or monitor guard on a killed worker is retried
 * elsewhere at once rather than after its start-to-close timeout. Activities still call `beat`
 * between requests: that is where they learn of a cancellation.
 */
export const heartbeatTicker: ActivityInterceptorsFactory = (ctx: Context) => ({
  inbound: {
    async execute(input, next) {
      const timeoutMs = ctx.info.heartbeatTimeoutMs;
      if (!timeoutMs) return next(input);
      const ticker = setInterval(() => ctx.heartbeat(), Math.max(250, Math.floor(timeoutMs / 4)));
      try {
        return await next(input);
      } finally {
        clearInterval(ticker);
      }
    },
  },
});
