/**
 * The driven market clock's side of the workflows' one waiting seam (workflows/marketWait.ts):
 * a wait that returns when the simulator's clock reaches a market time, and the notices that
 * tell the clock who works. Only a worker whose venue has a driven clock can serve them.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { ErrorType } from '../shared';
import type { DrivenClockPort } from './deps';
import type { MarketClockNotice, MarketWaitInput } from './types';

/** Often enough that a woken workflow's cancellation reaches the wait within a heartbeat. */
const HEARTBEAT_MS = 1_000;

export function createDrivenClockActivities(deps: { drivenClock?: DrivenClockPort }) {
  const clock = (): DrivenClockPort => {
    if (deps.drivenClock) return deps.drivenClock;
    throw ApplicationFailure.nonRetryable(
      "this worker's venue runs on the wall clock: a driven-clock day needs the embedded simulator started with the driven clock",
      ErrorType.InvalidInput,
    );
  };

  return {
    async waitForMarketTime(input: MarketWaitInput): Promise<number> {
      const driven = clock();
      const ctx = Context.current();
      const beat = setInterval(() => ctx.heartbeat(input.untilMs), HEARTBEAT_MS);
      try {
        return await driven.wait(input.participant, input.untilMs, ctx.cancellationSignal);
      } catch (err) {
        if (ctx.cancellationSignal.aborted) throw new CancelledFailure('market wait woken by the workflow');
        throw err;
      } finally {
        clearInterval(beat);
      }
    },

    async tellMarketClock(input: MarketClockNotice): Promise<void> {
      const driven = clock();
      const ids = input.participants;
      if (input.op === 'join-busy') driven.join(ids, 'busy');
      else if (input.op === 'join-parked') driven.join(ids, 'parked');
      else if (input.op === 'busy') driven.busy(ids);
      else if (input.op === 'park') driven.park(ids);
      else driven.leave(ids);
    },
  };
}
