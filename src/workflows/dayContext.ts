/** What the parts of a trading day share: its input, ids, state, activities and background work. */
import type { AlertInput } from '../activities/types';
import type { BackgroundTasks } from './backgroundTasks';
import type { DayActivities } from './dayActivities';
import type { TradingDayState } from './dayState';
import type { MarketWaits } from './marketWait';
import type { TradingDayInput } from './messages';

export interface DayContext {
  input: TradingDayInput;
  workflowId: string;
  runId: string;
  day: TradingDayState;
  acts: DayActivities;
  tasks: BackgroundTasks;
  /** How this line of work waits for market time (the day's main line, or its emergency responder). */
  clock: MarketWaits;
  /** Refreshes the details the Web UI shows, and the search attributes that changed. */
  show(): void;
  /** show() keeps CatalystOrders and CatalystRealizedPnl current (days started before that set them at the end). */
  searchKeptCurrent: boolean;
  /** Sends an alert at most once per key for this run, in the background (never awaited). */
  alertOnce(key: string, alert: Omit<AlertInput, 'dedupeKey'>): void;
}

export function alerter(
  acts: DayActivities,
  tasks: BackgroundTasks,
  run: { workflowId: string; runId: string },
): DayContext['alertOnce'] {
  const sent = new Set<string>();
  return (key, alert) => {
    if (sent.has(key)) return;
    sent.add(key);
    tasks.run(`alert ${key}`, () =>
      acts.alerts.sendAlert({ ...alert, dedupeKey: `${run.workflowId}-${run.runId}-${key}` }),
    );
  };
}

export const errorMessage = (err: unknown): string => {
  const e = err as { cause?: { message?: string }; message?: string };
  return e?.cause?.message ?? e?.message ?? String(err);
};
