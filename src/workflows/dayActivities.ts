/**
 * The trading day's activity stubs, one option set per kind of work, named once. Retry backoff is
 * market time, so it scales with the venue's speed (activityRetry).
 */
import { proxyActivities, proxyLocalActivities, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities/types';
import { activityRetry } from './activityRetry';

export function dayActivities(speed: number) {
  return {
    /** Config, session and the clock: nothing can be decided without them, so they retry without limit. */
    session: proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: activityRetry(speed) }),
    clock: proxyLocalActivities<Activities>({
      startToCloseTimeout: '15 seconds',
      retry: activityRetry(speed),
    }),
    /** One cycle's reads and decisions: a blip costs a retry, an outage fails the cycle, never the day. */
    cycle: proxyActivities<Activities>(cycleStageOptions(speed, 'cycle')),
    /** One order per activity, idempotent on client_order_id: a retry can never place a second order. */
    placement: proxyActivities<Activities>({
      startToCloseTimeout: '1 minute',
      heartbeatTimeout: '20 seconds',
      retry: activityRetry(speed, 8),
    }),
    /** Flatten and flat checks: each pass ends, so the caller can re-check, alert and go again. */
    safety: proxyActivities<Activities>({
      startToCloseTimeout: '2 minutes',
      heartbeatTimeout: '30 seconds',
      retry: activityRetry(speed, 5),
    }),
    /** Records and alerts: bounded, and never awaited where a decision, a stop or a flatten waits. */
    records: proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: activityRetry(speed, 5) }),
    alerts: proxyActivities<Activities>({
      startToCloseTimeout: '30 seconds',
      retry: activityRetry(speed, 3),
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
