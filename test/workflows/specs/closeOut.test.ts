/**
 * TradingDayWorkflow keeps going and ends flat: through a broker clock outage mid-day, when it
 * is cancelled while holding positions, and when a position cannot be closed before the close.
 */
import { CancelledFailure, WorkflowFailedError } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AlertInput } from '../../../src/activities/types';
import { FakeVenue, MINUTE } from './fakeVenue';
import { startSpecWorker, waitFor, waitForStatus, type SpecWorker } from './specWorker';

const criticalAlerts = (venue: FakeVenue, subject: RegExp): AlertInput[] =>
  venue.inputsOf('sendAlert').filter((a) => a.severity === 'CRITICAL' && subject.test(a.subject));

describe('TradingDayWorkflow: outages, cancellation and the close-out', () => {
  let w: SpecWorker;
  beforeAll(async () => {
    w = await startSpecWorker('closeout');
  });
  afterEach(async () => w.cleanup());
  afterAll(async () => w?.close());

  it('rides out a broker clock outage mid-day and goes on trading after it', async () => {
    // A session to 11:30, so cycles come after the outage.
    const venue = new FakeVenue({ speed: 600, close: '11:30', config: { alertAfterFailedTicks: 2 } });
    // 09:40–10:20: the clock, the guard, the scans, the placements and the flat checks all fail.
    // The 09:47, 10:02 and 10:17 cycles can only start once the clock answers again. Forty market minutes (4 s of
    // wall time at speed 600) so that on a loaded machine, where one failing tick with its retries
    // can take a second or more, the monitor still fails more than once within the outage.
    const outage = { fromMs: venue.openMs + 10 * MINUTE, toMs: venue.openMs + 50 * MINUTE };
    venue.outage = outage;
    const day = await w.startDay(venue);
    const result = await day.handle.result();

    const during = (name: Parameters<FakeVenue['callsOf']>[0]) =>
      venue.callsOf(name).filter((c) => c.atMs >= outage.fromMs && c.atMs < outage.toMs);
    const after = (name: Parameters<FakeVenue['callsOf']>[0]) =>
      venue.callsOf(name).filter((c) => c.atMs >= outage.toMs);
    // The outage really happened to the clock and the monitor…
    expect(during('readMarketClock').some((c) => c.outcome === 'failed')).toBe(true);
    expect(during('guardPositions').filter((c) => c.outcome === 'failed').length).toBeGreaterThanOrEqual(3);
    expect(during('guardPositions').every((c) => c.outcome === 'failed')).toBe(true);
    expect(criticalAlerts(venue, /Position monitor blind/)).toHaveLength(1);
    // …and afterwards the day read the clock again, scanned, and placed new orders.
    expect(after('readMarketClock').some((c) => c.outcome === 'ok')).toBe(true);
    expect(after('guardPositions').some((c) => c.outcome === 'ok')).toBe(true);
    expect(after('listUniverse').length).toBeGreaterThanOrEqual(1);
    expect(after('placeBracketOrder').filter((c) => c.outcome === 'ok').length).toBeGreaterThanOrEqual(3);
    // The day did not fail, did not halt, and ended flat.
    expect(criticalAlerts(venue, /failed; flattening/)).toEqual([]);
    expect(result).toMatchObject({
      status: 'completed',
      halted: false,
      openPositionsAtClose: 0,
      openOrdersAtClose: 0,
    });
    expect(result.cycles).toBeGreaterThanOrEqual(2);
    expect(venue.isFlat()).toBe(true);
  });

  it('flattens to flat when the day is cancelled while it holds positions, and stops the monitor', async () => {
    const venue = new FakeVenue({ speed: 600 });
    const day = await w.startDay(venue);
    await waitFor('three positions', () => venue.positions.size === 3);
    // The broker is down when the cancellation comes: the close-out keeps trying until it is back.
    venue.brokerDown = true;
    const cancelledAt = venue.clock.now();
    const seqAtCancel = venue.calls.at(-1)!.seq;
    await day.handle.cancel();
    await waitFor('a CRITICAL alert that the broker cannot be reached', () =>
      criticalAlerts(venue, /Cannot reach the broker to flatten/).at(0),
    );
    expect(venue.positions.size).toBe(3);
    venue.brokerDown = false;
    const err = await day.handle.result().catch((e: unknown) => e);

    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    // The close-out ran at once (not at the flatten time) and found the book flat.
    const flattens = venue.callsOf('flattenBook').filter((c) => c.seq > seqAtCancel);
    expect(flattens.length).toBeGreaterThanOrEqual(1);
    expect(flattens[0]!.atMs).toBeLessThan(cancelledAt + 5 * MINUTE);
    expect(venue.inputsOf('flattenBook').at(-1)?.reason).toBe('flatten before the close');
    expect(flattens[0]!.outcome).toBe('failed');
    expect(venue.callsOf('checkFlat').at(-1)?.outcome).toBe('ok');
    expect(venue.isFlat()).toBe(true);
    expect(venue.callsOf('listUniverse').filter((c) => c.seq > seqAtCancel)).toEqual([]);
    // The monitor was stopped by the day (not cancelled, not run to the close).
    const monitor = await w.client.workflow.getHandle(day.monitorId).describe();
    expect(monitor.status.name).toBe('COMPLETED');
    expect(venue.callsOf('guardPositions').at(-1)!.atMs).toBeLessThan(venue.closeMs);
    expect(venue.callsOf('finishTradingDay')).toHaveLength(1);
    expect((await day.status()).phase).toBe('cancelled');
  });

  it('cannot close a halted symbol by the close: one CRITICAL alert, then flat at the next open', async () => {
    // The real 09:30–16:00 session, fast enough that the night passes in about five seconds. At
    // this speed one workflow step costs many market minutes, so the book is seeded instead of
    // placed by a cycle (no cycles run), and the flatten starts three hours before the close.
    const venue = new FakeVenue({
      speed: 12_000,
      open: '09:30',
      close: '16:00',
      config: { noNewEntriesBeforeCloseMinutes: 390, flattenBeforeCloseMinutes: 180 },
    });
    // Catalyst's book from earlier in the day: HALT stops trading until the next open.
    venue.fillBracket('cat-20261124-c01-HALT-entry', 'HALT', 10);
    venue.fillBracket('cat-20261124-c01-AOK-entry', 'AOK', 10);
    venue.cannotCloseUntil.set('HALT', venue.nextOpenMs);
    const day = await w.startDay(venue);

    const notFlat = /Catalyst not flat at the 2026-11-24 close: HALT/;
    await waitFor('the not-flat alert', () => criticalAlerts(venue, notFlat).length > 0, 15_000);
    const overnight = await waitForStatus(day, 'the overnight status', (s) => s.notFlat.length > 0);
    expect(overnight).toMatchObject({ phase: 'flattening', notFlat: ['HALT'], openPositions: 1 });
    const result = await day.handle.result();

    const timeline = venue.timeline(['flattenBook', 'checkFlat', 'readMarketClock', 'sendAlert']);
    expect(criticalAlerts(venue, notFlat), timeline).toHaveLength(1);
    const alerted = venue.callsOf('sendAlert').find((c) => notFlat.test((c.input as AlertInput).subject))!;
    const flattens = venue.callsOf('flattenBook');
    const flattenMs = venue.closeMs - venue.config.flattenBeforeCloseMinutes * MINUTE;
    // It kept trying up to the close…
    expect(
      flattens.filter((c) => c.atMs >= flattenMs && c.atMs < venue.closeMs).length,
      timeline,
    ).toBeGreaterThanOrEqual(2);
    // …then waited for the next open without hammering the broker overnight…
    expect(alerted.atMs, timeline).toBeGreaterThanOrEqual(venue.closeMs);
    expect(flattens.filter((c) => c.seq > alerted.seq && c.atMs < venue.nextOpenMs).length, timeline).toBe(0);
    // …and closed HALT at the next open.
    const morning = flattens.filter((c) => c.atMs >= venue.nextOpenMs);
    expect(morning.length, timeline).toBeGreaterThanOrEqual(1);
    expect(morning[0]!.atMs, timeline).toBeLessThan(venue.nextOpenMs + 90 * MINUTE);
    expect(venue.callsOf('listUniverse')).toEqual([]);
    expect(venue.isFlat()).toBe(true);
    expect(result).toMatchObject({ status: 'completed', halted: false, openPositionsAtClose: 0 });
    expect((await day.status()).notFlat).toEqual([]);
  });
});
