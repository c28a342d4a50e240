/**
 * getMarketDay against a broker whose calendar disagrees with ours: the broker's answer is the one
 * used, the disagreement is logged, and one WARNING alert goes out per date however often the
 * date is read. The alert takes the path every alert takes (the outbox here: no SMTP configured).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  calendarCheckFor,
  calendarDisagreementKey,
  createCalendarCheck,
} from '../../src/activities/calendarCheck';
import { createMarketCache } from '../../src/activities/marketCache';
import { createMarketClockActivities, sessionOf } from '../../src/activities/marketClock';
import type { AlertInput } from '../../src/activities/types';
import { nyTimeToUtcMs } from '../../src/domain/calendar';
import { createSettingsSource, type SettingsSource } from '../../src/settings/settingsSource';
import { calendarBroker } from './calendarBroker';

const CONFIG_DIR = resolve(import.meta.dirname, '../../config');
const REGULAR = { open: '09:30', close: '16:00' };

/** getMarketDay with a recording alert sink in place of the outbox and SMTP. */
function withRecordedAlerts(overrides: Parameters<typeof calendarBroker>[0], settings: SettingsSource) {
  const alerts: AlertInput[] = [];
  const logs: string[] = [];
  const venue = calendarBroker(overrides);
  const check = createCalendarCheck({
    log: (line) => logs.push(line),
    deliver: async (alert) => {
      alerts.push(alert);
      return { email: 'not_configured' };
    },
  });
  const deps = { broker: venue.broker, outboxDir: '/nonexistent', log: () => {}, settings };
  const cache = createMarketCache();
  return { alerts, logs, cache, deps, acts: createMarketClockActivities(deps, cache, check) };
}

describe('getMarketDay checks the broker calendar against the NYSE calendar', () => {
  let settings: SettingsSource;
  beforeAll(() => {
    settings = createSettingsSource({ configDir: CONFIG_DIR, env: {}, log: () => {} });
  });
  afterAll(() => settings?.close());

  it('raises nothing when the broker agrees: a regular day, an early close, a holiday, a weekend', async () => {
    const { acts, alerts, logs } = withRecordedAlerts({}, settings);
    for (const date of ['2026-11-25', '2026-11-27', '2026-11-26', '2026-11-28'])
      await acts.getMarketDay(date);
    expect(alerts).toEqual([]);
    expect(logs).toEqual([]);
  });

  it('trades a day the broker opens though we see a holiday, with one WARNING however often it is read', async () => {
    const { acts, alerts, logs } = withRecordedAlerts({ '2026-11-26': REGULAR }, settings);
    const day = await acts.getMarketDay('2026-11-26');
    expect(day).toMatchObject({
      tradingDate: '2026-11-26',
      isTradingDay: true,
      openMs: nyTimeToUtcMs('2026-11-26', '09:30'),
      closeMs: nyTimeToUtcMs('2026-11-26', '16:00'),
      earlyClose: false,
    });
    await acts.getMarketDay('2026-11-26');
    await Promise.all([acts.getMarketDay('2026-11-26'), acts.getMarketDay('2026-11-26')]);
    expect(alerts).toEqual([
      {
        severity: 'WARNING',
        subject: 'NYSE calendar disagrees with the broker on 2026-11-26',
        body: expect.stringContaining(
          '2026-11-26: the broker says 09:30–16:00, our NYSE calendar says closed.',
        ) as string,
        dedupeKey: 'calendar-disagreement-2026-11-26',
      },
    ]);
    expect(logs[0]).toBe(
      "WARNING calendar disagreement 2026-11-26: the broker says 09:30–16:00, our NYSE calendar says closed; trading on the broker's answer",
    );
  });

  it('closes a day the broker closes though we see a session (a closure announced at short notice)', async () => {
    const { acts, alerts } = withRecordedAlerts({ '2026-12-08': null }, settings);
    expect(await acts.getMarketDay('2026-12-08')).toMatchObject({
      isTradingDay: false,
      openMs: 0,
      closeMs: 0,
    });
    expect(alerts.map((a) => [a.severity, a.dedupeKey])).toEqual([
      ['WARNING', 'calendar-disagreement-2026-12-08'],
    ]);
  });

  it("takes the broker's hours when they differ: a close at 16:00 on our early close, 13:00 on our full day", async () => {
    const { acts, alerts } = withRecordedAlerts(
      { '2026-11-27': REGULAR, '2026-12-23': { open: '09:30', close: '13:00' } },
      settings,
    );
    expect(await acts.getMarketDay('2026-11-27')).toMatchObject({
      isTradingDay: true,
      closeMs: nyTimeToUtcMs('2026-11-27', '16:00'),
      earlyClose: false,
    });
    expect(await acts.getMarketDay('2026-12-23')).toMatchObject({
      isTradingDay: true,
      closeMs: nyTimeToUtcMs('2026-12-23', '13:00'),
      earlyClose: true,
    });
    expect(alerts.map((a) => a.dedupeKey)).toEqual([
      calendarDisagreementKey('2026-11-27'),
      calendarDisagreementKey('2026-12-23'),
    ]);
  });

  it('never lets the alert path fail or hold the read: the broker still answers', async () => {
    const logs: string[] = [];
    const check = createCalendarCheck({
      log: (line) => logs.push(line),
      deliver: () => Promise.reject(new Error('outbox not writable')),
    });
    const venue = calendarBroker({ '2026-11-26': REGULAR });
    const acts = createMarketClockActivities(
      { broker: venue.broker, outboxDir: '/nonexistent', log: () => {}, settings },
      createMarketCache(),
      check,
    );
    expect((await acts.getMarketDay('2026-11-26')).isTradingDay).toBe(true);
    await vi.waitFor(() => expect(logs).toContain('could not raise the calendar alert: outbox not writable'));
  });

  it('tries a failed email again on the next read, and stops once it went out', async () => {
    const outcomes: ('failed' | 'sent')[] = ['failed', 'sent'];
    const delivered: string[] = [];
    const check = createCalendarCheck({
      log: () => {},
      deliver: async (alert) => {
        delivered.push(alert.dedupeKey);
        return { email: outcomes.shift() ?? 'sent', error: 'connection refused' };
      },
    });
    const venue = calendarBroker({ '2026-11-26': REGULAR });
    const acts = createMarketClockActivities(
      { broker: venue.broker, outboxDir: '/nonexistent', log: () => {}, settings },
      createMarketCache(),
      check,
    );
    for (let i = 0; i < 4; i++) await acts.getMarketDay('2026-11-26');
    expect(delivered).toEqual(['calendar-disagreement-2026-11-26', 'calendar-disagreement-2026-11-26']);
  });

  it('leaves the later stages (sessionOf) to the cached answer, without a second check', async () => {
    const { acts, alerts, cache, deps } = withRecordedAlerts({ '2026-11-26': REGULAR }, settings);
    const day = await acts.getMarketDay('2026-11-26');
    expect(await sessionOf(deps, cache, '2026-11-26')).toBe(day);
    expect(alerts).toHaveLength(1);
  });

  it("can share the worker's alert sender", async () => {
    const delivered: AlertInput[] = [];
    const deps = {
      broker: calendarBroker({ '2026-12-08': null }).broker,
      outboxDir: '/nonexistent',
      log: () => {},
      settings,
    };
    const check = calendarCheckFor(deps, {
      deliver: async (alert) => {
        delivered.push(alert);
        return { file: '', email: 'not_configured', emailedTo: null };
      },
    });
    await createMarketClockActivities(deps, createMarketCache(), check).getMarketDay('2026-12-08');
    await vi.waitFor(() =>
      expect(delivered.map((a) => a.dedupeKey)).toEqual(['calendar-disagreement-2026-12-08']),
    );
  });

  it('delivers through the outbox, once per date across calls, as every alert is', async () => {
    const outboxDir = mkdtempSync(join(tmpdir(), 'catalyst-calendar-'));
    const logs: string[] = [];
    const venue = calendarBroker({ '2026-11-26': REGULAR });
    const acts = createMarketClockActivities(
      { broker: venue.broker, outboxDir, log: (line) => logs.push(line), settings },
      createMarketCache(),
    );
    for (let i = 0; i < 3; i++) expect((await acts.getMarketDay('2026-11-26')).isTradingDay).toBe(true);
    await vi.waitFor(() => expect(readdirSync(outboxDir)).toEqual(['calendar-disagreement-2026-11-26.json']));
    expect(
      JSON.parse(readFileSync(join(outboxDir, 'calendar-disagreement-2026-11-26.json'), 'utf8')),
    ).toMatchObject({
      severity: 'WARNING',
      subject: 'NYSE calendar disagrees with the broker on 2026-11-26',
      dedupeKey: 'calendar-disagreement-2026-11-26',
      email: 'not_configured',
    });
    expect(logs.filter((l) => l.startsWith('[WARNING]'))).toEqual([
      '[WARNING] NYSE calendar disagrees with the broker on 2026-11-26',
    ]);
  });
});
