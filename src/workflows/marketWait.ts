/**
 * The one way workflow code waits for a market time: the seam between the two market clocks.
 *
 * - wall (paper, live, `npm start`): a Temporal timer of the market duration at the venue's
 *   speed, ended early when `wake` turns true. Market time runs on without the workflow.
 * - driven (backtests, seeded runs): the simulator's driven clock moves only when every
 *   participant of the day waits, so nothing a day does can cost it market time. A wait is an
 *   activity that returns when the clock reaches the target; each line of work that can hold the
 *   clock (the day's main line, its emergency responder, its monitor) is a participant and tells
 *   the clock when it joins, works, waits on another line (parks) and leaves.
 *
 * Everything else — activities, risk, orders — is the same code on both clocks. In wall mode the
 * notices are no-ops and the waits produce exactly the commands they always did (replay-safe).
 */
import {
  ActivityCancellationType,
  type ActivityOptions,
  CancellationScope,
  condition,
  isCancellation,
  proxyActivities,
} from '@temporalio/workflow';
import type { Activities, MarketClockNotice } from '../activities/types';
import { marketToTimerMs } from './marketTime';
import type { MarketClockKind } from './messages';

/** A wait lasts as long as the other participants work; its heartbeat says it is alive. */
const WAIT_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '1 day',
  heartbeatTimeout: '30 seconds',
  // Woken early, the workflow goes on only once the clock knows this participant works again.
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { initialInterval: '100 milliseconds', maximumInterval: '2 seconds' },
};
const waits = proxyActivities<Activities>(WAIT_OPTIONS);
const notices = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '100 milliseconds', maximumInterval: '2 seconds' },
});

export interface MarketWaits {
  readonly driven: boolean;
  readonly participant: string;
  /** Waits until market time `targetMs` (now `nowMs`), or until `wake` turns true. */
  sleepUntil(targetMs: number, nowMs: number, summary: string, wake?: () => boolean): Promise<void>;
  /** Waits until `done` turns true or `marketMs` of market time pass from `nowMs`; true if `done`. */
  waitFor(done: () => boolean, nowMs: number, marketMs: number, summary: string): Promise<boolean>;
  /** A wall-clock timeout standing for `marketMs` of market time; none on the driven clock, where market time cannot pass while the caller works. */
  timeoutFor(marketMs: number): number | undefined;
  /** Awaits `fn` while the clock may move without this participant (it waits on another line). */
  parkedWhile<T>(fn: () => Promise<T>): Promise<T>;
  /** Driven: adds participants (busy ones hold the clock until they wait). */
  join(ids: string[], state: 'busy' | 'parked'): Promise<void>;
  /** Driven: these participants are at work (say so before signalling them). */
  markBusy(ids: string[]): Promise<void>;
  /** Driven: this participant waits on something that is not a market time. */
  park(): Promise<void>;
  leave(ids: string[]): Promise<void>;
  /** The same clock for another line of work of this workflow. */
  forParticipant(id: string): MarketWaits;
}

export function marketWaits(opts: {
  speed: number;
  clock: MarketClockKind | undefined;
  participant: string;
}): MarketWaits {
  const isDriven = opts.clock === 'driven';
  const tell = async (op: MarketClockNotice['op'], participants: string[]): Promise<void> => {
    if (isDriven && participants.length) await notices.tellMarketClock({ op, participants });
  };

  const drivenWait = async (untilMs: number, summary: string, wake: () => boolean): Promise<void> => {
    let released = false;
    let woken = false;
    const scope = new CancellationScope();
    const waiting = scope
      .run(() =>
        waits.waitForMarketTime.executeWithOptions({ ...WAIT_OPTIONS, summary }, [
          { participant: opts.participant, untilMs },
        ]),
      )
      .then(
        () => void (released = true),
        (err: unknown) => {
          released = true;
          if (!(woken && isCancellation(err))) throw err;
        },
      );
    try {
      await condition(() => released || wake());
    } catch (err) {
      // The caller's scope was cancelled: the wait is cancelled with it; go on once it has ended.
      await waiting.catch(() => undefined);
      throw err;
    }
    if (!released) {
      woken = true;
      scope.cancel();
    }
    await waiting;
  };

  return {
    driven: isDriven,
    participant: opts.participant,
    async sleepUntil(targetMs, nowMs, summary, wake = () => false) {
      if (targetMs <= nowMs) return;
      if (isDriven) await drivenWait(targetMs, summary, wake);
      else await condition(wake, marketToTimerMs(targetMs - nowMs, opts.speed), { summary });
    },
    async waitFor(done, nowMs, marketMs, summary) {
      if (!isDriven) return condition(done, marketToTimerMs(marketMs, opts.speed), { summary });
      if (!done()) await drivenWait(nowMs + Math.max(0, marketMs), summary, done);
      return done();
    },
    timeoutFor: (marketMs) => (isDriven ? undefined : marketToTimerMs(marketMs, opts.speed)),
    async parkedWhile(fn) {
      await tell('park', [opts.participant]);
      try {
        return await fn();
      } finally {
        await tell('busy', [opts.participant]);
      }
    },
    join: (ids, state) => tell(state === 'busy' ? 'join-busy' : 'join-parked', ids),
    markBusy: (ids) => tell('busy', ids),
    park: () => tell('park', [opts.participant]),
    leave: (ids) => tell('leave', ids),
    forParticipant: (id) => marketWaits({ ...opts, participant: id }),
  };
}
