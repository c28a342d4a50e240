/**
 * PositionMonitorWorkflow under its day: the guards keep ticking when the bookkeeping fails, the
 * loss limit still stops the day, and a monitor that cannot read the broker alerts, then halts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lastEmergencyQuery, type EmergencyStopOutcome } from '../../../src/workflows/messages';
import { FakeVenue, MINUTE } from './fakeVenue';
import { startSpecWorker, waitFor, type SpecDay, type SpecWorker } from './specWorker';

const emergencyDone = (day: SpecDay): Promise<EmergencyStopOutcome> =>
  waitFor('the emergency stop', async () => {
    const o = await day.handle.query(lastEmergencyQuery);
    return o?.done ? o : null;
  });

describe('PositionMonitorWorkflow', () => {
  let w: SpecWorker;
  beforeAll(async () => {
    w = await startSpecWorker('monitor');
  });
  afterEach(async () => w.cleanup());
  afterAll(async () => w?.close());

  it('enforces the daily loss limit and keeps guarding every minute while its bookkeeping always fails', async () => {
    const venue = new FakeVenue({ speed: 600 });
    // The database write takes thirty market minutes and then fails, every attempt.
    venue.failing.add('recordBook');
    venue.slow.set('recordBook', 30 * MINUTE);
    const day = await w.startDay(venue);
    await waitFor('three positions', () => venue.positions.size === 3, 30_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${venue.timeline()}`);
    });
    venue.dailyPnl = '-2500.00';
    venue.lossLevel = () => 'limit';
    const limitAt = venue.clock.now();

    const outcome = await emergencyDone(day);
    const result = await day.handle.result();
    const reason = 'daily loss limit reached (P&L -2500.00)';
    expect(outcome).toMatchObject({ source: 'monitor', reason, done: true, flat: true });
    expect(outcome.closedPositions.sort()).toEqual(['AAA', 'ABB', 'ACC']);
    expect(result).toMatchObject({
      status: 'completed',
      halted: true,
      haltReason: reason,
      openPositionsAtClose: 0,
    });
    const firstFlatten = venue.callsOf('flattenBook')[0]!;
    expect(firstFlatten.atMs).toBeGreaterThanOrEqual(limitAt);
    expect(venue.callsOf('placeBracketOrder').every((c) => c.seq < firstFlatten.seq)).toBe(true);
    expect(venue.inputsOf('sendAlert').filter((a) => /Daily loss warning/.test(a.subject))).toHaveLength(1);

    // Not one bookkeeping attempt succeeded…
    const books = venue.callsOf('recordBook');
    expect(books.length).toBeGreaterThan(0);
    expect(books.every((c) => c.outcome === 'failed')).toBe(true);
    // …and the guard never waited for them: it ticked from the open to the close, never close to
    // thirty market minutes apart (the time one bookkeeping attempt takes). The bound leaves room
    // for scheduling on a busy machine, where a market minute is a tenth of a second.
    const ticks = venue.callsOf('guardPositions').map((c) => c.atMs);
    const gaps = ticks.slice(1).map((t, i) => t - ticks[i]!);
    expect(ticks[0]!).toBeLessThan(venue.openMs + 5 * MINUTE);
    // (the day stops its monitor once the close-out has found the book flat)
    expect(ticks.at(-1)!).toBeGreaterThanOrEqual(
      venue.closeMs - venue.config.flattenBeforeCloseMinutes * MINUTE,
    );
    expect(Math.max(...gaps)).toBeLessThan(15 * MINUTE);
    expect(ticks.length).toBeGreaterThan(books.length);
  });

  it('raises one CRITICAL alert when it goes blind, and halts the day when it stays blind', async () => {
    const venue = new FakeVenue({
      speed: 600,
      config: { alertAfterFailedTicks: 2, emergencyAfterFailedTicks: 4 },
    });
    venue.failing.add('guardPositions');
    const day = await w.startDay(venue);
    const outcome = await emergencyDone(day);
    const result = await day.handle.result();

    // Counted in ticks, or in market minutes blind if more (a failing tick can outlast its minute).
    const reason = outcome.reason;
    expect(reason).toMatch(/^position monitor could not read the broker for \d+ ticks$/);
    expect(Number(/for (\d+) ticks/.exec(reason)![1])).toBeGreaterThanOrEqual(4);
    expect(outcome).toMatchObject({ source: 'monitor', done: true, flat: true });
    const blind = venue
      .callsOf('sendAlert')
      .filter((c) => /Position monitor blind/.test((c.input as { subject: string }).subject));
    expect(blind.map((c) => c.input)).toEqual([
      expect.objectContaining({
        severity: 'CRITICAL',
        subject: expect.stringMatching(/^Position monitor blind on 2026-11-24: \d+ failed ticks$/),
      }),
    ]);
    // The alert came at the second failed tick, before the stop at the fourth flattened anything.
    const stopFlattens = venue
      .callsOf('flattenBook')
      .filter((c) => (c.input as { reason: string }).reason === 'emergency stop');
    expect(stopFlattens.length).toBeGreaterThan(0);
    expect(blind[0]!.seq).toBeLessThan(stopFlattens[0]!.seq);
    expect(venue.callsOf('guardPositions').every((c) => c.outcome === 'failed')).toBe(true);
    expect(result).toMatchObject({
      status: 'completed',
      halted: true,
      haltReason: reason,
      openPositionsAtClose: 0,
    });
    expect((await day.status()).emergencies).toBe(1);
    expect(venue.isFlat()).toBe(true);
  });

  it('at the loss limit with close_all_positions_on_limit off: halts and cools down, cancels entries, keeps the positions, sends no email', async () => {
    const venue = new FakeVenue({ speed: 600 });
    venue.lossLimit = {
      maxLoss: '2000.00',
      emergencyStop: true,
      closePositions: false,
      haltNewTrades: true,
      sendAlert: false,
      cooldownMinutes: 30,
    };
    const day = await w.startDay(venue);
    await waitFor('three positions', () => venue.positions.size === 3, 30_000);
    venue.dailyPnl = '-2100.00';
    venue.lossLevel = () => 'limit';

    const outcome = await emergencyDone(day);
    expect(outcome).toMatchObject({
      source: 'monitor',
      reason: 'daily loss limit reached (P&L -2100.00)',
      closedPositions: [],
      actions: {
        closePositions: false,
        haltNewTrades: true,
        sendAlert: false,
        cooldownMinutes: 30,
      },
    });
    // Kept: the stop cancelled entries only, and the positions are still there after it.
    const stopCalls = venue.inputsOf('flattenBook').filter((f) => /emergency/.test(f.reason));
    expect(stopCalls).toEqual([expect.objectContaining({ entriesOnly: true })]);
    expect(venue.positions.size).toBe(3);
    expect((await day.status()).halted).toBe(true);
    await waitFor('the cooldown', () => venue.cooldowns.length === 1);
    expect(venue.cooldowns[0]).toMatchObject({ minutes: 30, tradingDate: venue.tradingDate });
    const result = await day.handle.result();
    // The close-out still flattens them: a day never ends holding Catalyst's shares.
    expect(result).toMatchObject({ halted: true, openPositionsAtClose: 0 });
    const subjects = venue.inputsOf('sendAlert').map((a) => a.subject);
    expect(subjects.filter((s) => /EMERGENCY STOP/.test(s))).toEqual([]);
    expect(subjects.filter((s) => /Daily loss warning/.test(s))).toHaveLength(1);
  });

  it('at the loss limit with emergency_stop_at_100 off: one CRITICAL alert, no stop, no halt', async () => {
    const venue = new FakeVenue({ speed: 600 });
    venue.lossLimit = {
      maxLoss: '2000.00',
      emergencyStop: false,
      closePositions: true,
      haltNewTrades: true,
      sendAlert: true,
      cooldownMinutes: 60,
    };
    const day = await w.startDay(venue);
    await waitFor('three positions', () => venue.positions.size === 3, 30_000);
    venue.dailyPnl = '-2100.00';
    venue.lossLevel = () => 'limit';
    await waitFor('the limit alert', () =>
      venue.inputsOf('sendAlert').some((a) => /Daily loss limit reached/.test(a.subject)),
    );
    const result = await day.handle.result();
    const limitAlerts = venue.inputsOf('sendAlert').filter((a) => /Daily loss limit reached/.test(a.subject));
    expect(limitAlerts).toEqual([expect.objectContaining({ severity: 'CRITICAL' })]);
    expect(limitAlerts[0]!.body).toMatch(/emergency_stop_at_100 is off/);
    expect(result).toMatchObject({ halted: false, openPositionsAtClose: 0 });
    expect((await day.status()).emergencies).toBe(0);
    expect(venue.cooldowns).toEqual([]);
    expect(venue.inputsOf('flattenBook').every((f) => !/emergency/.test(f.reason))).toBe(true);
  });
});
