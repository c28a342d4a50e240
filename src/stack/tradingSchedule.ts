import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptions,
} from '@temporalio/client';
import { scheduleIdFor, taskQueueFor, venueKey, type VenueScope } from '../shared';
import { ScheduledTradingDayWorkflow } from '../workflows/scheduledTradingDay';

export interface TradingScheduleOptions {
  paused: boolean;
  note: string;
}

/** 09:30 New York, Monday–Friday; holidays are found by the day itself from the broker calendar. */
export function tradingScheduleOptions(scope: VenueScope, opts: TradingScheduleOptions): ScheduleOptions {
  return {
    scheduleId: scheduleIdFor(scope),
    spec: {
      calendars: [
        { comment: 'US equities open', dayOfWeek: [{ start: 'MONDAY', end: 'FRIDAY' }], hour: 9, minute: 30 },
      ],
      timezone: 'America/New_York',
    },
    action: {
      type: 'startWorkflow',
      workflowType: ScheduledTradingDayWorkflow,
      workflowId: `trading-day-launcher-${venueKey(scope)}`,
      taskQueue: taskQueueFor(scope),
      args: [],
      staticSummary: 'Starts trading-day-YYYY-MM-DD for the New York date',
    },
    policies: {
      // A day that starts more than 15 minutes late has missed its first cycles: skip rather than chase.
      catchupWindow: '15 minutes',
      overlap: ScheduleOverlapPolicy.SKIP,
      pauseOnFailure: false,
    },
    state: { paused: opts.paused, note: opts.note },
  };
}

/** Creates the schedule, or brings an existing one up to date. Returns what it did. */
export async function ensureTradingSchedule(
  client: Client,
  scope: VenueScope,
  opts: TradingScheduleOptions,
): Promise<'created' | 'updated'> {
  const options = tradingScheduleOptions(scope, opts);
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(options.scheduleId).update((previous) => ({
      ...previous,
      spec: options.spec,
      action: options.action as never,
      policies: options.policies!,
      state: { paused: opts.paused, note: opts.note },
    }));
    return 'updated';
  }
}
