/**
 * Marks broker requests made on behalf of a stop or a flatten, so Catalyst's request budget
 * (tokenBucket.ts) sends them first and from its reserve: an emergency stop must not queue behind
 * the scan's snapshot batches. An AsyncLocalStorage scope, because the requests are made deep in
 * the adapter, by the Alpaca client, on behalf of whichever activity is running.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { BudgetLane } from './tokenBucket';

const lane = new AsyncLocalStorage<BudgetLane>();

/** Runs `fn` with every broker request it makes on the safety lane. */
export function onSafetyLane<T>(fn: () => Promise<T>): Promise<T> {
  return lane.run('safety', fn);
}

/** The lane of the request being made now. */
export function currentLane(): BudgetLane {
  return lane.getStore() ?? 'normal';
}
