/**
 * What a scheduled day does with the calendar, up to the workflow's own code: a fire on a holiday
 * is started as that date, and the broker's calendar says it does not trade — TradingDayWorkflow
 * then ends at once as "market_closed": no monitor, no cycle, no order (its `!session.isTradingDay`
 * branch, run on a real Temporal server by test/e2e/dayInputs.test.ts). On an early close every
 * deadline of the plan moves with the 13:00 close. The schedule's own fire times are
 * test/stack/tradingSchedule.test.ts.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCalendarCheck } from '../../src/activities/calendarCheck';
import { createMarketCache } from '../../src/activities/marketCache';
import { createMarketClockActivities } from '../../src/activities/marketClock';
import { createSettingsActivities } from '../../src/activities/settings';
import type { AlertInput } from '../../src/activities/types';
import { nyseHolidays, sessionFor, toNyIso, tradingDaysBetween, weekday } from '../../src/domain/calendar';
import { createSettingsSource, type SettingsSource } from '../../src/settings/settingsSource';
import { tradingScheduleOptions } from '../../src/stack/tradingSchedule';
import { MINUTE_MS, nextCycleMs, planDay, type DayPlan } from '../../src/workflows/marketTime';
import { calendarBroker } from '../activities/calendarBroker';
import { scheduleFireTimes } from '../stack/scheduleSpecTimes';

const CONFIG_DIR = resolve(import.meta.dirname, '../../config');
const HOUR_MS = 3_600_000;
const spec = tradingScheduleOptions({ venue: 'simulator' }, { paused: true, note: 'test' }).spec;
const nyTime = (ms: number): string => toNyIso(ms).slice(11, 16);

const YEARS = Array.from({ length: 11 }, (_, i) => 2020 + i);
const weekdayHolidays = YEARS.flatMap((y) =>
  [...nyseHolidays(y)].filter((d) => weekday(d) > 0 && weekday(d) < 6),
);
const earlyCloses = tradingDaysBetween('2020-01-01', '2030-12-31').filter(
  (d) => sessionFor(d)?.close === '13:00',
);

/** Market times of the cycles a day runs when each starts on time: first cycle, then every period until the cut-off. */
function cycleTimes(plan: DayPlan, frequencyMinutes: number): number[] {
  const out: number[] = [];
  for (let t = plan.firstCycleMs; t < plan.noNewEntriesMs; t = nextCycleMs(plan, t, frequencyMinutes))
    out.push(t);
  return out;
}

describe('a scheduled day and the NYSE calendar', () => {
  let settings: SettingsSource;
  beforeAll(() => {
    settings = createSettingsSource({ configDir: CONFIG_DIR, env: {}, log: () => {} });
  });
  afterAll(() => settings?.close());

  /** The launcher's and the day's first activities, on a broker whose calendar is the NYSE's (as the simulator's is). */
  const activities = (overrides: Parameters<typeof calendarBroker>[0] = {}) => {
    const venue = calendarBroker(overrides);
    const alerts: AlertInput[] = [];
    const check = createCalendarCheck({
      log: () => {},
      deliver: async (alert) => {
        alerts.push(alert);
        return { email: 'not_configured' };
      },
    });
    return {
      alerts,
      ...createSettingsActivities({ settings, venue: 'simulator' }),
      ...createMarketClockActivities(
        { broker: venue.broker, outboxDir: '/nonexistent', log: () => {}, settings },
        createMarketCache(),
        check,
      ),
    };
  };

  it(`starts a fire on each of the ${weekdayHolidays.length} weekday holidays of 2020–2030 as that date, which the broker says does not trade`, async () => {
    const { alerts, ...acts } = activities();
    for (const holiday of weekdayHolidays) {
      const [fire, ...more] = scheduleFireTimes(spec, holiday, holiday);
      expect(more, holiday).toEqual([]);
      const input = await acts.planScheduledDay(fire!);
      expect(input.tradingDate).toBe(holiday);
      const day = await acts.getMarketDay(input.tradingDate);
      expect(day, holiday).toMatchObject({ tradingDate: holiday, isTradingDay: false });
    }
    expect(alerts).toEqual([]); // the broker and our calendar agree on every one
  });

  it(`moves the entry cut-off, the flatten and the close with each of the ${earlyCloses.length} early closes of 2020–2030`, async () => {
    const acts = activities();
    const cfg = await acts.loadDayConfig();
    expect(cfg).toMatchObject({ noNewEntriesBeforeCloseMinutes: 60, flattenBeforeCloseMinutes: 10 }); // config/
    for (const date of earlyCloses) {
      const day = await acts.getMarketDay(date);
      expect(day, date).toMatchObject({ isTradingDay: true, earlyClose: true });
      const plan = planDay(day, cfg);
      const times = {
        open: nyTime(plan.openMs),
        firstCycle: nyTime(plan.firstCycleMs),
        noNewEntries: nyTime(plan.noNewEntriesMs),
        flatten: nyTime(plan.flattenMs),
        close: nyTime(plan.closeMs),
      };
      expect(times, date).toEqual({
        open: '09:30',
        firstCycle: '09:35',
        noNewEntries: '12:00',
        flatten: '12:50',
        close: '13:00',
      });
      // The same session closing at 16:00: every deadline after the open is three hours later.
      const full = planDay({ ...day, closeMs: day.closeMs + 3 * HOUR_MS, earlyClose: false }, cfg);
      expect(full.noNewEntriesMs - plan.noNewEntriesMs).toBe(3 * HOUR_MS);
      expect(full.flattenMs - plan.flattenMs).toBe(3 * HOUR_MS);
      expect(full.closeMs - plan.closeMs).toBe(3 * HOUR_MS);
      expect(cycleTimes(plan, cfg.scanFrequencyMinutes).map(nyTime)).toEqual([
        '09:35',
        '10:05',
        '10:35',
        '11:05',
        '11:35',
      ]);
      expect(cycleTimes(full, cfg.scanFrequencyMinutes)).toHaveLength(11); // 09:35 … 14:35
    }
  });

  it('plans a regular day to 15:00 / 15:50 / 16:00', async () => {
    const acts = activities();
    const cfg = await acts.loadDayConfig();
    const plan = planDay(await acts.getMarketDay('2026-11-25'), cfg);
    expect([plan.noNewEntriesMs, plan.flattenMs, plan.closeMs].map(nyTime)).toEqual([
      '15:00',
      '15:50',
      '16:00',
    ]);
  });

  it("follows the broker's early close where ours has none: the broker wins, and the deadlines move with it", async () => {
    const { alerts, ...acts } = activities({ '2026-12-23': { open: '09:30', close: '13:00' } });
    const cfg = await acts.loadDayConfig();
    const plan = planDay(await acts.getMarketDay('2026-12-23'), cfg);
    expect([plan.noNewEntriesMs, plan.flattenMs, plan.closeMs].map(nyTime)).toEqual([
      '12:00',
      '12:50',
      '13:00',
    ]);
    expect(plan.closeMs - plan.flattenMs).toBe(cfg.flattenBeforeCloseMinutes * MINUTE_MS);
    expect(alerts.map((a) => a.dedupeKey)).toEqual(['calendar-disagreement-2026-12-23']);
  });
});
