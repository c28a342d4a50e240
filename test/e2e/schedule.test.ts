/**
 * The Temporal Schedule (09:30 New York, weekdays, explicit catch-up, overlap SKIP) and its
 * launcher, which guarantees a date never runs twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleIdFor, tradingDayWorkflowId, type VenueScope } from '../../src/shared';
import { ensureTradingSchedule } from '../../src/stack/tradingSchedule';
import { ScheduledTradingDayWorkflow } from '../../src/workflows/scheduledTradingDay';
import { startHarness, type Harness } from '../support/catalystHarness';

const SIM: VenueScope = { venue: 'simulator' };
const SCHEDULE_ID = scheduleIdFor(SIM);

describe('trading-day schedule', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ seed: 9, speed: 1000 });
    // Another test's `catalyst up` may have created this venue's schedule on the shared server.
    await h.client.schedule
      .getHandle(SCHEDULE_ID)
      .delete()
      .catch(() => undefined);
  });
  afterAll(async () => {
    await h.client.schedule
      .getHandle(SCHEDULE_ID)
      .delete()
      .catch(() => undefined);
    await h?.close();
  });

  it('is created once, then updated in place, at 09:30 America/New_York on weekdays', async () => {
    expect(await ensureTradingSchedule(h.client, SIM, { paused: true, note: 'test' })).toBe('created');
    expect(await ensureTradingSchedule(h.client, SIM, { paused: false, note: 'test again' })).toBe('updated');
    const d = await h.client.schedule.getHandle(SCHEDULE_ID).describe();
    expect(d.spec.timezone).toBe('America/New_York');
    expect(d.spec.calendars).toHaveLength(1);
    expect(d.spec.calendars![0]).toMatchObject({
      hour: [{ start: 9, end: 9, step: 1 }],
      minute: [{ start: 30, end: 30, step: 1 }],
      dayOfWeek: [{ start: 'MONDAY', end: 'FRIDAY', step: 1 }],
    });
    expect(d.policies).toMatchObject({ overlap: 'SKIP', catchupWindow: 15 * 60_000 });
    expect(d.state).toMatchObject({ paused: false, note: 'test again' });
    expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'ScheduledTradingDayWorkflow' });
    const next = d.info.nextActionTimes[0]!;
    const ny = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/New_York',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    }).format(next);
    expect(ny).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 09:30$/);
  });

  it('starts trading-day-YYYY-MM-DD once: a second fire for the same date does not start another', async () => {
    const launch = () =>
      h.client.workflow.execute(ScheduledTradingDayWorkflow, {
        taskQueue: h.taskQueue,
        workflowId: `launcher-${Date.now()}-${Math.random()}`,
      });
    const first = await launch();
    expect(first.started).toBe(true);
    expect(first.workflowId).toBe(tradingDayWorkflowId(first.tradingDate, SIM));
    const second = await launch();
    expect(second).toMatchObject({
      started: false,
      reason: 'this date already ran',
      workflowId: first.workflowId,
    });
    const day = h.client.workflow.getHandle(first.workflowId);
    const desc = await day.describe();
    expect(desc.type).toBe('TradingDayWorkflow');
    await day.terminate('test over');
    expect(await launch()).toMatchObject({ started: false });
  });
});
