/**
 * Activity retry policies scaled by the venue's speed. Backoff is a market duration like any
 * other: at speed 600 a one-second retry would cost ten market minutes and a broker blip could
 * swallow a cycle, so a simulated day would not behave like a real one.
 */
import type { RetryPolicy } from '@temporalio/common';
import { NON_RETRYABLE_ERROR_TYPES } from '../shared';

export function activityRetry(speed: number, maximumAttempts?: number): RetryPolicy {
  return {
    initialInterval: Math.max(10, Math.round(1_000 / speed)),
    backoffCoefficient: 2,
    maximumInterval: Math.max(50, Math.round(30_000 / speed)),
    nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
    ...(maximumAttempts ? { maximumAttempts } : {}),
  };
}
