/**
 * The trading day's activity stubs, one option set per kind of work, named once. Retry backoff is
 * market time, so it scales with the venue's speed (activityRetry).
 */
import { ActivityCancellationType, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities/types';
import { activityRetry } from './activityRetry';

/** Activities heartbeat all the time they run (heartbeatTicker): silence this long means the worker is gone. */
export const WORKER_LOST_AFTER = '10 seconds';

export function dayActivities(speed: number) {
  return {
    /** Config, session and the clock: nothing can be decided without them, so they retry without limit. */
    session: proxyActivities<Activities>({
      startToCloseTimeout: '1 minute',
      retry: activityRetry(speed),
      summary: 'config and the market day',
    }),
    // A regular activity, not a local one: a local activity's result can reach the workflow in a
    // different activation on replay than it did live, and with the emergency responder running
    // beside the main loop that reorders commands (a nondeterminism error the specs found).
    clock: proxyActivities<Activities>({
      startToCloseTimeout: '15 seconds',
      retry: activityRetry(speed),
      summary: 'read the market clock',
    }),
    /** One cycle's reads and decisions: a blip costs a retry, an outage fails the cycle, never the day. */
    cycle: proxyActivities<Activities>(cycleStageOptions(speed, 'cycle')),
    /** One order per activity, idempotent on client_order_id: a retry can never place a second order. */
    placement: proxyActivities<Activities>(placementOptions(speed, 'place a bracket order')),
    /** Flatten and flat checks: each pass ends, so the caller can re-check, alert and go again. */
    safety: proxyActivities<Activities>({
      startToCloseTimeout: '2 minutes',
      heartbeatTimeout: WORKER_LOST_AFTER,
      retry: activityRetry(speed, 5),
      summary: "Catalyst's book: flatten or check flat",
    }),
    /** Records and alerts: bounded, and never awaited where a decision, a stop or a flatten waits. */
    records: proxyActivities<Activities>({
      startToCloseTimeout: '1 minute',
      retry: activityRetry(speed, 5),
      summary: 'record in the database',
    }),
    alerts: proxyActivities<Activities>({
      startToCloseTimeout: '30 seconds',
      retry: activityRetry(speed, 3),
      summary: 'alert (outbox, email)',
    }),
    /** The daily report after the close: reads the day's records, renders the page, emails it. */
    reports: proxyActivities<Activities>({
      startToCloseTimeout: '2 minutes',
      retry: activityRetry(speed, 3),
      summary: 'send the daily report',
    }),
  };
}

export type DayActivities = ReturnType<typeof dayActivities>;

/** Options of one cycle stage, with the summary the Web UI shows for it ("cycle 3: scan universe"). */
export function cycleStageOptions(
  speed: number,
  summary: string,
  startToCloseTimeout = '3 minutes',
): ActivityOptions {
  return { startToCloseTimeout, retry: activityRetry(speed, 10), summary };
}

/** A scan chunk: one snapshot batch; it heartbeats, so a chunk on a lost worker is retried elsewhere soon. */
export function scanChunkOptions(speed: number, summary: string): ActivityOptions {
  return { ...cycleStageOptions(speed, summary, '1 minute'), heartbeatTimeout: '20 seconds' };
}

/**
 * A placement: waited for when cancelled (WAIT_CANCELLATION_COMPLETED), so the emergency stop
 * knows when no order of a cancelled cycle can still reach the broker. An attempt ends within
 * its start-to-close timeout, longer than the adapter's request timeout plus its lost-answer
 * lookup (2 × 30 s): an order still on the wire lands before the wait ends. Its heartbeat
 * timeout only catches a lost worker (the worker heartbeats through a request, heartbeatTicker):
 * the retry looks its order up first, and the emergency stop's flatten re-reads the book until flat,
 * so an order sent just before the worker died is still found.
 */
export function placementOptions(speed: number, summary: string): ActivityOptions {
  return {
    startToCloseTimeout: '75 seconds',
    heartbeatTimeout: WORKER_LOST_AFTER,
    retry: activityRetry(speed, 8),
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    summary,
  };
}
